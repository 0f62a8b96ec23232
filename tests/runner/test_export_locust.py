"""``reqlab run --export locust``: the journey runs under Locust for real
(headless, two seconds, against the echo server), captures feeding the next
request and a failing assert counted as Locust failures."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from reqlab.echo.testing import EchoHandle

JOURNEY = """\
GET {{base}}/uuid
HTTP 200
[Captures]
id: jsonpath "$.uuid"

POST {{base}}/echo
{"id": "{{id}}"}
HTTP 200
[Asserts]
jsonpath "$.json.id" == {{id}}

GET {{base}}/echo
HTTP 200
[Asserts]
jsonpath "$.method" == "PUT"
"""
_ROW = re.compile(r"^(GET|POST)\s+(\d \w+ \S+)\s+(\d+)\s+(\d+)\(", re.M)


def _export(tmp_path: Path, text: str, echo: EchoHandle) -> subprocess.CompletedProcess[str]:
    (tmp_path / "journey.hurl").write_text(text)
    return subprocess.run(
        [sys.executable, "-m", "reqlab", "run", "--export", "locust", "-o", "locustfile.py"]
        + [f"--variable=base={echo.url}", "journey.hurl"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.skipif(importlib.util.find_spec("locust") is None, reason="locust is not installed")
def test_exported_journey_runs_under_locust(tmp_path: Path, echo: EchoHandle) -> None:
    proc = _export(tmp_path, JOURNEY, echo)
    assert proc.returncode == 0, proc.stderr
    locust = subprocess.run(
        [sys.executable, "-m", "locust", "-f", "locustfile.py", "--headless", "-u", "1"]
        + ["-r", "1", "-t", "6s", "--only-summary"],  # time for a whole journey under load
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", "")},
    )
    summary = locust.stdout + locust.stderr  # Locust logs its summary to stderr
    rows = {name: (int(n), int(fails)) for _, name, n, fails in _ROW.findall(summary)}
    assert set(rows) == {"1 GET /uuid", "2 POST /echo", "3 GET /echo"}, summary
    assert rows["1 GET /uuid"][0] > 0 and rows["1 GET /uuid"][1] == 0
    assert rows["2 POST /echo"][1] == 0  # the captured id reached the next request
    assert rows["3 GET /echo"][0] == rows["3 GET /echo"][1] > 0  # the assert fails each time


def test_export_refuses_wire_queries_with_their_position(tmp_path: Path, echo: EchoHandle) -> None:
    proc = _export(
        tmp_path, "GET {{base}}/echo\nHTTP 200\n[Asserts]\nconnection reused == false\n", echo
    )
    assert proc.returncode == 2
    assert "journey.hurl:4:1: query 'connection reused' cannot run under Locust" in proc.stderr


@pytest.mark.parametrize("option", ["proxy: http://127.0.0.1:3128", "digest: true", "http3: true"])
def test_export_refuses_options_locust_cannot_send(
    tmp_path: Path, echo: EchoHandle, option: str
) -> None:
    proc = _export(tmp_path, f"GET {{{{base}}}}/echo\n[Options]\n{option}\nHTTP 200\n", echo)
    name = option.split(":")[0]
    assert proc.returncode == 2
    assert f"journey.hurl:3:1: option '{name}' cannot run under Locust" in proc.stderr
