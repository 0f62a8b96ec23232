"""The guard: Host names, same-origin API calls, CSRF, CSP, public-mode targets."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from reqlab.errors import ResponseTooLarge
from reqlab.web.config import WebConfig
from reqlab.web.guard import BlockedAddress, GuardedEventLoop, guarding, refusal
from reqlab.web.testing import Workbench, start_workbench


def test_binds_127_0_0_1_by_default() -> None:
    from reqlab.cli.serve import serve

    host = next(p for p in serve.params if p.name == "host")
    assert host.default == "127.0.0.1"
    assert WebConfig().host == "127.0.0.1"


def test_foreign_host_names_are_refused(workbench: Workbench) -> None:
    """DNS rebinding: evil.example resolving to 127.0.0.1 gets nothing."""
    for path in ("/", "/api/session", "/static/app.js"):
        r = httpx.get(
            workbench.url + path, headers={"Host": f"evil.example:{workbench.config.port}"}
        )
        assert r.status_code == 421, path
    ok = httpx.get(workbench.url + "/", headers={"Host": f"localhost:{workbench.config.port}"})
    assert ok.status_code == 200


def test_cross_origin_api_calls_are_refused(api: httpx.Client, workbench: Workbench) -> None:
    body = {"request": {"url": workbench.echo_url + "/get"}}
    evil = api.post("/api/send", json=body, headers={"Origin": "http://evil.example"})
    assert evil.status_code == 403 and "origin" in evil.json()["error"]["message"]
    site = api.post("/api/send", json=body, headers={"Sec-Fetch-Site": "cross-site"})
    assert site.status_code == 403
    same = api.post(
        "/api/send",
        json=body,
        headers={"Origin": workbench.url, "Sec-Fetch-Site": "same-origin"},
    )
    assert same.status_code == 200
    # Even reading the token is refused to another site.
    assert httpx.get(workbench.url + "/api/session", headers={"Origin": "null"}).status_code == 403


def test_api_needs_the_sessions_csrf_token(api: httpx.Client, workbench: Workbench) -> None:
    body = {"request": {"url": workbench.echo_url + "/get"}}
    cookies = api.cookies
    no_token = httpx.post(workbench.url + "/api/send", json=body, cookies=cookies)
    assert no_token.status_code == 403 and "CSRF" in no_token.json()["error"]["message"]
    wrong = httpx.post(
        workbench.url + "/api/send", json=body, cookies=cookies, headers={"X-CSRF-Token": "0" * 64}
    )
    assert wrong.status_code == 403
    # A token is bound to its session: another session's token does not work.
    with workbench.api() as other:
        mixed = httpx.post(
            workbench.url + "/api/send",
            json=body,
            cookies=cookies,
            headers={"X-CSRF-Token": other.headers["X-CSRF-Token"]},
        )
    assert mixed.status_code == 403
    no_cookie = httpx.get(
        workbench.url + "/api/history", headers={"X-CSRF-Token": api.headers["X-CSRF-Token"]}
    )
    assert no_cookie.status_code == 403


def test_session_cookie_and_security_headers(workbench: Workbench) -> None:
    page = httpx.get(workbench.url + "/")
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    for r in (
        page,
        httpx.get(workbench.url + "/static/app.js"),
        httpx.get(workbench.url + "/api/session"),
    ):
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
    assert '<meta name="csrf-token" content="' in page.text


def test_response_html_is_only_previewed_in_a_sandboxed_srcdoc_iframe() -> None:
    js = (Path(__file__).parents[2] / "src/reqlab/web/static/response.js").read_text()
    assert 'frame.setAttribute("sandbox", "")' in js and "frame.srcdoc = body.text" in js
    # The only innerHTML assignment takes the highlighter's escaped output.
    assert js.count("innerHTML") == 1 and "pretty.innerHTML = out.html" in js


def test_downloaded_bodies_are_attachments_under_a_sandbox_csp(
    api: httpx.Client, workbench: Workbench
) -> None:
    x = api.post("/api/send", json={"request": {"url": workbench.echo_url + "/html"}}).json()
    r = api.get(x["response"]["body"]["download"])
    assert r.headers["content-type"] == "application/octet-stream"
    assert r.headers["content-disposition"].startswith("attachment")
    assert "sandbox" in r.headers["content-security-policy"]


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.1",
        "172.16.5.5",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "fd00:ec2::254",
        "100.100.100.200",
        "0.0.0.0",
        "::ffff:127.0.0.1",
        "100.64.0.1",
    ],
)
def test_private_and_metadata_addresses_are_refused(address: str) -> None:
    assert refusal(address) is not None


def test_public_addresses_pass() -> None:
    assert refusal("93.184.216.34") is None and refusal("2606:2800:220:1::1") is None


def test_public_instance_refuses_loopback_targets(tmp_path: Path, echo_server) -> None:  # noqa: ANN001
    """echo_server is some other service on this machine; the instance's own
    echo server stays usable."""
    with (
        start_workbench(db_url=f"sqlite:///{tmp_path / 'p.db'}", public=True) as wb,
        wb.api() as api,
    ):
        inner = [
            echo_server.url + "/get",
            f"http://localhost:{echo_server.port}/get",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::1]:9/",
        ]
        for url in inner:
            r = api.post("/api/send", json={"request": {"url": url}})
            assert r.status_code == 403, url
            assert r.json()["error"]["kind"] == "blocked-address"
        own = api.post("/api/send", json={"request": {"url": wb.echo_url + "/get"}})
        assert own.status_code == 200
        # A redirect from an allowed target to an inner one is caught when the
        # client resolves the new host, before it connects.
        bounce = api.post(
            "/api/send",
            json={
                "request": {
                    "url": wb.echo_url + "/redirect-to?url=" + echo_server.url + "/get",
                    "options": {"follow_redirects": True},
                }
            },
        )
        assert bounce.status_code == 403 and bounce.json()["error"]["kind"] == "blocked-address"
    assert echo_server.server.next_id() == 1  # no connection ever reached the inner service


def test_allow_private_lets_a_public_instance_reach_loopback(tmp_path: Path) -> None:
    with (
        start_workbench(
            db_url=f"sqlite:///{tmp_path / 'p.db'}", public=True, allow_private=True
        ) as wb,
        wb.api() as api,
    ):
        r = api.post("/api/send", json={"request": {"url": wb.echo_url + "/get"}})
        assert r.status_code == 200


def test_the_connect_time_check_sees_the_address_actually_used(echo_server) -> None:  # noqa: ANN001
    """Past the up-front check (say DNS answered differently the second
    time), the client's own resolution is checked before it connects."""
    from reqlab import AsyncClient, Request

    async def attempt(host: str) -> None:
        client = AsyncClient()
        try:
            with guarding():
                await client.send(Request(url=f"http://{host}:{echo_server.port}/get"))
        finally:
            await client.aclose()

    loop = GuardedEventLoop()
    try:
        # A name (checked when resolved) and an IP literal (never resolved:
        # checked at sock_connect, the address actually connected to).
        for host in ("localhost", "127.0.0.1"):
            with pytest.raises(BlockedAddress):
                loop.run_until_complete(attempt(host))
        assert echo_server.server.next_id() == 1  # refused before connecting
        # Outside guarding() the same loop resolves normally.
        infos = loop.run_until_complete(loop.getaddrinfo("localhost", 80))
        assert infos
    finally:
        loop.close()


