"""/sse on the wire, and httpbin's streaming endpoints really stream (bytes before the end)."""

from __future__ import annotations

import socket
import time

import pytest

from reqlab.echo.testing import EchoHandle


def request(echo: EchoHandle, target: str, extra: str = "") -> socket.socket:
    s = socket.create_connection((echo.host, echo.port), timeout=5)
    s.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\n{extra}Connection: close\r\n\r\n".encode())
    return s


def read_all(s: socket.socket) -> bytes:
    data = b""
    while chunk := s.recv(65536):
        data += chunk
    s.close()
    return data


def test_sse_numbered_events_and_last_event_id(echo_server: EchoHandle):
    data = read_all(
        request(echo_server, "/sse?count=3&interval=0&retry=500", "Last-Event-ID: 1\r\n")
    )
    head, _, body = data.partition(b"\r\n\r\n")
    assert b"Content-Type: text/event-stream; charset=utf-8" in head
    assert b"Cache-Control: no-cache" in head and b"Transfer-Encoding: chunked" in head
    assert b"retry: 500\n" in body
    assert b'id: 2\nevent: tick\ndata: {"n": 2, "of": 3}\n\n' in body and b"id: 1\n" not in body
    assert body.endswith(b"0\r\n\r\n")
    done = read_all(request(echo_server, "/sse?count=3", "Last-Event-ID: 3\r\n"))
    assert done.startswith(b"HTTP/1.1 204 ")


def test_sse_drop_cuts_the_connection_mid_body(echo_server: EchoHandle):
    data = read_all(request(echo_server, "/sse?count=5&interval=0&drop=2"))
    assert b"id: 2\n" in data and b"id: 3\n" not in data and not data.endswith(b"0\r\n\r\n")


@pytest.mark.parametrize(
    ("query", "words"),
    [("count=0", b"count must be"), ("interval=x", b"bad query"), ("drop=-1", b"drop")],
)
def test_sse_bad_query_is_400(echo_server: EchoHandle, query, words):
    data = read_all(request(echo_server, f"/sse?{query}"))
    assert data.startswith(b"HTTP/1.1 400 ") and words in data


@pytest.mark.parametrize(
    "target", ["/sse?count=2&interval=0.6", "/drip?duration=0.6&numbytes=3&delay=0"]
)
def test_streams_send_their_first_bytes_before_the_end(echo_server: EchoHandle, target):
    s = request(echo_server, target)
    data = b""
    while b"\r\n\r\n" not in data or not data.partition(b"\r\n\r\n")[2]:
        data += s.recv(65536)  # the head and the first body bytes
    first = time.perf_counter()
    rest = read_all(s)
    assert b"200 OK" in data and rest
    assert time.perf_counter() - first >= 0.25  # the rest came later: streamed, not buffered


def test_stream_n_is_json_lines(echo_server: EchoHandle):
    body = read_all(request(echo_server, "/stream/3")).partition(b"\r\n\r\n")[2]
    assert body.count(b'"id"') == 3  # one JSON object per line, as httpbin's


def test_sse_over_http2_and_drop_resets_the_stream(echo_server: EchoHandle):
    import httpx

    with httpx.Client(http2=True, http1=False) as client:
        r = client.get(f"{echo_server.url}/sse?count=2&interval=0")
        assert r.http_version == "HTTP/2" and r.text.count("event: tick") == 2
        with (
            pytest.raises(httpx.RemoteProtocolError),
            client.stream("GET", f"{echo_server.url}/sse?count=5&interval=0&drop=1") as s,
        ):
            s.read()


@pytest.mark.parametrize(
    ("target", "expected"),
    [("/drip?duration=0.2&numbytes=4&delay=0", b"****"), ("/sse?count=3&interval=0.05", None)],
)
def test_streams_that_wait_between_chunks_finish_over_tls(target, expected):
    """A TLS transport reported 'write paused' with an empty buffer and never 'resumed':
    a stream that slept between chunks stalled after its first one."""
    import httpx

    from reqlab.echo.testing import start_echo_server

    with start_echo_server(tls=True) as echo:
        r = httpx.get(f"{echo.tls_url}{target}", verify=False, timeout=5)
    assert r.status_code == 200
    assert r.content == expected if expected is not None else r.text.count("event: tick") == 3
