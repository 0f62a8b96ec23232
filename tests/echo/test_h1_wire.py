"""HTTP/1.x persistent-connection rules, measured on real sockets on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator

import pytest

from reqlab.echo import _fallback
from reqlab.echo._types import EchoRequest, EchoResponse
from reqlab.echo.testing import EchoHandle, RawConnection, start_echo_server


async def handler(request: EchoRequest) -> EchoResponse:
    """The built-in reflection, plus /slow and /stream for the engine's own needs."""
    if request.target.startswith("/slow"):
        await asyncio.sleep(0.5)
    if request.target.startswith("/stream"):

        async def parts() -> AsyncIterator[bytes]:
            for i in range(3):
                await asyncio.sleep(0)
                yield f"part{i};".encode()

        return EchoResponse(200, [("Content-Type", "text/plain")], parts())
    if request.target.startswith("/close"):
        return EchoResponse(200, [], b"bye", close=True)
    return await _fallback.handle(request)


@pytest.fixture
def echo() -> Iterator[EchoHandle]:
    with start_echo_server(handler=handler, keep_alive_timeout=2, keep_alive_max=100) as h:
        yield h


def connect(h: EchoHandle) -> RawConnection:
    return RawConnection(h.host, h.port)


def test_http10_without_keep_alive_closes(echo: EchoHandle) -> None:
    with connect(echo) as c:
        c.send(b"GET /echo HTTP/1.0\r\nHost: x\r\n\r\n")
        r = c.read_response()
        assert r.status == 200
        assert r.header("connection") == "close"
        assert r.header("keep-alive") is None
        assert json.loads(r.body)["keep_alive"]["persistent"] is False
        assert c.wait_close() == "eof"


