"""Run the workbench (and an echo server) inside a test or benchmark process.

    from reqlab.web.testing import start_workbench

    with start_workbench(db_url="sqlite:///" + str(tmp_path / "t.db")) as wb:
        client = wb.api()          # an httpx.Client holding the session + CSRF token
        client.post("/api/send", json={"request": {"url": wb.echo_url + "/get"}})

Both servers run on one event loop in a background thread, on 127.0.0.1 and
free ports, so parallel test workers never collide.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import Future
from typing import Any

from reqlab.web.app import create_app
from reqlab.web.config import WebConfig
from reqlab.web.guard import EchoOrigin
from reqlab.web.server import (
    _Server,
    bind,
    loop_factory,
    start_echo,
    tls_context,
    url_of,
    uvicorn_config,
)
from reqlab.web.storage import Storage


class Workbench:
    def __init__(self, config: WebConfig, echo: bool, echo_handler: Any = None) -> None:
        self.config = config
        self.want_echo = echo
        self.echo_handler = echo_handler
        self.loop = loop_factory(config)()
        self.thread = threading.Thread(target=self._run, name="reqlab-web", daemon=True)
        self.url = ""
        self.echo_url: str | None = None
        self.echo: Any = None
        self.storage: Storage | None = None
        self._server: _Server | None = None
        self._started: Future[None] = Future()

    def start(self) -> Workbench:
        self.thread.start()
        self._started.result(timeout=30)
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self._main())
        except BaseException as exc:
            if not self._started.done():
                self._started.set_exception(exc)
        finally:
            self.loop.close()

    async def _main(self) -> None:
        config = self.config
        self.storage = Storage(config.db_url or "sqlite://")
        sock = bind(config.host, 0)
        config.port = sock.getsockname()[1]
        if self.want_echo:
            self.echo = await start_echo(config.host, 0, self.echo_handler)
            config.echo_url = url_of(config.host, self.echo.port)
            config.echo_origin = EchoOrigin.of(config.echo_url)
            self.echo_url = config.echo_url.rstrip("/")
        app = create_app(config, self.storage)
        self.app = app
        tls = tls_context(config)
        self._server = _Server(uvicorn_config(app, config, tls))
        self.url = url_of(config.host, config.port, "https" if tls else "http").rstrip("/")
        task = asyncio.create_task(self._server.serve(sockets=[sock]))
        while not self._server.started and not task.done():
            await asyncio.sleep(0.005)
        if task.done():
            task.result()
        self._started.set_result(None)
        try:
            await task
        finally:
            if self.echo is not None:
                await self.echo.shutdown(grace=1.0)
            sock.close()
            self.storage.close()

    def api(self, **kwargs: Any) -> Any:
        """An httpx client with a session cookie and the CSRF token header,
        which follows a new token the way the page does (when the session's
        id is rotated or reissued, the answer carries it)."""
        import httpx

        class _Client(httpx.Client):
            def __enter__(self) -> _Client:  # already opened by the token request
                return self

        def follow(response: httpx.Response) -> None:
            fresh = response.headers.get("x-csrf-token")
            if fresh:
                client.headers["X-CSRF-Token"] = fresh
            elif response.request.url.path == "/api/session" and response.status_code == 200:
                response.read()
                client.headers["X-CSRF-Token"] = response.json()["csrf"]

        client = _Client(
            base_url=self.url,
            timeout=kwargs.pop("timeout", 30),
            event_hooks={"response": [follow]},
            **kwargs,
        )
        client.get("/api/session")
        return client

    def close(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        self.thread.join(timeout=15)

    def __enter__(self) -> Workbench:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def start_workbench(echo: bool = True, echo_handler: Any = None, **config: Any) -> Workbench:
    config.setdefault("host", "127.0.0.1")
    config.setdefault("db_url", "sqlite://")
    return Workbench(WebConfig(**config), echo, echo_handler).start()
