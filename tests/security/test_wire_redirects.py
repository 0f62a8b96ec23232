"""Issue 15 item 4 (client side): one deadline per send across redirects,
and a ceiling on redirects, whatever a server's chain of 3xx looks like."""

from __future__ import annotations

import math
import socket
import subprocess
import sys
import time

import pytest

from reqlab.client import Client
from reqlab.errors import InvalidRequest, RequestTimeout, TooManyRedirects
from reqlab.model import MAX_REDIRECTS_CEILING, Options

from ._wire import tiny_server

HOP_SECONDS = 0.3
# A send cut at its 1 s total ends well before the 15 s that 50 hops take;
# the rest is room for a loaded machine (1.3 s was once exceeded in CI-like runs).
CUT_BY = 1.0 + 8 * HOP_SECONDS


def slow_redirects(sock: socket.socket, head: bytes) -> None:
    """Every answer is a redirect to the next path, after a pause (a drip server)."""
    time.sleep(HOP_SECONDS)
    n = int(head.split(b" ")[1].strip(b"/") or b"0") + 1
    sock.sendall(
        b"HTTP/1.1 302 Found\r\nLocation: /%d\r\nContent-Length: 0\r\nConnection: close\r\n\r\n" % n
    )


def endless_redirects(sock: socket.socket, head: bytes) -> None:
    sock.sendall(b"HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n")


def test_one_deadline_covers_every_redirect() -> None:
    client = Client(follow_redirects=True, max_redirects=50, timeout=5, total_timeout=1.0)
    with tiny_server(slow_redirects) as port, client:
        t0 = time.monotonic()
        with pytest.raises(RequestTimeout, match="whole send") as info:
            client.get(f"http://127.0.0.1:{port}/0")
        elapsed = time.monotonic() - t0
    # Twenty hops of 0.3 s would take 6 s; per-hop timeouts alone would allow 20 x 5 s.
    assert elapsed < CUT_BY, elapsed
    assert info.value.seconds == 1.0


def test_redirect_ceiling_names_the_count() -> None:
    with (
        tiny_server(endless_redirects) as port,
        Client(follow_redirects=True) as client,
        pytest.raises(TooManyRedirects, match=r"too many redirects \(11\)"),
    ):
        client.get(f"http://127.0.0.1:{port}/")


@pytest.mark.parametrize(
    "bad",
    [
        {"max_redirects": MAX_REDIRECTS_CEILING + 1},
        {"max_redirects": -1},
        {"timeout": math.nan},
        {"timeout": math.inf},
        {"total_timeout": math.nan},
        {"total_timeout": 0},
        {"connect_timeout": True},
    ],
)
def test_options_refuse_unbounded_values(bad: dict[str, object]) -> None:
    with pytest.raises(InvalidRequest, match="options"):
        Options(**bad)  # type: ignore[arg-type]


def test_cli_total_timeout_is_one_line_exit_2() -> None:
    with tiny_server(slow_redirects) as port:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "reqlab",
                "send",
                "--follow",
                "--max-redirects",
                "50",
                "--total-timeout",
                "1",
                f"http://127.0.0.1:{port}/0",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert proc.returncode == 2, proc.stderr  # a timeout: HTTPie's code (cli/_exit.py)
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "total timeout" in proc.stderr and "redirects followed" in proc.stderr
