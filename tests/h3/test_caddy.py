"""reqlab's HTTP/3 client against Caddy, a second implementation (quic-go)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.h3.caddy import Caddy, needs_caddy, run_caddy

import reqlab
from reqlab.echo.testing import start_echo_server

pytestmark = needs_caddy


@pytest.fixture(scope="module")
def caddy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Caddy]:
    tmp = tmp_path_factory.mktemp("caddy")
    with start_echo_server() as echo, run_caddy(tmp, f"127.0.0.1:{echo.port}") as server:
        yield server


def test_reuse_and_record_sync(caddy: Caddy) -> None:
    with reqlab.Client(verify=False, http_version="HTTP/3") as client:
        first = client.get(f"{caddy.url}/hello")
        second = client.get(f"{caddy.url}/echo")
    assert first.status_code == 200 and first.text == "hello from caddy"
    assert first.exchange.version == "HTTP/3"
    c1, c2 = first.exchange.connection, second.exchange.connection
    assert c1 is not None and c2 is not None and c1.quic is not None
    assert (c1.reused, c2.reused, c2.id == c1.id) == (False, True, True)
    assert c1.quic.version == "QUIC v1"
    assert c1.quic.idle_timeout_peer is not None and c1.quic.max_streams > 0
    # Caddy proxied to the echo server over HTTP/1.1; the reflection says so
    assert second.json()["http_version"] == "HTTP/1.1"


def test_multiplexing_async(caddy: Caddy) -> None:
    async def main() -> list[reqlab.Response]:
        async with reqlab.AsyncClient(verify=False, http_version="HTTP/3") as client:
            await client.get(f"{caddy.url}/hello")
            return list(
                await asyncio.gather(*(client.get(f"{caddy.url}/hello") for _ in range(10)))
            )

    answers = asyncio.run(main())
    ids = {r.exchange.connection.id for r in answers if r.exchange.connection}
    assert len(ids) == 1 and all(r.status_code == 200 for r in answers)


def test_idle_timeout_expiry(caddy: Caddy) -> None:
    with reqlab.Client(verify=False, http_version="HTTP/3") as client:
        client.pool.h3.idle_timeout = 0.4  # ours is the smaller: the effective one
        first = client.get(f"{caddy.url}/hello")
        key = ("https", "127.0.0.1", caddy.port, False)
        conn = client.pool.h3.conns[key]
        conn.pump(lambda: False, None)  # until QUIC's own idle timer ends it
        second = client.get(f"{caddy.url}/hello")
    c1, c2 = first.exchange.connection, second.exchange.connection
    assert c1 is not None and c2 is not None and c1.quic is not None
    assert c1.quic.idle_timeout == 0.4
    assert c2.reused is False and c2.id != c1.id
    assert any("not reused" in w and "idle timeout" in w for w in second.exchange.warnings)


def test_alt_svc_discovery(caddy: Caddy) -> None:
    with reqlab.Client(verify=False, alt_svc=True) as client:
        over_tcp = client.get(f"{caddy.url}/hello")
        over_quic = client.get(f"{caddy.url}/hello")
    assert over_tcp.exchange.version == "HTTP/2"
    assert f'h3=":{caddy.port}"' in (over_tcp.headers.get("alt-svc") or "")
    assert over_quic.exchange.version == "HTTP/3"
    reason = over_quic.exchange.version_reason or ""
    assert reason.startswith(f"Alt-Svc: the origin advertised h3 on UDP port {caddy.port}")


def test_no_alt_svc_without_permission(caddy: Caddy, tmp_path: Path) -> None:
    with reqlab.Client(verify=False) as client:
        client.get(f"{caddy.url}/hello")
        again = client.get(f"{caddy.url}/hello")
    assert again.exchange.version == "HTTP/2" and again.exchange.version_reason is None


@pytest.mark.slow
def test_probe_measures_caddys_http3_idle_timeout(caddy: Caddy) -> None:
    """quic-go (in Caddy) announces 30 s and lets idle connections go then,
    silently: the probe's bisection finds it within 10% (about 75 s)."""
    from reqlab.model import Request
    from reqlab.probe._h3 import check_http3
    from reqlab.probe._h3idle import measure_h3_idle
    from reqlab.probe._probe import ProbeSettings, _State
    from reqlab.probe._report import ProbeReport

    url = f"{caddy.url}/hello"
    settings = ProbeSettings(verify=False, max_idle=40.0)
    state = _State(Request(url=url), settings, lambda _w, _f: None)
    report = ProbeReport(url=url, method="GET", limits={})
    asyncio.run(check_http3(state, report))
    asyncio.run(measure_h3_idle(state, report))
    found = report.http3
    assert found is not None and found["idle_timeout"] == 30.0
    measured = found["idle_timeout_measured"]
    low, high = (measured, measured) if measured is not None else found["idle_between"]
    assert 27.0 <= low <= high <= 34.0, found
    assert state.used <= settings.max_requests
