"""POST /api/versions: its bounds, and its refusal on a public instance."""

from __future__ import annotations

from pathlib import Path

import httpx

from reqlab.echo.testing import start_echo_server
from reqlab.web.testing import start_workbench


def test_http_only_server_rows(api: httpx.Client) -> None:
    with start_echo_server(keep_alive_timeout=1.0, keep_alive_max=3) as echo:
        r = api.post("/api/versions", json={"request": {"url": echo.url + "/get"}, "max_idle": 3})
    assert r.status_code == 200, r.text
    rows = {row["version"]: row for row in r.json()["rows"]}
    assert rows["HTTP/1.1"]["speaks"] is True and "(measured)" in rows["HTTP/1.1"]["how_long"]
    assert rows["HTTP/2"]["speaks"] is None and rows["HTTP/3"]["speaks"] is None
    assert rows["HTTP/3"]["kept"] == "not checked: needs https://"


def test_bounds_and_method(api: httpx.Client) -> None:
    r = api.post("/api/versions", json={"request": {"url": "http://127.0.0.1:9/"}, "max_idle": 999})
    assert r.status_code == 422 and "max_idle" in r.text
    r = api.post(
        "/api/versions", json={"request": {"url": "http://127.0.0.1:9/", "method": "POST"}}
    )
    assert r.status_code == 422 and "not idempotent" in r.text


def test_refused_on_a_public_instance(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'p.db'}"
    with start_workbench(db_url=db, public=True) as wb, wb.api() as client:
        r = client.post("/api/versions", json={"request": {"url": "https://example.org/"}})
    assert r.status_code == 403 and "public instance" in r.text
