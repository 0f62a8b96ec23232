"""The echo server: listeners, connection bookkeeping, the handler, shutdown.

A plain listener speaks HTTP/1.x and h2c (prior knowledge or ``Upgrade:
h2c``); the TLS listener picks ``h2`` or ``http/1.1`` by ALPN.  Each accepted
socket gets an :class:`~reqlab.echo.connection.EchoProtocol`.  Handlers come
from ``reqlab.echo.endpoints`` when that package exists, else a small
built-in reflection.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import signal
import ssl
from dataclasses import dataclass, field
from typing import Any

from reqlab.echo._types import EchoRequest, EchoResponse, Handler, PlainHandler, SyncHandler
from reqlab.protocol.h1server import Limits

log = logging.getLogger("reqlab.echo")


@dataclass
class EchoOptions:
    host: str = "127.0.0.1"
    port: int = 8081
    keep_alive_timeout: float = 5.0
    keep_alive_max: int = 100
    header_timeout: float = 10.0
    max_header_bytes: int = 65536
    max_body_bytes: int = 10 * 1024 * 1024
    max_connections: int | None = None
    tls_cert: str | None = None
    tls_key: str | None = None
    tls_self_signed: bool = False
    tls_client_ca: str | None = None  # require client certificates signed by this CA
    tls_port: int | None = None  # default: 8443 (0 in tests)
    handler: Handler | None = field(default=None, repr=False)

    @property
    def tls_enabled(self) -> bool:
        return bool(self.tls_cert or self.tls_self_signed)


def default_handler() -> Handler:
    """``reqlab.echo.endpoints.handle`` when that package exists, else the fallback."""
    try:
        from reqlab.echo.endpoints import handle
    except ModuleNotFoundError as exc:
        if exc.name not in ("reqlab.echo.endpoints",):
            raise
        from reqlab.echo._fallback import handle
    return handle


def sync_handler(handler: Handler) -> SyncHandler | None:
    """The synchronous twin a handler declares (``handler.sync``), if any.

    It answers the requests it can without awaiting anything (the /echo
    reflection) with a bytes body, and returns None for the rest, which go
    to ``handler``; the connection then needs no coroutine for them.  (An
    answer with a streamed body is also passed on to ``handler``.)
    """
    return getattr(handler, "sync", None)


def plain_handler(handler: Handler) -> PlainHandler | None:
    """The HTTP/1.x shortcut a handler declares (``handler.plain``), if any.

    Called with the connection core's Request and the connection's id,
    client address and TLS details, it answers the requests it can
    (``(status, headers, body)``) straight from them, and returns None for
    the rest, which go to the sync twin and then the handler.  It must give
    exactly the answer the handler would.
    """
    return getattr(handler, "plain", None)


def internal_error() -> EchoResponse:
    """What a client gets when the handler raised (logged with its traceback)."""
    return EchoResponse(
        500, [("Content-Type", "text/plain; charset=utf-8")], b"internal error\n", close=True
    )


_TOO_MANY = b"too many open connections\n"


class EchoServer:
    def __init__(self, options: EchoOptions | None = None) -> None:
        self.options = options or EchoOptions()
        o = self.options
        self.limits = Limits(
            o.keep_alive_timeout, o.keep_alive_max, o.max_header_bytes, o.max_body_bytes
        )
        self.limits_tls = Limits(
            o.keep_alive_timeout, o.keep_alive_max, o.max_header_bytes, o.max_body_bytes, False
        )
        self.handler: Handler = o.handler or default_handler()
        self.sync_handler = sync_handler(self.handler)
        self.plain_handler = plain_handler(self.handler)
        self.loop: asyncio.AbstractEventLoop = None  # type: ignore[assignment]  # set by start()
        self.connections: set[Any] = set()
        self.shutting_down = False
        self.refusal = (
            b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(_TOO_MANY), _TOO_MANY)
        )
        self._ids = itertools.count(1)
        self._servers: list[asyncio.AbstractServer] = []
        self.port = 0
        self.tls_port: int | None = None
        self.ssl_context: ssl.SSLContext | None = None

    # -- bookkeeping used by connections ------------------------------------
    def next_id(self) -> int:
        return next(self._ids)

    def admit(self, conn: Any) -> bool:
        limit = self.options.max_connections
        if self.shutting_down or (limit is not None and len(self.connections) >= limit):
            log.info("refusing a connection: %d open", len(self.connections))
            return False
        self.connections.add(conn)
        return True

    def forget(self, conn: Any) -> None:
        self.connections.discard(conn)

    async def call_handler(self, request: EchoRequest) -> EchoResponse:
        try:
            return await self.handler(request)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("handler failed for %s %s", request.method, request.target)
            return internal_error()

    # -- lifecycle ----------------------------------------------------------
    async def start(self) -> None:
        from reqlab.echo.connection import EchoProtocol

        self.loop = asyncio.get_running_loop()
        o = self.options
        plain = await _listen(
            self.loop.create_server(
                lambda: EchoProtocol(self, "http"), o.host, o.port, backlog=4096
            ),
            o.host,
            o.port,
        )
        self._servers.append(plain)
        self.port = plain.sockets[0].getsockname()[1]
        if o.tls_enabled:
            from reqlab.echo.tls import server_context

            self.ssl_context = server_context(
                o.tls_cert, o.tls_key, o.tls_self_signed, o.tls_client_ca
            )
            port = 8443 if o.tls_port is None else o.tls_port
            try:
                secure = await _listen(
                    self.loop.create_server(
                        lambda: EchoProtocol(self, "https"),
                        o.host,
                        port,
                        ssl=self.ssl_context,
                        backlog=4096,
                    ),
                    o.host,
                    port,
                )
            except BaseException:
                plain.close()
                raise
            self._servers.append(secure)
            self.tls_port = secure.sockets[0].getsockname()[1]

    @property
    def urls(self) -> list[str]:
        host = self.options.host
        shown = f"[{host}]" if ":" in host else host
        out = [f"http://{shown}:{self.port}"]
        if self.tls_port is not None:
            out.append(f"https://{shown}:{self.tls_port}")
        return out

    async def shutdown(self, grace: float = 5.0) -> None:
        """Stop listening, close idle connections, let answers in flight finish."""
        self.shutting_down = True
        for s in self._servers:
            s.close()
        for conn in list(self.connections):
            conn.shutdown()
        deadline = self.loop.time() + grace
        while self.connections and self.loop.time() < deadline:
            await asyncio.sleep(0.02)
        for conn in list(self.connections):
            if conn.transport is not None:
                conn.transport.abort()
        for s in self._servers:
            await s.wait_closed()

    async def serve_until_signalled(self) -> None:
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                self.loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        await self.shutdown()


async def _listen(coro: Any, host: str, port: int) -> asyncio.AbstractServer:
    """Await a create_server; an OSError names the address (``filename``)."""
    try:
        return await coro
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror or str(exc), f"{host} port {port}") from None


def new_event_loop() -> asyncio.AbstractEventLoop:
    """uvloop's loop when installed (about 20% faster here), else asyncio's."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()
