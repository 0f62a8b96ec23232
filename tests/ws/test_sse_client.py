"""reqlab.sse.EventStream against the echo server's /sse and raw misbehaving servers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from reqlab.echo.testing import EchoHandle
from reqlab.errors import InvalidRequest, RemoteProtocolError, RequestTimeout, ResponseTooLarge
from reqlab.sse import Comment, EventStream, SSEEvent


def run(coro: Callable[[], Awaitable[Any]]) -> Any:
    return asyncio.run(asyncio.wait_for(coro(), 10))


async def collect(stream: EventStream) -> list[Any]:
    async with stream:
        return [item async for item in stream]


def test_events_arrive_as_they_are_sent(echo_server: EchoHandle):
    async def go() -> None:
        stream = EventStream(f"{echo_server.url}/sse?count=3&interval=0.15&retry=10")
        t0 = time.perf_counter()
        seen = []
        async with stream:
            async for event in stream:
                seen.append((event.id, time.perf_counter() - t0))
        assert [i for i, _ in seen] == ["1", "2", "3"]
        assert seen[2][1] - seen[0][1] >= 0.25  # each came when sent, not all at the end
        assert [c.status for c in stream.connections] == [200, 204]

    run(go)


def test_a_dropped_stream_reconnects_with_last_event_id(echo_server: EchoHandle):
    async def go() -> None:
        stream = EventStream(f"{echo_server.url}/sse?count=5&interval=0&drop=2&retry=10")
        events = await collect(stream)
        assert [(e.event, e.id, e.data) for e in events] == [
            ("tick", str(n), f'{{"n": {n}, "of": 5}}') for n in range(1, 6)
        ]
        recs = stream.connections
        assert [r.last_event_id for r in recs] == ["", "2", "4", "5"]
        assert [r.events for r in recs] == [2, 2, 1, 0]
        assert "before the end of the chunked body" in recs[0].ended
        assert recs[1].waited == 10.0  # the server's retry: field
        assert recs[-1].status == 204 and all(r.connect > 0 for r in recs)

    run(go)


def test_last_event_id_given_up_front_and_comments(echo_server: EchoHandle):
    async def go() -> None:
        items = await collect(
            EventStream(
                f"{echo_server.url}/sse?count=3&interval=0&retry=10",
                last_event_id="1",
                comments=True,
            )
        )
        assert items[0] == Comment(" reqlab echo /sse")
        assert [e.id for e in items if isinstance(e, SSEEvent)] == ["2", "3"]

    run(go)


async def _raw(answer: bytes, then_hold: bool = True) -> tuple[asyncio.Server, int]:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(answer)
        if then_hold:
            await reader.read()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


def test_a_wrong_status_or_type_is_an_error_not_a_reconnect_loop():
    async def go() -> None:
        server, port = await _raw(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 0\r\n\r\n"
        )
        async with server:
            with pytest.raises(
                RemoteProtocolError, match="expected 200 text/event-stream, got 200 text/html"
            ):
                await collect(EventStream(f"http://127.0.0.1:{port}/"))

    run(go)


def test_limits_no_answer_and_an_event_that_never_ends():
    async def go() -> None:
        server, port = await _raw(b"", then_hold=True)
        async with server:
            with pytest.raises(RequestTimeout, match="event stream response after 0.2 s"):
                await collect(EventStream(f"http://127.0.0.1:{port}/", timeout=0.2))
        endless = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: " + b"x" * 5000
        server, port = await _raw(endless)
        async with server:
            with pytest.raises(ResponseTooLarge, match="event over 1000 characters"):
                await collect(EventStream(f"http://127.0.0.1:{port}/", max_event=1000))

    run(go)


def test_a_stream_that_keeps_failing_gives_up_with_a_clear_message(echo_server: EchoHandle):
    async def go() -> None:
        # each connection is cut before any event: reconnects bounded by max_reconnects
        server, port = await _raw(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n", then_hold=False
        )
        async with server:
            stream = EventStream(f"http://127.0.0.1:{port}/", retry=1, max_reconnects=2)
            with pytest.raises(
                RemoteProtocolError, match="3 connections in a row without an event"
            ):
                await collect(stream)
            assert len(stream.connections) == 3

    run(go)


def test_bad_url():
    with pytest.raises(InvalidRequest, match="http:// or https://"):
        EventStream("ws://127.0.0.1/")


def test_over_tls():
    from reqlab.echo.testing import start_echo_server

    async def go(base: str) -> None:
        stream = EventStream(f"{base}/sse?count=2&interval=0&retry=10", verify=False)
        assert [e.id for e in await collect(stream)] == ["1", "2"]
        assert stream.connections[0].tls > 0

    with start_echo_server(tls=True) as echo:
        run(lambda: go(f"https://{echo.host}:{echo.tls_port}"))
