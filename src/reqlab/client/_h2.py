"""An HTTP/2 connection on an asyncio transport: many streams, one socket.

A thin asyncio.Protocol around :class:`H2State` (``_h2core``, shared with
the sync engine).  Each request is a stream with its own future; concurrent
requests on one :class:`H2Connection` are multiplexed.  Request bodies are
sent within the peer's window, waiting for WINDOW_UPDATE when it is used up.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from time import perf_counter

from reqlab.client._body import BodySink
from reqlab.client._h2core import H2State, Stream
from reqlab.errors import RemoteProtocolError, RequestTimeout
from reqlab.model import Header
from reqlab.protocol.headlimits import DEFAULT_HEAD_LIMITS, HeadLimits

__all__ = ["H2Connection", "Stream"]


class H2Connection(H2State, asyncio.Protocol):
    def __init__(
        self, conn_id: int, sock: socket.socket, tls: bool, limits: HeadLimits = DEFAULT_HEAD_LIMITS
    ) -> None:
        super().__init__(conn_id, tls, self._write, limits)
        self.sock = sock
        self.transport: asyncio.Transport | None = None
        self._window: asyncio.Event | None = None
        self._flush_soon = False
        # called after each read: the WebSocket tunnels on this connection
        # (reqlab.ws) send what their window now allows, learn of SETTINGS
        self.listeners: list[Callable[[], None]] = []

    def flush(self) -> None:
        """Write what h2 has to send at the end of this turn of the loop: the
        streams that many tasks open in one turn leave in one write."""
        if not self._flush_soon:
            self._flush_soon = True
            asyncio.get_running_loop().call_soon(self._flush_now)

    def _flush_now(self) -> None:
        self._flush_soon = False
        H2State.flush(self)

    def _write(self, data: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)

    # ------------------------------------------------------ asyncio hooks
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.start()

    def data_received(self, data: bytes) -> None:
        self.receive(data)
        if self.window_opened and self._window is not None:
            self._window.set()
        if self.listeners:  # (most connections carry no WebSocket: no copy then)
            for listener in list(self.listeners):
                listener()

    def fail(self, reason: str) -> None:
        super().fail(reason)
        if self.transport is not None:
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost()
        if self._window is not None:
            self._window.set()
        for listener in list(self.listeners):
            listener()

    # ------------------------------------------------------------ exchanges
    async def exchange(
        self, headers: list[Header], body: bytes, sink: BodySink, timeout: float | None
    ) -> tuple[Stream, float]:
        """Open a stream, send the request, wait for the whole response."""
        loop = asyncio.get_running_loop()
        stream_id, stream = self.open(headers, sink, end_stream=not body)
        stream.done = loop.create_future()
        handle = None
        if timeout:

            def expire() -> None:
                phase = "wait" if stream.first_byte == 0.0 else "receive"
                self.reset(stream_id)
                self.end(stream_id, RequestTimeout(phase, timeout))

            handle = loop.call_later(timeout, expire)
        try:
            await self.send_body(stream_id, body)
            sent = perf_counter()
            await stream.done
            return stream, sent
        finally:
            if handle is not None:
                handle.cancel()
            self.streams.pop(stream_id, None)

    async def send_body(self, stream_id: int, body: bytes) -> None:
        view = memoryview(body)
        while view:
            rest = self.send_some(stream_id, view)
            if len(rest) == len(view):  # window used up: wait for WINDOW_UPDATE
                self.window_opened = False
                self._window = asyncio.Event()
                await self._window.wait()
                self._window = None
                if self.closed:
                    raise RemoteProtocolError("HTTP/2 connection closed while sending the body")
            view = rest

    def close(self) -> None:
        self._flush_now()  # what is queued, then GOAWAY, before the transport closes
        self.goodbye()
        if self.transport is not None:
            self.transport.close()
