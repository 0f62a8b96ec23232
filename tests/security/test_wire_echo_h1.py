"""Issue 15 items 7 and 9 (wire parts): chunked trailers on the echo server,
HTTP/1.0 with chunked framing, a request line that is not one, and TLS
spoken to a plain-HTTP port."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from reqlab.client import Client
from reqlab.echo.testing import EchoHandle, RawConnection, start_echo_server
from reqlab.errors import TLSError
from reqlab.protocol.h1client import H1Client

from ._wire import Process, echo_process, timed_get, tiny_server, trailer_flood

MIB = 1024 * 1024
CHUNKED_HEAD = (
    b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n"
)


@pytest.fixture(scope="module")
def echo() -> Iterator[EchoHandle]:
    with start_echo_server(max_body_bytes=100_000, max_header_bytes=8192) as handle:
        yield handle


def test_small_trailers_still_work(echo: EchoHandle) -> None:
    with RawConnection("127.0.0.1", echo.port) as conn:
        conn.send(CHUNKED_HEAD + b"X-Checksum: 1\r\n\r\n")
        assert conn.read_response().status == 200


@pytest.mark.parametrize(
    ("trailer", "status"),
    [
        (b"X-Big: " + b"a" * 20_000 + b"\r\n\r\n", 431),  # one field past max_header_bytes
        (b"X: y\r\n" * 5_000 + b"\r\n", 431),  # many small fields
    ],
)
def test_trailers_count_against_the_header_limit(
    echo: EchoHandle, trailer: bytes, status: int
) -> None:
    with RawConnection("127.0.0.1", echo.port) as conn:
        with contextlib.suppress(OSError):  # the server may answer and close first
            conn.send(CHUNKED_HEAD + trailer)
        assert conn.read_response().status == status


def test_trailers_count_against_the_body_limit() -> None:
    with start_echo_server(max_body_bytes=1000, max_header_bytes=65536) as echo:
        body = b"3e0\r\n" + b"b" * 992 + b"\r\n"  # 992 bytes of body, within the limit
        head = b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        with RawConnection("127.0.0.1", echo.port) as conn:
            conn.send(head + body + b"0\r\nX-Pad: " + b"p" * 100 + b"\r\n\r\n")
            assert conn.read_response().status == 413


def test_a_chunk_header_that_never_ends_is_refused(echo: EchoHandle) -> None:
    head = b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext="
    with RawConnection("127.0.0.1", echo.port) as conn:
        with contextlib.suppress(OSError):
            conn.send(head + b"e" * 20_000)
        assert conn.read_response().status == 431


@pytest.fixture(scope="module")
def server() -> Iterator[Process]:
    with echo_process() as proc:
        timed_get(proc.port)
        yield proc


def test_fifty_mb_trailers_six_at_once_refused_early_with_bounded_memory(server: Process) -> None:
    rss0 = server.rss_mib()
    results: list[tuple[int, int]] = []
    t0 = time.monotonic()
    threads = [
        threading.Thread(target=lambda: results.append(trailer_flood(server.port, 50 * MIB)))
        for _ in range(6)
    ]
    for t in threads:
        t.start()
    latency = timed_get(server.port)
    for t in threads:
        t.join(30)
    assert [status for status, _ in results] == [431] * 6
    # Refused long before the 50 MB arrived (what was sent by the time the
    # answer was read includes the kernel's socket buffers and the drain).
    assert all(sent < 25 * MIB for _, sent in results), results
    assert time.monotonic() - t0 < 5
    assert latency < 1.0
    assert server.rss_mib() - rss0 < 20, (rss0, server.rss_mib())


def test_http10_chunked_request_closes_the_connection(echo: EchoHandle) -> None:
    request = (
        b"POST /echo HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
    )
    with RawConnection("127.0.0.1", echo.port) as conn:
        conn.send(request)
        response = conn.read_response()
        assert response.status == 200
        assert response.header("connection") == "close"
        assert conn.wait_close(5) == "eof"


def test_client_does_not_keep_an_http10_chunked_connection() -> None:
    client = H1Client()
    client.send(
        "POST",
        "/",
        "HTTP/1.0",
        [("Host", "x"), ("Connection", "keep-alive"), ("Transfer-Encoding", "chunked")],
        b"5\r\nhello\r\n0\r\n\r\n",
    )
    client.receive_data(
        b"HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n"
        b"Content-Length: 2\r\n\r\nok"
    )
    assert client.state == "DONE" and not client.reusable


def test_a_request_line_that_is_not_one_gets_400_then_close(echo: EchoHandle) -> None:
    with RawConnection("127.0.0.1", echo.port) as conn:
        conn.send(b"BLAH\r\n\r\n")
        assert conn.read_response().status == 400
        assert conn.wait_close(5) == "eof"


def test_tls_to_a_plain_http_port_names_the_reason(echo: EchoHandle) -> None:
    def plain(sock: socket.socket, head: bytes) -> None:
        sock.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    with (
        tiny_server(plain, any_bytes=True) as port,
        Client() as client,
        pytest.raises(TLSError, match="answered in plain HTTP, not TLS"),
    ):
        client.get(f"https://127.0.0.1:{port}/")
    # reqlab echo closes silently on a TLS ClientHello: the reason says so.
    with Client() as client, pytest.raises(TLSError, match="closed during the handshake"):
        client.get(f"https://127.0.0.1:{echo.port}/")
