"""POST /api/probe and /api/bench against a real echo server."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from reqlab.echo.testing import start_echo_server
from reqlab.web.testing import Workbench, start_workbench

# The probe engine (issue 7) lands separately; these run as soon as it exists.
pytest.importorskip("reqlab.probe")


def test_probe_reports_the_servers_keep_alive_terms(api: httpx.Client) -> None:
    with start_echo_server(keep_alive_timeout=1.0, keep_alive_max=5) as echo:
        r = api.post(
            "/api/probe", json={"request": {"url": echo.url + "/get"}, "max_idle": 3}, timeout=60
        )
    assert r.status_code == 200, r.text
    report = r.json()
    names = {c["name"] for c in report["checks"]}
    assert {"HTTP/1.1", "idle timeout", "max requests"} <= names
    assert report["max_requests"] == 5
    assert 0.9 <= report["idle_timeout"] <= 1.1
    assert report["recommendation"]["notes"]


def test_bench_compares_reuse_with_new_connections(api: httpx.Client, workbench: Workbench) -> None:
    r = api.post(
        "/api/bench",
        json={"request": {"url": workbench.echo_url + "/get"}, "requests": 40, "concurrency": 2},
        timeout=60,
    )
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["reuse"]["completed"] == 40 and out["no_reuse"]["completed"] == 40
    assert out["no_reuse"]["connections_opened"] == 40
    assert out["reuse"]["connections_opened"] < 40


def test_measure_refusals(api: httpx.Client, workbench: Workbench, tmp_path: Path) -> None:
    url = workbench.echo_url + "/post"
    post = api.post("/api/probe", json={"request": {"method": "POST", "url": url}})
    assert post.status_code == 422 and post.json()["error"]["field"] == "method"
    big = api.post("/api/bench", json={"request": {"url": url}, "concurrency": 1000})
    assert big.status_code == 422 and big.json()["error"]["field"] == "concurrency"
    with (
        start_workbench(
            db_url=f"sqlite:///{tmp_path / 'p.db'}", public=True, allow_private=True
        ) as wb,
        wb.api() as pub,
    ):
        for path in ("/api/probe", "/api/bench"):
            r = pub.post(path, json={"request": {"url": wb.echo_url + "/get"}})
            assert r.status_code == 403, path