def test_public_instance_caps_response_size_and_time(tmp_path: Path) -> None:
    with (
        start_workbench(
            db_url=f"sqlite:///{tmp_path / 'p.db'}",
            public=True,
            allow_private=True,
            public_max_body=1000,
            public_max_time=0.5,
        ) as wb,
        wb.api() as api,
    ):
        big = api.post("/api/send", json={"request": {"url": wb.echo_url + "/bytes/5000"}})
        assert big.status_code == 502 and big.json()["error"]["kind"] == "too-large"
        slow = api.post(
            "/api/send",
            json={"request": {"url": wb.echo_url + "/delay/3", "options": {"timeout": 60}}},
        )
        assert slow.status_code == 504 and slow.json()["error"]["kind"] == "timeout"
    assert issubclass(ResponseTooLarge, Exception)


def test_public_instance_rate_limits_per_client(tmp_path: Path) -> None:
    with start_workbench(
        db_url=f"sqlite:///{tmp_path / 'p.db'}", public=True, rate_per_minute=1, rate_burst=5
    ) as wb:
        with wb.api() as api:  # /api/session took one token
            answers = [api.get("/api/history") for _ in range(6)]
        assert [r.status_code for r in answers[:4]] == [200] * 4
        assert answers[-1].status_code == 429 and int(answers[-1].headers["retry-after"]) >= 1
        with httpx.Client(base_url=wb.url) as other:  # same address: same bucket
            assert other.get("/api/session").status_code == 429


def test_guarded_loop_is_used_by_public_serve() -> None:
    from reqlab.web.server import loop_factory

    assert loop_factory(WebConfig(public=True)) is GuardedEventLoop
    assert loop_factory(WebConfig(public=True, allow_private=True)) is not GuardedEventLoop
    assert asyncio.iscoroutinefunction(GuardedEventLoop.getaddrinfo)


def test_the_page_needs_no_cdn_and_stays_small(workbench: Workbench) -> None:
    import re

    page = httpx.get(workbench.url + "/").text
    refs = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert refs and all(r.startswith("/static/") or r.startswith("data:") for r in refs), refs
    static = Path(__file__).parents[2] / "src/reqlab/web/static"
    for asset in [*static.glob("*.js"), static / "style.css"]:
        text = asset.read_text().replace(
            "http://www.w3.org/2000/svg", ""
        )  # a namespace, not a fetch
        assert "http://" not in text and "https://" not in text, asset.name
    assert sum(f.stat().st_size for f in static.iterdir()) < 300 * 1024
