"""Run an echo server inside the test process, for tests of every area.

    from reqlab.echo.testing import start_echo_server

    with start_echo_server(keep_alive_timeout=0.3) as echo:
        httpx.get(echo.url + "/echo")

The server runs on its own event loop in a background thread, on 127.0.0.1
and free ports (port 0), so parallel test workers never collide.  Options are
those of :class:`reqlab.echo.server.EchoOptions`; ``tls=True`` is short for
``tls_self_signed=True``.  Pass ``tls_cert``/``tls_key`` (for instance from a
trustme CA) to use a certificate the test trusts.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from reqlab.echo.server import EchoOptions, EchoServer, new_event_loop


class EchoHandle:
    def __init__(
        self, server: EchoServer, loop: asyncio.AbstractEventLoop, thread: threading.Thread
    ) -> None:
        self.server = server
        self.loop = loop
        self._thread = thread
        self.host = server.options.host
        self.port = server.port
        self.tls_port = server.tls_port
        self.url = f"http://{self.host}:{self.port}"
        self.tls_url = f"https://{self.host}:{self.tls_port}" if self.tls_port else None
        self.h3_port: int | None = server.h3.port if server.h3 is not None else None

    @property
    def connection_count(self) -> int:
        """Connections open right now (as the server counts them)."""
        return len(self.server.connections)

    def close(self) -> None:
        if not self._thread.is_alive():
            return
        fut = asyncio.run_coroutine_threadsafe(self.server.shutdown(grace=1.0), self.loop)
        try:
            fut.result(timeout=10)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout=10)

    def __enter__(self) -> EchoHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def start_echo_server(*, tls: bool = False, **options: Any) -> EchoHandle:
    """Start a server in a background thread; returns once it listens."""
    options.setdefault("host", "127.0.0.1")
    options.setdefault("port", 0)
    if tls and not options.get("tls_cert"):
        options["tls_self_signed"] = True
    if tls or options.get("tls_cert") or options.get("tls_self_signed"):
        options.setdefault("tls_port", 0)
    # HTTP/3 (and its Alt-Svc header) only where a test asks: the other
    # areas' tests keep the answers and start-up cost they were written for.
    options.setdefault("http3", False)
    server = EchoServer(EchoOptions(**options))
    loop = new_event_loop()
    started: Future[None] = Future()

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(server.start())
        except BaseException as exc:  # report startup failures to the caller
            started.set_exception(exc)
            loop.close()
            return
        started.set_result(None)
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    thread = threading.Thread(target=run, name="reqlab-echo", daemon=True)
    thread.start()
    started.result(timeout=30)
    return EchoHandle(server, loop, thread)


@dataclass
class RawResponse:
    status: int
    reason: str
    version: str
    headers: list[tuple[str, str]]
    body: bytes
    raw_head: bytes

    def header(self, name: str) -> str | None:
        for n, v in self.headers:
            if n.lower() == name.lower():
                return v
        return None


class RawConnection:
    """A blocking socket that sends exact bytes and reads HTTP/1.x answers.

    For tests that must control every byte (pipelining, bad input, timeouts).
    Responses are split by their own framing (Content-Length or chunked), so
    pipelined answers come out one at a time.
    """

    def __init__(self, host: str, port: int, timeout: float = 5.0) -> None:
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self._buf = b""

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def _fill(self) -> None:
        data = self.sock.recv(65536)
        if not data:
            raise EOFError("connection closed before a whole response")
        self._buf += data

    def _take_until(self, marker: bytes) -> bytes:
        while (i := self._buf.find(marker)) == -1:
            self._fill()
        out, self._buf = self._buf[: i + len(marker)], self._buf[i + len(marker) :]
        return out

    def _take(self, n: int) -> bytes:
        while len(self._buf) < n:
            self._fill()
        out, self._buf = self._buf[:n], self._buf[n:]
        return out

    def read_response(self, head_only: bool = False) -> RawResponse:
        """One response (``head_only`` for answers to HEAD); EOFError if the peer closed."""
        raw = self._take_until(b"\r\n\r\n")
        lines = raw[:-4].decode("latin-1").split("\r\n")
        version, status, reason = (lines[0].split(" ", 2) + [""])[:3]
        fields = (line.partition(":") for line in lines[1:])
        headers = [(name.strip(), value.strip()) for name, _, value in fields]
        resp = RawResponse(int(status), reason, version, headers, b"", raw)
        code = int(status)
        if head_only or code < 200 or code in (204, 304):
            return resp
        if (resp.header("transfer-encoding") or "").lower() == "chunked":
            body = b""
            while True:
                size = int(self._take_until(b"\r\n")[:-2].split(b";")[0], 16)
                if size == 0:
                    self._take_until(b"\r\n")
                    break
                body += self._take(size)
                self._take(2)
            resp.body = body
        elif resp.header("content-length") is not None:
            resp.body = self._take(int(resp.header("content-length") or 0))
        else:
            while True:  # read to EOF
                try:
                    self._fill()
                except EOFError:
                    break
            resp.body, self._buf = self._buf, b""
        return resp

    def wait_close(self, timeout: float = 5.0) -> str:
        """How the server ends the connection: "eof", "reset" or "open" (timeout)."""
        self.sock.settimeout(timeout)
        try:
            while True:
                data = self.sock.recv(65536)
                if not data:
                    return "eof"
        except ConnectionResetError:
            return "reset"
        except TimeoutError:
            return "open"

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> RawConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
