"""One raw HTTP/1.x connection that the probe drives byte by byte.

The probe needs what a client pool hides: several requests in one write,
a connection left idle on purpose, and the exact moment and manner (FIN or
reset) in which the server closes it.  Connecting (DNS, TCP, TLS) is the
client engine's; parsing is :class:`reqlab.protocol.probe.ResponseReader`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from time import perf_counter
from typing import cast

from reqlab.client import hand_over, open_connection
from reqlab.errors import RemoteProtocolError
from reqlab.protocol.probe import ProbeResponse, ResponseReader


class ProbeConnection(asyncio.Protocol):
    """Send raw requests, await responses, and notice how the server closes."""

    def __init__(self) -> None:
        self.reader = ResponseReader()
        self.transport: asyncio.Transport | None = None
        self.closed_at: float | None = None  # perf_counter() when the server closed
        self.close_kind: str | None = None  # "fin" | "reset" | "local"
        self.last_response_at = 0.0
        self._changed = asyncio.Event()
        self.error: Exception | None = None

    @classmethod
    async def open(
        cls,
        host: str,
        port: int,
        *,
        tls: bool,
        verify: bool = True,
        cafile: str | None = None,
        timeout: float = 10.0,
    ) -> ProbeConnection:
        opened = await open_connection(
            host, port, tls=tls, verify=verify, cafile=cafile, alpn=("http/1.1",), timeout=timeout
        )
        conn = cls()
        hand_over(opened, conn, conn.data_received)
        return conn

    # ------------------------------------------------------------ asyncio
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # a stream connection's

    def data_received(self, data: bytes) -> None:
        try:
            if self.reader.feed(data):
                self.last_response_at = perf_counter()
        except RemoteProtocolError as exc:
            self.error = exc
        self._changed.set()

    def eof_received(self) -> bool:
        self._mark_closed("fin")
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self._mark_closed("reset" if isinstance(exc, ConnectionResetError) else "fin")

    def _mark_closed(self, kind: str) -> None:
        if self.closed_at is None:
            self.closed_at = perf_counter()
            self.close_kind = kind
        self._changed.set()

    # ------------------------------------------------------------ use
    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def responses(self) -> list[ProbeResponse]:
        return self.reader.responses

    def send(self, data: bytes, methods: list[str]) -> None:
        for method in methods:
            self.reader.expect(method)
        assert self.transport is not None
        self.transport.write(data)

    async def wait_responses(self, count: int, timeout: float) -> bool:
        """Wait until ``count`` responses in all have arrived; False if the
        server closed first or the time ran out."""
        await self._wait_until(
            lambda: len(self.responses) >= count or self.is_closed or self.error is not None,
            timeout,
        )
        return len(self.responses) >= count

    async def wait_closed(self, timeout: float) -> bool:
        """Wait for the server to close this connection; True if it did."""
        await self._wait_until(lambda: self.is_closed, timeout)
        return self.is_closed

    async def _wait_until(self, done: Callable[[], bool], timeout: float) -> None:
        """Wake on every change of this connection until ``done()`` or the deadline."""
        deadline = perf_counter() + timeout
        while not done():
            remaining = deadline - perf_counter()
            if remaining <= 0:
                return
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except TimeoutError:
                return

    def close_delay(self) -> float:
        """Seconds from the last complete response to the close (once closed)."""
        assert self.closed_at is not None, "close_delay() of an open connection"
        return self.closed_at - self.last_response_at

    def idle_age(self, now: float | None = None) -> float:
        """Seconds since the last complete response."""
        return (now or perf_counter()) - self.last_response_at

    def close(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.close()
        if self.closed_at is None:
            self.closed_at = perf_counter()
            self.close_kind = "local"