def test_http10_keep_alive_persists_with_length_and_keep_alive_header(echo: EchoHandle) -> None:
    with connect(echo) as c:
        for expected_max in (99, 98):
            c.send(b"GET /echo HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            r = c.read_response()
            assert r.header("connection") == "keep-alive"
            assert r.header("keep-alive") == f"timeout=2, max={expected_max}"
            assert r.header("content-length") == str(len(r.body))
        c.send(b"GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        r = c.read_response()
        assert r.header("transfer-encoding") is None
        assert r.header("content-length") == str(len(b"part0;part1;part2;"))
        assert r.body == b"part0;part1;part2;"


def test_http11_persists_by_default_and_streams_chunked(echo: EchoHandle) -> None:
    with connect(echo) as c:
        c.send(b"GET /echo HTTP/1.1\r\nHost: x\r\n\r\n")
        r = c.read_response()
        assert r.header("keep-alive") == "timeout=2, max=99"
        body = json.loads(r.body)
        assert body["connection"]["request_number"] == 1
        c.send(b"GET /stream HTTP/1.1\r\nHost: x\r\n\r\n")
        r = c.read_response()
        assert r.header("transfer-encoding") == "chunked"
        assert r.body == b"part0;part1;part2;"
        c.send(b"GET /echo HTTP/1.1\r\nHost: x\r\n\r\n")
        assert json.loads(c.read_response().body)["connection"]["request_number"] == 3


@pytest.mark.parametrize("value", ["close", "Close", "keep-alive, close", "Keep-Alive,CLOSE"])
def test_close_token_in_any_case_or_list_closes(echo: EchoHandle, value: str) -> None:
    with connect(echo) as c:
        c.send(f"GET /echo HTTP/1.1\r\nHost: x\r\nConnection: {value}\r\n\r\n".encode())
        r = c.read_response()
        assert r.header("connection") == "close" and r.header("keep-alive") is None
        assert c.wait_close() == "eof"


def test_response_side_close(echo: EchoHandle) -> None:
    with connect(echo) as c:
        c.send(b"GET /close HTTP/1.1\r\nHost: x\r\n\r\n")
        assert c.read_response().header("connection") == "close"
        assert c.wait_close() == "eof"


def test_keep_alive_max_counts_down_and_nth_response_closes() -> None:
    with start_echo_server(handler=handler, keep_alive_max=3) as h, connect(h) as c:
        seen = []
        for _ in range(3):
            c.send(b"GET /echo HTTP/1.1\r\nHost: x\r\n\r\n")
            r = c.read_response()
            seen.append((r.header("connection"), r.header("keep-alive")))
        assert seen == [
            ("keep-alive", "timeout=5, max=2"),
            ("keep-alive", "timeout=5, max=1"),
            ("close", None),
        ]
        assert c.wait_close() == "eof"


def test_idle_timeout_closes_with_a_clean_fin() -> None:
    with start_echo_server(handler=handler, keep_alive_timeout=0.3) as h, connect(h) as c:
        c.send(b"GET /echo HTTP/1.1\r\nHost: x\r\n\r\n")
        assert c.read_response().header("keep-alive") == "timeout=0.3, max=99"
        start = time.monotonic()
        assert c.wait_close(timeout=5) == "eof"
        assert 0.25 <= time.monotonic() - start < 3


def test_idle_timer_never_runs_while_reading_or_answering() -> None:
    with start_echo_server(handler=handler, keep_alive_timeout=0.3) as h, connect(h) as c:
        # answering: /slow takes 0.5 s, longer than the idle timeout
        c.send(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        assert c.read_response().status == 200
        # reading: a head that takes 0.5 s to arrive (header timeout is 10 s)
        c.send(b"GET /echo HTTP/1.1\r\n")
        assert c.wait_close(timeout=0.5) == "open"
        c.send(b"Host: x\r\n\r\n")
        assert c.read_response().status == 200


def test_client_half_close_still_gets_the_answer(echo: EchoHandle) -> None:
    import socket

    with connect(echo) as c:
        c.send(b"GET /echo HTTP/1.1\r\nHost: x\r\n\r\n")
        c.sock.shutdown(socket.SHUT_WR)
        assert c.read_response().status == 200
        assert c.wait_close() == "eof"


def test_pipelined_requests_are_answered_in_order(echo: EchoHandle) -> None:
    with connect(echo) as c:
        c.send(
            b"GET /slow/1 HTTP/1.1\r\nHost: x\r\n\r\n"
            b"POST /echo/2 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"
            b"GET /stream/3 HTTP/1.1\r\nHost: x\r\n\r\n"
            b"GET /echo/4 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        first = json.loads(c.read_response().body)
        second = json.loads(c.read_response().body)
        third = c.read_response().body
        fourth = c.read_response()
        assert first["target"] == "/slow/1"
        assert (second["target"], second["body"]) == ("/echo/2", "hi")
        assert second["connection"]["request_number"] == 2
        assert third == b"part0;part1;part2;"
        assert json.loads(fourth.body)["target"] == "/echo/4"
        assert fourth.header("connection") == "close"
        assert c.wait_close() == "eof"


def test_head_gets_headers_without_body_and_connection_goes_on(echo: EchoHandle) -> None:
    with connect(echo) as c:
        c.send(b"HEAD /echo HTTP/1.1\r\nHost: x\r\n\r\nGET /echo HTTP/1.1\r\nHost: x\r\n\r\n")
        head = c.read_response(head_only=True)
        assert int(head.header("content-length") or 0) > 0
        after = c.read_response()
        assert json.loads(after.body)["method"] == "GET"


def test_expect_100_continue(echo: EchoHandle) -> None:
    with connect(echo) as c:
        c.send(
            b"PUT /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"
        )
        interim = c.read_response()
        assert interim.status == 100
        c.send(b"hello")
        r = c.read_response()
        assert json.loads(r.body)["body"] == "hello"


def test_raw_head_and_header_case_are_reflected(echo: EchoHandle) -> None:
    raw = b"POST /echo?q=1 HTTP/1.1\r\nhOsT: x\r\nX-A: 1\r\nx-a: 2\r\nTransfer-Encoding: chunked\r\n\r\n"
    with connect(echo) as c:
        c.send(raw + b"3\r\nabc\r\n0\r\n\r\n")
        body = json.loads(c.read_response().body)
        assert body["raw_head"] == raw.decode()
        assert body["headers"][:3] == [["hOsT", "x"], ["X-A", "1"], ["x-a", "2"]]
        assert body["body"] == "abc"


def test_deep_pipeline_is_answered_in_order() -> None:
    n = 500
    with start_echo_server(handler=handler, keep_alive_max=1000) as h, connect(h) as c:
        c.send(b"".join(b"GET /echo/%d HTTP/1.1\r\nHost: x\r\n\r\n" % i for i in range(n)))
        targets = [json.loads(c.read_response().body)["target"] for _ in range(n)]
    assert targets == [f"/echo/{i}" for i in range(n)]


def test_client_racing_the_idle_timeout_gets_no_reset() -> None:
    import socket

    with start_echo_server(handler=handler, keep_alive_timeout=0.3) as h, connect(h) as c:
        c.send(b"GET /echo HTTP/1.1\r\nHost: x\r\n\r\n")
        c.read_response()
        assert c.sock.recv(1) == b""  # the server's FIN after 0.3 s idle
        # a request sent into the half-closed connection is read and dropped, not reset
        c.send(b"GET /echo HTTP/1.1\r\nHost: x\r\n\r\n")
        c.sock.shutdown(socket.SHUT_WR)
        assert c.wait_close() == "eof"


def test_graceful_shutdown_finishes_answers_in_flight() -> None:
    h = start_echo_server(handler=handler)
    idle = connect(h)
    busy = connect(h)
    try:
        idle.send(b"GET /echo HTTP/1.1\r\nHost: x\r\n\r\n")
        idle.read_response()
        busy.send(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        deadline = time.monotonic() + 5
        while not any(c._busy for c in list(h.server.connections)) and time.monotonic() < deadline:
            time.sleep(0.01)
        h.close()  # returns once every connection is gone
        assert idle.wait_close() == "eof"
        r = busy.read_response()
        assert r.status == 200 and r.header("connection") == "close"
        assert busy.wait_close() == "eof"
    finally:
        idle.close()
        busy.close()


def test_any_method_token_is_reflected_exactly_pipelined(echo: EchoHandle) -> None:
    requests = [
        b"FOOBAR /echo HTTP/1.1\r\nHost: x\r\n\r\n",
        b"purge /echo/p HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\n",
        b"M-SEARCH * HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"Get /echo HTTP/1.1\r\nHost: x\r\n\r\n",
    ]
    bodies = [b"", b"data", b"3\r\nabc\r\n0\r\n\r\n", b""]
    with connect(echo) as c:
        c.send(b"".join(r + b for r, b in zip(requests, bodies, strict=True)))
        seen = [json.loads(c.read_response().body) for _ in requests]
    assert [s["method"] for s in seen] == ["FOOBAR", "purge", "M-SEARCH", "Get"]
    assert [s["raw_head"].encode("latin-1") for s in seen] == requests
    assert [s["body"] for s in seen] == ["", "data", "abc", ""]


def test_a_method_that_is_not_a_token_gets_400(echo: EchoHandle) -> None:
    with connect(echo) as c:
        c.send(b"FO\x7fO /echo HTTP/1.1\r\nHost: x\r\n\r\n")
        assert c.read_response().status == 400
        assert c.wait_close() == "eof"


def _sync_twin(request: EchoRequest) -> EchoResponse | None:
    if request.target == "/sync/fail":
        raise RuntimeError("a bug in a synchronous handler")
    if request.target.startswith("/sync"):
        return EchoResponse(
            200, [("Content-Type", "text/plain")], b"sync:" + request.target.encode()
        )
    return None  # everything else: the async handler


async def handler_with_sync(request: EchoRequest) -> EchoResponse:
    return EchoResponse(200, [("Content-Type", "text/plain")], b"async:" + request.target.encode())


handler_with_sync.sync = _sync_twin  # type: ignore[attr-defined]


def test_a_handlers_sync_twin_answers_in_order_and_its_failure_is_a_500() -> None:
    with start_echo_server(handler=handler_with_sync) as h, connect(h) as c:
        c.send(
            b"GET /sync/1 HTTP/1.1\r\n\r\nGET /other HTTP/1.1\r\n\r\n"
            b"GET /sync/2 HTTP/1.1\r\n\r\nGET /sync/fail HTTP/1.1\r\n\r\n"
        )
        bodies = [c.read_response() for _ in range(4)]
        assert [r.body for r in bodies[:3]] == [b"sync:/sync/1", b"async:/other", b"sync:/sync/2"]
        assert bodies[0].header("keep-alive") is not None
        assert bodies[3].status == 500 and bodies[3].header("connection") == "close"
        assert c.wait_close() == "eof"
