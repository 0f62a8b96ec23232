"""The sync engine: blocking sockets on the shared sans-IO core, no event loop."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

import reqlab
from reqlab.echo.testing import start_echo_server

from .conftest import ok

CLIENT_SRC = Path(reqlab.__file__).parent / "client"


def test_no_asyncio_private_internals_in_the_client():
    for path in CLIENT_SRC.glob("*.py"):
        text = path.read_text()
        for name in ("_run_once", "_set_running_loop", "_asyncio_future_blocking"):
            assert name not in text, f"{path.name} uses {name}"


def test_sync_client_does_not_touch_an_event_loop(nginx):
    async def inside() -> list[bool]:
        loop = asyncio.get_running_loop()
        before = loop.time()
        with reqlab.Client() as client:
            reused = [client.get(nginx.url + "/").exchange.connection.reused for _ in range(3)]
        assert loop.is_running() and loop.time() >= before
        return reused

    assert asyncio.run(inside()) == [False, True, True]


def test_http2_streams_share_one_connection(nginx):
    with reqlab.Client(cafile=nginx.ca_file) as client:
        records = [client.get(nginx.tls_url + "/").exchange for _ in range(3)]
    assert [r.version for r in records] == ["HTTP/2"] * 3
    assert len({r.connection.id for r in records}) == 1
    assert [r.connection.reused for r in records] == [False, True, True]
    assert [r.connection.requests for r in records] == [1, 2, 3]


def test_h2c_prior_knowledge_against_echo():
    with start_echo_server() as echo, reqlab.Client(http1=False) as client:
        first = client.post(echo.url + "/post", content=b"x" * 200_000)
        second = client.get(echo.url + "/get")
    assert first.http_version == "HTTP/2" and first.json()["data"] == "x" * 200_000
    assert second.exchange.connection.reused is True


def test_stale_keep_alive_connection_is_retried_once_and_recorded(scripted):
    # connection 1 answers once and then closes without a word; the second GET
    # meets the closed socket only when it reads.
    server = scripted(lambda conn, n, raw: (ok(), True) if conn == 1 else ok(b"fresh"))
    with reqlab.Client() as client:
        client.get(server.url + "/")
        server.closed.wait(5)
        r = client.get(server.url + "/")
    assert r.text == "fresh"
    notes = " ".join(r.exchange.warnings)
    assert r.exchange.retried or "not reused" in notes


def test_timeout_names_the_phase():
    with (
        start_echo_server() as echo,
        reqlab.Client(timeout=0.3) as client,
        pytest.raises(reqlab.RequestTimeout) as info,
    ):
        client.get(echo.url + "/delay/2")
    assert info.value.phase == "wait"


def test_recording_off_keeps_only_what_a_response_reads(nginx):
    with reqlab.Client() as client:
        client.sizes.record = False
        r = client.get(nginx.url + "/")
    assert r.status_code == 200 and r.content
    assert r.exchange.connection is None and r.exchange.request_raw is None
