"""``Client``: the synchronous client, driving an ``AsyncClient``.

It runs the async client on a private event loop: in the calling thread
when no loop runs there (the fast path), otherwise on a helper thread, so
it works inside async code too.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from reqlab.client._api import AsyncClient
from reqlab.client._pool import Pool
from reqlab.client._response import Response
from reqlab.model import Request


def _new_loop() -> asyncio.AbstractEventLoop:
    # Not uvloop: its run_until_complete sets up signal handling (a socketpair)
    # on every call, which costs more than the whole keep-alive exchange.
    return asyncio.new_event_loop()


def _nothing() -> None:
    pass


def _drive(loop: asyncio.AbstractEventLoop, coro: Any) -> Any:
    """Run ``coro`` to completion on ``loop`` (which is not running).

    The coroutine is stepped directly (no Task): whenever it waits on a
    future, the loop runs one iteration at a time until that future is done.
    On the keep-alive hot path that is a single iteration per request, where
    ``run_until_complete`` costs a Task, a whole ``run_forever`` set-up and
    two more iterations.  (Code under this driver has no current task, so
    the engine uses ``wait_for`` rather than ``asyncio.timeout``.)
    """
    run_once = getattr(loop, "_run_once", None)
    if run_once is None:  # not a stdlib loop: the public way
        return loop.run_until_complete(coro)
    asyncio.events._set_running_loop(loop)
    try:
        while True:
            try:
                waiting = coro.send(None)
            except StopIteration as done:
                return done.value
            if waiting is None:  # a bare yield (asyncio.sleep(0)): one turn of the loop
                loop.call_soon(_nothing)  # so that turn polls without blocking
                run_once()
                continue
            waiting._asyncio_future_blocking = False
            while not waiting.done():
                run_once()
    except BaseException:
        coro.close()
        raise
    finally:
        asyncio.events._set_running_loop(None)


class Client:
    """The synchronous client: same arguments and methods, no ``await``."""

    def __init__(self, **kw: Any) -> None:
        self._async = AsyncClient(**kw)
        self._loop = _new_loop()
        self._lock = threading.Lock()
        self._helper: ThreadPoolExecutor | None = None

    @property
    def pool(self) -> Pool:
        return self._async.pool

    def _run(self, coro: Any) -> Any:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            with self._lock:
                return _drive(self._loop, coro)
        # Called from async code: this thread's loop is busy, use a helper thread.
        with self._lock:
            if self._helper is None:
                self._helper = ThreadPoolExecutor(1, thread_name_prefix="reqlab-client")
            return self._helper.submit(_drive, self._loop, coro).result()

    def send(self, request: Request) -> Response:
        return self._run(self._async.send(request))

    def build_request(self, method: str, url: str, **kw: Any) -> Request:
        return self._async.build_request(method, url, **kw)

    def request(self, method: str, url: str, **kw: Any) -> Response:
        return self._run(self._async.request(method, url, **kw))

    def get(self, url: str, **kw: Any) -> Response:
        return self.request("GET", url, **kw)

    def head(self, url: str, **kw: Any) -> Response:
        return self.request("HEAD", url, **kw)

    def options(self, url: str, **kw: Any) -> Response:
        return self.request("OPTIONS", url, **kw)

    def delete(self, url: str, **kw: Any) -> Response:
        return self.request("DELETE", url, **kw)

    def post(self, url: str, **kw: Any) -> Response:
        return self.request("POST", url, **kw)

    def put(self, url: str, **kw: Any) -> Response:
        return self.request("PUT", url, **kw)

    def patch(self, url: str, **kw: Any) -> Response:
        return self.request("PATCH", url, **kw)

    def close(self) -> None:
        if self._loop.is_closed():
            return
        self._run(self._async.aclose())
        with self._lock:
            if self._helper is not None:
                self._helper.shutdown()
            self._loop.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
