"""Bad input and limits: each answered, the connection closed, other connections unaffected."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from reqlab.echo import _fallback
from reqlab.echo.testing import EchoHandle, RawConnection, start_echo_server


@pytest.fixture(scope="module")
def echo() -> Iterator[EchoHandle]:
    with start_echo_server(
        handler=_fallback.handle, max_header_bytes=1024, max_body_bytes=100, header_timeout=0.4
    ) as h:
        yield h


def bystander_ok(h: EchoHandle, c: RawConnection) -> None:
    c.send(b"GET /echo HTTP/1.1\r\nHost: x\r\n\r\n")
    assert c.read_response().status == 200


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (b"GET /a b c HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\nBad Header\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\nX: a\r\n folded\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc", 400),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        (b"GET / HTTP/1.1\r\nX: " + b"a" * 2000 + b"\r\n\r\n", 431),
        (b"POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n", 413),
        (
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
            + b"20\r\n"
            + b"a" * 32
            + b"\r\n" * 1
            + b"60\r\n"
            + b"b" * 96
            + b"\r\n",
            413,
        ),
        (b"GET / HTTP/2.0\r\n\r\n", 505),
    ],
)
def test_bad_input_answer_and_close(echo: EchoHandle, data: bytes, status: int) -> None:
    with RawConnection(echo.host, echo.port) as other, RawConnection(echo.host, echo.port) as c:
        bystander_ok(echo, other)
        c.send(data)
        r = c.read_response()
        assert r.status == status
        assert r.header("connection") == "close"
        assert c.wait_close() == "eof"
        bystander_ok(echo, other)


def test_slowloris_gets_408_and_close(echo: EchoHandle) -> None:
    with RawConnection(echo.host, echo.port) as other, RawConnection(echo.host, echo.port) as c:
        bystander_ok(echo, other)
        start = time.monotonic()
        c.send(b"GET / HTTP/1.1\r\nHost: x\r\n")
        c.send(b"X-Slow: 1\r\n")
        r = c.read_response()
        assert r.status == 408 and r.header("connection") == "close"
        assert 0.3 <= time.monotonic() - start < 3
        assert c.wait_close() == "eof"
        bystander_ok(echo, other)


def test_silent_connection_is_closed_after_header_timeout(echo: EchoHandle) -> None:
    with RawConnection(echo.host, echo.port) as c:
        assert c.wait_close(timeout=3) == "eof"


def test_max_connections_refuses_new_ones_quickly() -> None:
    with start_echo_server(handler=_fallback.handle, max_connections=2) as h:
        a = RawConnection(h.host, h.port)
        b = RawConnection(h.host, h.port)
        try:
            bystander_ok(h, a)
            bystander_ok(h, b)
            start = time.monotonic()
            with RawConnection(h.host, h.port) as refused:
                refused.send(b"GET /echo HTTP/1.1\r\nHost: x\r\n\r\n")
                r = refused.read_response()
                assert r.status == 503 and r.header("connection") == "close"
                assert refused.wait_close() == "eof"
            assert time.monotonic() - start < 1
            bystander_ok(h, a)
            bystander_ok(h, b)
        finally:
            a.close()
            b.close()
        # closing one frees a slot
        deadline = time.monotonic() + 5
        while h.connection_count > 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        with RawConnection(h.host, h.port) as c:
            c.send(b"GET /echo HTTP/1.1\r\nHost: x\r\n\r\n")
            assert json.loads(c.read_response().body)["connection"]["id"] == 3
