"""Issue 15 item 5: HTTP/2 rapid reset (CVE-2023-44487) and control-frame floods.

The echo server runs in its own process, so its RSS and CPU time are read
from /proc around each attack.  Each flood must end in GOAWAY
ENHANCE_YOUR_CALM, quickly, while another client's ``GET /echo`` is still
answered within a second.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import hpack
import pytest

from reqlab.client import Client

from ._wire import (
    CONTINUATION,
    DATA,
    END_HEADERS,
    END_STREAM,
    ENHANCE_YOUR_CALM,
    HEADERS,
    PING,
    RST_STREAM,
    SETTINGS,
    Process,
    echo_process,
    flood,
    frame,
    get_block,
    h2_connect,
    rapid_reset_burst,
    read_goaway,
    timed_get,
)


@pytest.fixture(scope="module")
def server() -> Iterator[Process]:
    with echo_process() as proc:
        timed_get(proc.port)  # warm: imports done, first answer given
        yield proc


def test_rapid_reset_gets_goaway_enhance_your_calm(server: Process) -> None:
    burst = rapid_reset_burst(100_000)
    rss0, cpu0 = server.rss_mib(), server.cpu_seconds()
    code, elapsed, latencies = flood(server, burst)
    assert code == ENHANCE_YOUR_CALM
    assert elapsed < 2.0, elapsed
    assert max(latencies) < 1.0, latencies
    assert server.cpu_seconds() - cpu0 < 1.5
    # Four bursts: memory does not grow with them (no per-stream state kept).
    for _ in range(3):
        assert flood(server, burst)[0] == ENHANCE_YOUR_CALM
    assert server.rss_mib() - rss0 < 20, (rss0, server.rss_mib())


@pytest.mark.parametrize("kind", ["ping", "settings"])
def test_control_frame_flood_gets_goaway(server: Process, kind: str) -> None:
    if kind == "ping":
        one = frame(PING, 0, 0, os.urandom(8))
    else:
        one = frame(SETTINGS, 0, 0, (4).to_bytes(2, "big") + (65535).to_bytes(4, "big"))
    rss0, cpu0 = server.rss_mib(), server.cpu_seconds()
    code, elapsed, latencies = flood(server, one * 100_000)
    assert code == ENHANCE_YOUR_CALM
    assert elapsed < 2.0, elapsed
    assert max(latencies) < 1.0, latencies
    assert server.cpu_seconds() - cpu0 < 1.0
    assert server.rss_mib() - rss0 < 20


def test_a_polite_client_is_never_cut_off(server: Process) -> None:
    """Answered requests with some resets and pings between them stay within budget."""
    sock = h2_connect(server.port)
    block = get_block(b"127.0.0.1")
    out = b""
    for n, sid in enumerate(range(1, 2 * 100, 2)):
        out += frame(HEADERS, END_HEADERS | END_STREAM, sid, block)
        if n % 5 == 0:
            out += frame(PING, 0, 0, b"12345678")
            out += frame(RST_STREAM, 0, sid, (8).to_bytes(4, "big"))
    sock.sendall(out)
    assert read_goaway(sock, timeout=1.0) is None  # answers, then idle: no GOAWAY
    sock.close()


def test_the_connection_is_closed_after_goaway(server: Process) -> None:
    sock = h2_connect(server.port)
    sock.sendall(rapid_reset_burst(1000))
    assert read_goaway(sock, timeout=5) == ENHANCE_YOUR_CALM
    sock.settimeout(5)
    try:
        while sock.recv(65536):
            pass  # frames after the GOAWAY (none expected), then EOF
    except ConnectionResetError:
        pass  # a reset is a close too
    sock.close()


def test_big_answers_earn_their_window_updates(server: Process) -> None:
    """A client acknowledging every DATA frame of large answers stays within budget."""
    with Client(http_version="HTTP/2") as client:
        for _ in range(4):
            response = client.post(server.url + "/echo/raw", content=os.urandom(9_000_000))
            assert response.status_code == 200 and len(response.content) > 9_000_000


def test_h2_trailers_past_the_header_list_limit_end_that_connection(server: Process) -> None:
    """h2's HPACK decoder enforces the announced SETTINGS_MAX_HEADER_LIST_SIZE
    (--max-header-bytes) on trailers as on heads, while it decodes."""
    sock = h2_connect(server.port)
    head = hpack.Encoder().encode(
        [(":method", "POST"), (":scheme", "http"), (":path", "/echo"), (":authority", "x")]
    )
    block = hpack.Encoder().encode([(f"x-t{i}", "v" * 1000) for i in range(100)])  # ~100 KB
    pieces = [block[i : i + 16384] for i in range(0, len(block), 16384)]
    out = frame(HEADERS, END_HEADERS, 1, head) + frame(DATA, 0, 1, b"hello")
    for n, piece in enumerate(pieces):
        flags = (END_HEADERS if n == len(pieces) - 1 else 0) | (END_STREAM if n == 0 else 0)
        out += frame(HEADERS if n == 0 else CONTINUATION, flags, 1, piece)
    sock.sendall(out)
    assert read_goaway(sock, timeout=5) == ENHANCE_YOUR_CALM
    sock.close()
    assert timed_get(server.port) < 1.0
