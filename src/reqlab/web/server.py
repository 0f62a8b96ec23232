"""Running the workbench: uvicorn and the echo server in one event loop.

``reqlab serve`` binds its sockets itself (so ``--port 0`` works and the
printed URL is the real one), starts the echo server in the same loop,
serves until SIGINT/SIGTERM, then closes both: uvicorn finishes in-flight
requests, page sessions close their clients, the database is disposed.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from typing import Any

import uvicorn

from reqlab.web.app import create_app
from reqlab.web.config import WebConfig
from reqlab.web.guard import EchoOrigin
from reqlab.web.storage import Storage, default_db_url


def loop_factory(config: WebConfig) -> Callable[[], asyncio.AbstractEventLoop]:
    """The event loop to run in: the address-guarding one for a public
    instance, else uvloop when installed (faster), else asyncio's."""
    if config.public and not config.allow_private:
        from reqlab.web.guard import GuardedEventLoop

        return GuardedEventLoop
    from reqlab.echo.server import new_event_loop

    return new_event_loop


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise OSError(exc.errno, exc.strerror or str(exc), f"{host} port {port}") from None
    sock.listen(128)
    sock.setblocking(False)
    return sock


def url_of(host: str, port: int, scheme: str = "http") -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else ("::1" if host == "::" else host)
    if ":" in shown:
        shown = f"[{shown}]"
    return f"{scheme}://{shown}:{port}/"


def tls_context(config: WebConfig) -> ssl.SSLContext | None:
    """The workbench's TLS context (HTTP/1.1 only: uvicorn speaks no h2), or
    None for plain HTTP.  Built before serving, so a bad file is one line."""
    if not config.tls:
        return None
    from reqlab.echo.tls import server_context

    context = server_context(config.tls_cert, config.tls_key, config.tls_self_signed)
    context.set_alpn_protocols(["http/1.1"])
    return context


class _Server(uvicorn.Server):
    """uvicorn, minus its habit of re-raising the signal after shutdown:
    we still have the echo server and the database to close."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        sigs = (signal.SIGINT, signal.SIGTERM)
        original = {sig: signal.signal(sig, self.handle_exit) for sig in sigs}
        try:
            yield
        finally:
            for sig, handler in original.items():
                signal.signal(sig, handler)


async def start_echo(host: str, port: int, handler: Any = None) -> Any:
    """The echo server, started in this loop (it has .port and .shutdown()).

    It shares the workbench's host name, so it may not set the workbench's
    session cookies (browsers do not keep cookies apart by port)."""
    from reqlab.echo.server import EchoOptions, EchoServer
    from reqlab.web.identity import COOKIE_NAMES

    options = EchoOptions(host=host, port=port, handler=handler, reserved_cookies=COOKIE_NAMES)
    echo = EchoServer(options)
    await echo.start()
    return echo


def uvicorn_config(
    app: Any, config: WebConfig, tls: ssl.SSLContext | None = None, **extra: Any
) -> uvicorn.Config:
    """uvicorn's settings.  X-Forwarded-For/-Proto are believed only from the
    ``--trust-proxy`` addresses (uvicorn would otherwise trust 127.0.0.1, and
    anyone on this machine could pick the client address the rate limit and
    the session quota count)."""
    if tls is not None:
        extra["ssl_context_factory"] = lambda _config, _default: tls
    return uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="on",
        server_header=False,
        proxy_headers=bool(config.trust_proxy),
        forwarded_allow_ips=list(config.trust_proxy) or None,
        **extra,
    )


async def run(
    config: WebConfig,
    *,
    echo_port: int | None,
    announce: Callable[[dict[str, str | None]], None],
) -> None:
    tls = tls_context(config)
    storage = Storage(config.db_url or default_db_url())
    sock = bind(config.host, config.port)
    config.port = sock.getsockname()[1]
    echo = None
    try:
        if echo_port is not None:
            echo = await start_echo(config.host, echo_port)
            config.echo_url = url_of(config.host, echo.port)
            config.echo_origin = EchoOrigin.of(config.echo_url)
        app = create_app(config, storage)
        server = _Server(uvicorn_config(app, config, tls, timeout_graceful_shutdown=5))
        task = asyncio.create_task(server.serve(sockets=[sock]))
        # Announce only once uvicorn is up (and owns SIGINT/SIGTERM), so
        # whoever reads the URL can use it, and stop it, straight away.
        while not server.started and not task.done():
            await asyncio.sleep(0.01)
        if server.started:
            announce(
                {
                    "web": url_of(config.host, config.port, "https" if tls else "http"),
                    "echo": config.echo_url,
                    "db": storage.engine.url.render_as_string(hide_password=True),
                }
            )
        await task
    finally:
        if echo is not None:
            await echo.shutdown(grace=2.0)
        sock.close()
        storage.close()
