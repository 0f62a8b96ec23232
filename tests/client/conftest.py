"""Real servers for the client tests: nginx (``tests/nginx_server.py``), the
echo server, a scripted server.  The scripted server answers each request as
a test function says, down to closing a kept-alive connection at the worst
moment.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from nginx_server import NGINX, Nginx, ca, free_port, nginx, wait_listening  # noqa: F401

# ------------------------------------------------------------ scripted server

# handler(connection_number, request_number_on_it, raw_request) -> bytes to
# answer with, None to close the connection without answering, or
# (bytes, True) to answer and then close (without saying so).
Handler = Callable[[int, int, bytes], "bytes | None | tuple[bytes, bool]"]


class ScriptedServer:
    """A blocking, thread-per-connection server that does what a test says."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = 0
        self.closed = threading.Event()
        self._threads: list[threading.Thread] = []
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            t = threading.Thread(target=self._serve, args=(conn, self.connections), daemon=True)
            t.start()
            self._threads.append(t)

    def _serve(self, conn: socket.socket, number: int) -> None:
        buf = b""
        count = 0
        with conn:
            while True:
                while b"\r\n\r\n" not in buf:
                    try:
                        chunk = conn.recv(65536)
                    except OSError:
                        return
                    if not chunk:
                        return
                    buf += chunk
                head, _, rest = buf.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                while len(rest) < length:
                    rest += conn.recv(65536)
                raw, buf = head + b"\r\n\r\n" + rest[:length], rest[length:]
                count += 1
                answer = self.handler(number, count, raw)
                close_after = isinstance(answer, tuple)
                if isinstance(answer, tuple):
                    answer = answer[0]
                if answer is not None:
                    conn.sendall(answer)
                if answer is None or close_after:
                    conn.shutdown(socket.SHUT_RDWR)
                    self.closed.set()
                    return

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def scripted() -> Iterator[Callable[[Handler], ScriptedServer]]:
    servers: list[ScriptedServer] = []

    def start(handler: Handler) -> ScriptedServer:
        server = ScriptedServer(handler)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def ok(body: bytes = b"ok", extra: str = "") -> bytes:
    return f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n{extra}\r\n".encode() + body


# ------------------------------------------------------------------- the CLI


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_send(*args: str, stdin: str | None = None, timeout: float = 30) -> Run:
    """``reqlab send ARGS`` in a subprocess, as a user would run it."""
    proc = subprocess.run(
        [sys.executable, "-m", "reqlab", "send", *args],
        capture_output=True,
        text=True,
        input=stdin,
        stdin=subprocess.DEVNULL if stdin is None else None,
        timeout=timeout,
        env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"},
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)
