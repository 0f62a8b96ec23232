"""client.sse(): Server-Sent Events over the clients' own streaming, reconnecting as EventSource."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

import reqlab
from reqlab.echo.testing import EchoHandle, start_echo_server
from reqlab.errors import RemoteProtocolError
from reqlab.protocol.sse import Comment, SSEEvent


@pytest.fixture(scope="module")
def echo():
    with start_echo_server() as server:
        yield server


TICKS = [("tick", str(n), f'{{"n": {n}, "of": 5}}') for n in range(1, 6)]


def _sent(exchange: Any, name: str) -> str | None:
    return next((v for n, v in exchange.request_headers if n.lower() == name), None)


def test_sync_events_arrive_live_and_a_drop_reconnects_with_last_event_id(echo: EchoHandle):
    with reqlab.Client() as client:
        t0 = time.perf_counter()
        with client.sse(f"{echo.url}/sse?count=3&interval=0.15&retry=10") as events:
            seen = [(e.id, time.perf_counter() - t0) for e in events]
        assert [i for i, _ in seen] == ["1", "2", "3"]
        assert seen[2][1] - seen[0][1] >= 0.25  # each came when sent, not at the end
        with client.sse(f"{echo.url}/sse?count=5&interval=0&drop=2&retry=10") as events:
            got = [(e.event, e.id, e.data) for e in events if isinstance(e, SSEEvent)]
    assert got == TICKS
    recs = events.connections
    assert [r.last_event_id for r in recs] == ["", "2", "4", "5"]
    assert [r.events for r in recs] == [2, 2, 1, 0]
    assert [r.status for r in recs] == [200, 200, 200, 204]
    assert "before the end of the chunked body" in recs[0].ended
    assert recs[1].waited == 10.0  # the server's retry: field
    # each connection is one full exchange of the client, Last-Event-ID and all
    exchanges = events.exchanges
    assert [x.status for x in exchanges if x] == [200, 200, 200, 204]
    assert [_sent(x, "last-event-id") for x in exchanges if x] == [None, "2", "4", "5"]
    assert all(_sent(x, "accept") == "text/event-stream" for x in exchanges if x)
    assert all(x.connection is not None and x.timings.wait > 0 for x in exchanges if x)
    # the dropped ones say so, cost their connection; the complete one left it for the 204
    dropped = exchanges[0]
    assert dropped is not None and any("broke off before its end" in w for w in dropped.warnings)
    assert exchanges[3] is not None and exchanges[3].connection is not None
    assert exchanges[3].connection.reused is True
    assert exchanges[0] is not None and exchanges[0].connection is not None
    assert exchanges[1] is not None and exchanges[1].connection is not None
    assert exchanges[1].connection.reused is False


def test_async_events_reconnect_and_record_each_exchange(echo: EchoHandle):
    async def go() -> None:
        async with reqlab.AsyncClient() as client:
            events = client.sse(f"{echo.url}/sse?count=5&interval=0&drop=2&retry=10")
            async with events:
                got = [(e.event, e.id, e.data) async for e in events if isinstance(e, SSEEvent)]
            assert got == TICKS
            assert [r.last_event_id for r in events.connections] == ["", "2", "4", "5"]
            assert [r.ended.split(":")[0] for r in events.connections] == [
                "connection lost", "connection lost", "end of body", "end of body",
            ]  # fmt: skip
            sent = [_sent(x, "last-event-id") for x in events.exchanges if x]
            assert sent == [None, "2", "4", "5"]
            first = events.exchanges[0]
            assert first is not None and any(
                "broke off before its end" in w for w in first.warnings
            )

    asyncio.run(asyncio.wait_for(go(), 20))


def test_method_body_last_event_id_comments_and_stopping_early(echo: EchoHandle):
    with reqlab.Client() as client:
        with client.sse(
            f"{echo.url}/sse?count=4&interval=0&retry=10", last_event_id="1", comments=True
        ) as events:
            items = list(events)
        assert items[0] == Comment(" reqlab echo /sse")
        assert [e.id for e in items if isinstance(e, SSEEvent)] == ["2", "3", "4"]
        # stopping early closes the connection; the record says so
        with client.sse(f"{echo.url}/sse?count=9&interval=0.05", headers={"X-Me": "1"}) as events:
            first = next(iter(events))
        assert isinstance(first, SSEEvent) and first.id == "1"
        only = events.exchanges[0]
        assert only is not None and _sent(only, "x-me") == "1"
        assert any("closed before the end" in w for w in only.warnings)
        # sse(METHOD, URL, body): the method and body are sent (/sse answers a POST 405)
        events = client.sse("POST", f"{echo.url}/sse", json={"a": 1})
        with pytest.raises(RemoteProtocolError, match="got 405"):
            list(events)
        posted = events.exchanges[0]
        assert posted is not None and posted.method == "POST"
        assert posted.request_body == b'{"a":1}'


def test_not_an_event_stream_is_an_error_and_endless_failure_gives_up(echo: EchoHandle):
    with reqlab.Client() as client:
        with pytest.raises(RemoteProtocolError, match="expected 200 text/event-stream, got 200"):
            list(client.sse(f"{echo.url}/get"))
        with pytest.raises(RemoteProtocolError, match="got 404"):
            list(client.sse(f"{echo.url}/status/404"))

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")  # an event stream cut before any event
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n")
        writer.close()

    async def go() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server, reqlab.AsyncClient() as client:
            events = client.sse(f"http://127.0.0.1:{port}/", retry=1, max_reconnects=2)
            with pytest.raises(RemoteProtocolError, match="3 connections in a row"):
                [e async for e in events]
            assert len(events.connections) == 3

    asyncio.run(asyncio.wait_for(go(), 20))


def test_over_http2_the_reconnects_share_the_connection():
    with start_echo_server(tls=True) as echo:
        base = f"https://{echo.host}:{echo.tls_port}"

        async def go() -> None:
            async with reqlab.AsyncClient(verify=False, http_version="HTTP/2") as client:
                events = client.sse(f"{base}/sse?count=3&interval=0&drop=1&retry=10")
                async with events:
                    ids = [e.id async for e in events]
                assert ids == ["1", "2", "3"]
                xs = [x for x in events.exchanges if x]
                assert {x.response_version for x in xs} == {"HTTP/2"}
                assert [x.connection.reused for x in xs if x.connection][1:] == [True] * (
                    len(xs) - 1
                )

        asyncio.run(asyncio.wait_for(go(), 20))
