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
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, RST_STREAM, SETTINGS, PING, GOAWAY, CONTINUATION = 0x0, 0x1, 0x3, 0x4, 0x6, 0x7, 0x9
END_STREAM, END_HEADERS, ACK = 0x1, 0x4, 0x1
ENHANCE_YOUR_CALM = 0xB
MIB = 1024 * 1024
CHUNKED_TRAILER_HEAD = (
    b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n"
)


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
        if proc.stdout is not None:
            proc.stdout.close()


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
    payload = read_until(sock, GOAWAY, timeout)
    return None if payload is None else int.from_bytes(payload[4:8], "big")


def read_until(sock: socket.socket, wanted: int, timeout: float) -> bytes | None:
    """Read frames until one of kind ``wanted`` (its payload) or EOF / timeout (None)."""
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
                if kind == wanted:
                    return payload
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


# -- the attacks, shared by the tests and benchmarks/security_wire.py


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


def trailer_flood(port: int, size: int) -> tuple[int, int]:
    """Send a chunked request whose trailer is ``size`` bytes, stopping when
    the answer comes: (status, bytes sent by then)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sent = 0
    answered = threading.Event()

    def push() -> None:
        nonlocal sent
        piece = b"a" * 65536
        try:
            sock.sendall(CHUNKED_TRAILER_HEAD + b"X-Big: ")
            while sent < size and not answered.is_set():
                sock.sendall(piece)
                sent += len(piece)
        except OSError:
            pass

    pusher = threading.Thread(target=push)
    pusher.start()
    head = b""
    while b"\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            break
        head += chunk
    answered.set()
    pusher.join(10)
    sock.close()
    return int(head.split(b" ")[1]), sent


def stream_answer(sock: socket.socket, first: bytes, piece: bytes, total: int) -> None:
    """Write ``first`` and then ``piece`` until ``total`` bytes or the client leaves."""
    sock.sendall(first)
    sent = len(first)
    try:
        while sent < total:
            sock.sendall(piece)
            sent += len(piece)
    except OSError:
        pass


def gzip_bomb() -> tuple[bytes, bytes]:
    """(the first bytes, a piece repeated after them): 10 GiB of zeros gzipped,
    about 10 MB on the wire.  Never finished: the client must stop first."""
    zeros = bytes(MIB)
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    first = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
    piece = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
    assert piece == c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)  # steady state
    return first, piece
