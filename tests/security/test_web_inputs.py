"""Numbers and other input at the API's edge (issue 15, items 4 and 9):
NaN and infinities, out-of-range values, deep nesting, hostile Host
headers, and the one deadline per send across redirects."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from reqlab.echo._types import EchoRequest, EchoResponse
from reqlab.echo.server import default_handler
from reqlab.web.testing import Workbench, start_workbench

from ._serve import responsive


@pytest.fixture
def wb(tmp_path: Path) -> Iterator[Workbench]:
    with start_workbench(db_url=f"sqlite:///{tmp_path / 'wb.db'}") as w:
        yield w


@pytest.fixture
def api(wb: Workbench) -> Iterator[httpx.Client]:
    with wb.api() as client:
        yield client


def _send(api: httpx.Client, raw: str) -> httpx.Response:
    return api.post("/api/send", content=raw, headers={"content-type": "application/json"})


@pytest.mark.parametrize("word", ["NaN", "Infinity", "-Infinity"])
def test_non_json_numbers_are_400_naming_the_field(api: httpx.Client, word: str) -> None:
    r = _send(api, f'{{"request": {{"url": "http://x/", "options": {{"timeout": {word}}}}}}}')
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["field"] == "request.options.timeout" and "\n" not in error["message"]


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"timeout": -1}, "options.timeout"),
        ({"timeout": 0}, "options.timeout"),
        ({"timeout": 1e300}, "options.timeout"),
        ({"timeout": "5"}, "options.timeout"),
        ({"timeout": True}, "options.timeout"),
        ({"connect_timeout": 10**400}, "options.connect_timeout"),
        ({"max_redirects": -1}, "options.max_redirects"),
        ({"max_redirects": 10**9}, "options.max_redirects"),
        ({"max_redirects": 2.5}, "options.max_redirects"),
    ],
)
def test_out_of_range_numbers_are_refused_by_name(
    api: httpx.Client, options: dict[str, object], field: str
) -> None:
    r = _send(api, json.dumps({"request": {"url": "http://x/", "options": options}}))
    assert r.status_code == 422, r.text
    assert r.json()["error"]["field"] == field


@pytest.mark.parametrize(
    "text",
    ["curl -m nan http://x/", "curl --connect-timeout inf http://x/", "curl -m 1e9 http://x/"],
)
def test_pasted_text_passes_the_same_number_checks(api: httpx.Client, text: str) -> None:
    r = api.post("/api/convert", json={"text": text})
    error = r.json()["error"]
    assert r.status_code == 422, r.text
    assert (error.get("field") or error.get("position")).startswith("options."), r.text


def test_deep_nesting_is_a_400_not_a_recursion_error(api: httpx.Client, wb: Workbench) -> None:
    for path in ("/api/send", "/api/convert", "/api/requests", "/api/codegen"):
        r = api.post(path, content="[" * 100_000, headers={"content-type": "application/json"})
        assert r.status_code == 400, (path, r.text)
        assert "Recursion" not in r.text and "nested too deeply" in r.text
    nested = {"kind": "json", "text": "[" * 100_000}
    r = api.post("/api/send", json={"request": {"url": "http://x/", "body": nested}})
    assert r.status_code == 422 and "Recursion" not in r.text
    assert responsive(wb.url)


def test_an_unexpected_error_is_a_500_with_an_id_and_no_detail(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from starlette.requests import Request

    from reqlab.web.endpoint import contained

    async def buggy(request: object) -> object:
        raise ValueError("-".join(("secret", "token")))  # built at run time: not in the source

    scope = {"type": "http", "method": "GET", "path": "/boom", "headers": [], "query_string": b""}
    with caplog.at_level(logging.ERROR, "reqlab.web"):
        r = asyncio.run(contained(buggy)(Request(scope)))
    assert r.status_code == 500
    text = bytes(r.body).decode()
    message = json.loads(text)["error"]["message"]
    assert message.startswith("internal error (id ") and "secret" not in text
    assert "ValueError" not in text
    logged = caplog.text
    assert "ValueError" in logged and "secret-token" not in logged
    assert message.split("id ")[1].split(")")[0] in logged


@pytest.mark.parametrize(
    "host",
    [
        "[::1]x.evil.example",
        "[::1]:80x",
        "127.0.0.1 evil",
        "[not-an-ip]",
        "a..b:1:2",
        "evil.example@127.0.0.1",
    ],
)
def test_malformed_host_headers_are_refused(wb: Workbench, host: str) -> None:
    r = httpx.get(wb.url + "/api/session", headers={"Host": host})
    assert r.status_code == 421
    assert responsive(wb.url)


def test_well_formed_hosts_pass(wb: Workbench) -> None:
    port = wb.url.rsplit(":", 1)[1]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", "localhost"):
        assert httpx.get(wb.url + "/api/session", headers={"Host": host}).status_code == 200


def _slow_redirects() -> object:
    echo = default_handler()

    async def handle(request: EchoRequest) -> EchoResponse:
        if request.target.startswith("/hop/"):
            n = int(request.target.rsplit("/", 1)[1])
            await asyncio.sleep(0.3)
            if n > 0:
                return EchoResponse(302, [("Location", f"/hop/{n - 1}")], b"")
            return EchoResponse(200, [("Content-Type", "text/plain")], b"end")
        return await echo(request)

    return handle


def test_the_public_time_cap_covers_every_redirect(tmp_path: Path) -> None:
    """20 hops of 0.3 s each, under a 1.5 s cap: stopped at the cap, not at 6 s."""
    with (
        start_workbench(
            db_url=f"sqlite:///{tmp_path / 'p.db'}",
            public=True,
            public_max_time=1.5,
            public_max_redirects=50,
            echo_handler=_slow_redirects(),
        ) as wb,
        wb.api() as api,
    ):
        started = time.monotonic()
        r = api.post(
            "/api/send",
            json={
                "request": {
                    "url": wb.echo_url + "/hop/20",
                    "options": {"follow_redirects": True, "max_redirects": 50, "timeout": 30},
                }
            },
        )
        took = time.monotonic() - started
        assert r.status_code == 504 and r.json()["error"]["kind"] == "timeout", r.text
        assert took < 4.0
        assert responsive(wb.url)


def test_a_public_instance_caps_redirects(tmp_path: Path) -> None:
    with (
        start_workbench(
            db_url=f"sqlite:///{tmp_path / 'p.db'}", public=True, public_max_redirects=3
        ) as wb,
        wb.api() as api,
    ):
        r = api.post(
            "/api/send",
            json={
                "request": {
                    "url": wb.echo_url + "/redirect/6",
                    "options": {"follow_redirects": True, "max_redirects": 50},
                }
            },
        )
        assert r.status_code >= 400 and "redirect" in r.text.lower(), r.text
        ok = api.post(
            "/api/send",
            json={
                "request": {
                    "url": wb.echo_url + "/redirect/2",
                    "options": {"follow_redirects": True},
                }
            },
        )
        assert ok.status_code == 200 and ok.json()["response"]["status"] == 200


def test_a_failure_outside_the_api_routes_is_contained(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The page's own database call fails (the table is gone): the answer is
    the one-line 500 with an id, and neither it nor the log carries the
    failing statement's parameters (here, the browser's cookie value)."""
    cookie = "Probe" + "x" * 27
    with start_workbench(db_url=f"sqlite:///{tmp_path / 'gone.db'}") as wb:
        assert wb.storage is not None
        with wb.storage.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE web_sessions")
        with caplog.at_level(logging.ERROR):
            r = httpx.get(wb.url + "/", cookies={"reqlab_sid": cookie})
        assert r.status_code == 500 and "internal error (id" in r.text
        assert cookie not in r.text and "sqlite" not in r.text.lower()
        assert "OperationalError" in caplog.text and cookie not in caplog.text
