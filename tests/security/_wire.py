"""Shared by the wire attack tests: an echo server in its own process (so its
RSS and CPU time can be read from /proc), raw HTTP/2 frames, a timed GET."""

from __future__ import annotations

import os
import re
import socket
import socketserver
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, RST_STREAM, SETTINGS, PING, GOAWAY = 0x0, 0x1, 0x3, 0x4, 0x6, 0x7
END_STREAM, END_HEADERS, ACK = 0x1, 0x4, 0x1
ENHANCE_YOUR_CALM = 0xB


@dataclass
class Process:
    pid: int
    url: str

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def rss_mib(self) -> float:
        with open(f"/proc/{self.pid}/status") as f:
            kib = int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))  # type: ignore[union-attr]
        return kib / 1024

    def cpu_seconds(self) -> float:
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def echo_process(*args: str) -> Iterator[Process]:
    """``reqlab echo --port 0 ARGS`` in a subprocess, until the block ends."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "reqlab", "echo", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.search(r"(http://\S+)", line)
        assert match, f"no URL in {line!r}"
        yield Process(proc.pid, match.group(1))
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def frame(kind: int, flags: int, stream: int, payload: bytes = b"") -> bytes:
    return (
        struct.pack(">I", len(payload))[1:]
        + bytes((kind, flags))
        + struct.pack(">I", stream)
        + payload
    )


def get_block(authority: bytes) -> bytes:
    """A GET / header block from the static table and one literal never
    indexed: the same bytes for every stream (no dynamic-table state)."""
    return b"\x82\x86\x84\x01" + bytes((len(authority),)) + authority


def h2_connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(PREFACE + frame(SETTINGS, 0, 0))
    return sock


def read_goaway(sock: socket.socket, timeout: float) -> int | None:
    """Read frames until GOAWAY (its error code) or EOF / timeout (None)."""
    sock.settimeout(timeout)
    buf = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            while len(buf) >= 9:
                length = int.from_bytes(buf[:3], "big")
                if len(buf) < 9 + length:
                    break
                kind, payload = buf[3], buf[9 : 9 + length]
                buf = buf[9 + length :]
                if kind == GOAWAY:
                    return int.from_bytes(payload[4:8], "big")
            data = sock.recv(1 << 16)
            if not data:
                return None
            buf += data
    except (TimeoutError, ConnectionError):
        return None
    return None


def timed_get(port: int, path: str = "/echo") -> float:
    """Seconds for a plain HTTP/1.1 GET on a new connection, answer read whole."""
    t0 = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    assert data.startswith(b"HTTP/1.1 200"), data[:100]
    return time.monotonic() - t0


Answer = Callable[[socket.socket, bytes], None]


@contextmanager
def tiny_server(answer: Answer, any_bytes: bool = False) -> Iterator[int]:
    """A hostile little server on 127.0.0.1: reads a request head (with
    ``any_bytes``, the first bytes, whatever they are), then lets
    ``answer(sock, head)`` write whatever it likes.  Yields the port."""

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            sock: socket.socket = self.request
            head = b""
            with suppress(OSError):
                while (
                    not (any_bytes and head)
                    and b"\r\n\r\n" not in head
                    and not head.startswith(PREFACE)
                ):
                    chunk = sock.recv(65536)
                    if not chunk:
                        return
                    head += chunk
                answer(sock, head)

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def send_peak_rss(*args: str) -> tuple[int, str, float]:
    """Run ``reqlab send ARGS`` in a child; (exit code, stderr, peak RSS in MiB).

    A wrapper process reports its one child's peak RSS (``ru_maxrss`` of
    RUSAGE_CHILDREN), so nothing else the test ran is counted."""
    wrapper = (
        "import resource, subprocess, sys;"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
        "sys.stderr.write(p.stderr);"
        "print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", wrapper, sys.executable, "-m", "reqlab", "send", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    code, kib = proc.stdout.split()
    return int(code), proc.stderr, int(kib) / 1024
