"""``--session``: HTTPie's session files, written by reqlab and read by HTTPie,
and the other way round."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ENV, send

BIN = Path(sys.executable).parent
HTTP_CMD = shutil.which("http", path=str(BIN)) or shutil.which("http")


def _headers(out: bytes) -> dict[str, str]:
    head = out.partition(b"\r\n\r\n")[0].decode()
    return {
        n.strip().lower(): v.strip() for n, v in (h.split(":", 1) for h in head.split("\r\n")[1:])
    }


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_cookies_persist_between_runs(echo_url, tmp_path):
    path = str(tmp_path / "s.json")
    run = send("--session", path, f"{echo_url}/cookies/set?x=1")
    assert run.code == 0, run.err
    run = send("--session", path, f"{echo_url}/cookies")
    assert json.loads(run.out)["cookies"] == {"x": "1"}
    saved = json.loads(Path(path).read_text())
    assert saved["__meta__"]["about"] == "HTTPie session file"
    assert [c["name"] for c in saved["cookies"]] == ["x"]


@pytest.mark.skipif(HTTP_CMD is None, reason="HTTPie (the test extra) is not installed")
def test_httpie_reads_a_reqlab_session(echo_url, tmp_path):
    path = str(tmp_path / "ours.json")
    run = send("--session", path, "-a", "ann:pw", f"{echo_url}/cookies/set?x=1", "X-Team:blue")
    assert run.code == 0, run.err
    proc = subprocess.run(
        [HTTP_CMD, "--offline", "--ignore-stdin", f"--session={path}", f"{echo_url}/get"],
        capture_output=True,
        env=ENV,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    seen = _headers(proc.stdout)
    assert seen["x-team"] == "blue"
    assert seen["cookie"] == "x=1"
    assert seen["authorization"] == _basic("ann", "pw")


@pytest.mark.skipif(HTTP_CMD is None, reason="HTTPie (the test extra) is not installed")
def test_reqlab_reads_an_httpie_session(echo_url, tmp_path):
    path = str(tmp_path / "theirs.json")
    proc = subprocess.run(
        [
            HTTP_CMD,
            "--offline",
            "--ignore-stdin",
            f"--session={path}",
            "-a",
            "bob:secret",
            f"{echo_url}/get",
            "X-Team:red",
            "Cookie:k=v",
        ],
        capture_output=True,
        env=ENV,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    run = send("--offline", "--session", path, f"{echo_url}/get")
    seen = _headers(run.out)
    assert seen["x-team"] == "red" and seen["cookie"] == "k=v"
    assert seen["authorization"] == _basic("bob", "secret")
    run = send("--session-read-only", path, f"{echo_url}/get")  # and on the wire
    sent = json.loads(run.out)["headers"]
    assert sent["X-Team"] == "red" and sent["Cookie"] == "k=v"


def test_named_session_lives_under_xdg_config_and_read_only_writes_nothing(echo_url, tmp_path):
    env = {**ENV, "XDG_CONFIG_HOME": str(tmp_path)}
    host = echo_url.split("://", 1)[1].replace(":", "_")
    run = send("--session-read-only", "work", f"{echo_url}/get", "X-A:1", env=env)
    assert run.code == 0 and not (tmp_path / "reqlab").exists()
    run = send("--session", "work", f"{echo_url}/get", "X-A:1", env=env)
    path = tmp_path / "reqlab" / "sessions" / host / "work.json"
    assert json.loads(path.read_text())["headers"] == [{"name": "X-A", "value": "1"}]
    run = send("--session", "work", "-b", f"{echo_url}/get", env=env)
    assert json.loads(run.out)["headers"]["X-A"] == "1"


def test_bad_session_name_is_one_line(echo_url):
    run = send("--session", "bad name!", f"{echo_url}/get")
    assert run.code == 2 and run.err.count("\n") == 1 and "--session" in run.err
