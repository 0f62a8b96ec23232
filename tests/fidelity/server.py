"""The echo server the fidelity session sends every snippet to, and its record.

Each case gets its own path prefix, ``/_c/<n>``, as part of its base URL.
The server records every request under that key - from its own parse of
the request, so a HEAD (nothing echoed back) or a snippet that prints
nothing useful is judged the same way - and strips the prefix before
routing, so the snippet still gets a real ``/echo`` reflection.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from dataclasses import replace
from typing import Any

from fidelity.compare import Received

_PREFIX = re.compile(r"^/_c/(\d+)(?=/|\?|$)")


class Recorder:
    """Requests received, by case key; thread-safe (the server runs in a thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: dict[str, list[Received]] = defaultdict(list)

    def add(self, key: str, received: Received) -> None:
        with self._lock:
            self._records[key].append(received)

    def take(self, key: str) -> list[Received]:
        with self._lock:
            return self._records.pop(key, [])


def split_key(target: str) -> tuple[str | None, str]:
    """``/_c/7/echo?x`` -> ``("7", "/echo?x")``; other targets are left alone."""
    m = _PREFIX.match(target)
    if not m:
        return None, target
    return m.group(1), target[m.end() :] or "/"


class RecordingEchoServer:
    """``reqlab.echo`` on 127.0.0.1 (free port) whose handler records each request."""

    def __init__(self) -> None:
        from reqlab.echo.server import default_handler
        from reqlab.echo.testing import start_echo_server

        self.recorder = Recorder()
        inner = default_handler()

        async def recording_handler(request: Any) -> Any:
            key, routed = split_key(request.target)
            if key is not None:
                self.recorder.add(key, _received(request))
                request = replace(request, target=routed)
            return await inner(request)

        self._server = start_echo_server(handler=recording_handler)
        self.url: str = self._server.url.rstrip("/")
        # Server-side errors are kept, not logged: formatting a traceback in
        # the server thread (3.11's traceback calls ast.parse) races pytest's
        # own ast use in the main thread and can crash the test session.
        self.errors: list[str] = []
        loop = self._server.loop
        loop.call_soon_threadsafe(loop.set_exception_handler, self._keep_error)

    def _keep_error(self, loop: Any, context: dict[str, Any]) -> None:
        self.errors.append(f"{context.get('message')}: {context.get('exception')!r}")

    def base_url(self, key: int) -> str:
        return f"{self.url}/_c/{key}"

    def close(self) -> None:
        self._server.close()


def _received(request: Any) -> Received:
    return Received(
        method=request.method,
        target=request.target,
        version=request.http_version,
        headers=tuple(request.headers),
        body=bytes(request.body),
        raw_head=request.raw_head,
    )
