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
import threading
from concurrent.futures import Future
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
