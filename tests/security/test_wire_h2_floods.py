"""Issue 15 item 5: HTTP/2 rapid reset (CVE-2023-44487) and control-frame floods.

The echo server runs in its own process, so its RSS and CPU time are read
from /proc around each attack.  Each flood must end in GOAWAY
ENHANCE_YOUR_CALM, quickly, while another client's ``GET /echo`` is still
answered within a second.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator

import pytest

from ._wire import (
    END_HEADERS,
    END_STREAM,
    ENHANCE_YOUR_CALM,
    HEADERS,
    PING,
    RST_STREAM,
    SETTINGS,
    Process,
    echo_process,
    frame,
    get_block,
    h2_connect,
    read_goaway,
    timed_get,
)


@pytest.fixture(scope="module")
def server() -> Iterator[Process]:
    with echo_process() as proc:
        timed_get(proc.port)  # warm: imports done, first answer given
        yield proc


def rapid_reset_burst(streams: int) -> bytes:
    """``streams`` streams, each opened (HEADERS, END_STREAM) and reset at once."""
    block = get_block(b"127.0.0.1")
    flags = END_HEADERS | END_STREAM
    cancel = (8).to_bytes(4, "big")  # CANCEL
    return b"".join(
        frame(HEADERS, flags, sid, block) + frame(RST_STREAM, 0, sid, cancel)
        for sid in range(1, 2 * streams, 2)
    )


def flood(server: Process, burst: bytes) -> tuple[int | None, float, list[float]]:
    """Send ``burst`` on one connection while timing GETs on others.

    Returns the GOAWAY error code (None: no GOAWAY), the seconds until it
    came, and the GET latencies measured during the attack."""
    sock = h2_connect(server.port)
    latencies: list[float] = []
    done = threading.Event()

    def send() -> None:
        try:
            sock.sendall(burst)
        except OSError:
            pass  # the server closed: expected once it has said GOAWAY
        finally:
            done.set()

    def probe() -> None:
        while not done.is_set():
            latencies.append(timed_get(server.port))

    sender = threading.Thread(target=send)
    prober = threading.Thread(target=probe)
    t0 = time.monotonic()
    sender.start()
    prober.start()
    code = read_goaway(sock, timeout=10)
    elapsed = time.monotonic() - t0
    sock.close()
    sender.join(10)
    done.set()
    prober.join(10)
    latencies.append(timed_get(server.port))  # and after it
    return code, elapsed, latencies


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
