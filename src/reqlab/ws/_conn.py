"""The asyncio side of one WebSocket client connection, and the error a closed one raises.

:class:`_WSProtocol` reads the 101 (HTTP/1.1) or takes the stream (HTTP/2),
then feeds bytes to :class:`reqlab.protocol.ws.WSConnection`, queues whole
messages for :class:`reqlab.ws.WebSocket`, settles pings with their pongs,
and stamps every frame into the record as it passes.
"""

from __future__ import annotations

import asyncio
from collections import deque

from reqlab.errors import RemoteProtocolError, TransportError
from reqlab.protocol import ws_handshake as hs
from reqlab.protocol.ws import Closed, Message, PongReceived, WSConnection
from reqlab.ws._record import CloseRecord, Recorder, WSRecord

_WHO = {"local": "client", "peer": "server", "transport": "transport"}


class WebSocketClosed(TransportError):
    """The WebSocket is closed; ``code``, ``reason`` and ``by`` say how."""

    def __init__(self, close: CloseRecord) -> None:
        self.close = close
        why = f" ({close.reason})" if close.reason else ""
        super().__init__(f"WebSocket closed by the {close.by} with code {close.code}{why}")


class _WSProtocol:
    """asyncio protocol for one WebSocket client connection (duck-typed Protocol)."""

    def __init__(self, record: WSRecord, max_size: int) -> None:
        self.record = record
        self.max_size = max_size
        self.transport: asyncio.Transport | None = None
        self.buffer = b""
        self.head: asyncio.Future[tuple[hs.ResponseHead, bytes]] | None = None
        self.ws: WSConnection | None = None
        self.messages: deque[str | bytes] = deque()
        self.waiters: list[asyncio.Future[None]] = []  # recv and close, woken by any news
        self.pongs: list[tuple[bytes, asyncio.Future[None]]] = []
        self.recorder = Recorder(record)
        self.gone = asyncio.Event()  # the connection is closed (TLS shutdown included)
        self.ended_early = False  # EOF came between the 101 and open()

    # -- asyncio callbacks --------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        if self.ws is None:
            self._head_data(data)
            return
        for ev in self.ws.receive(data):
            if type(ev) is Message:
                self.messages.append(ev.data)
                self.recorder.message("in", ev.data)
            elif type(ev) is PongReceived:
                self._pong(ev.payload)
            elif type(ev) is Closed:
                self._closed(ev)
        self.flush()
        self._wake()

    def eof_received(self) -> bool:
        self._ended()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self._ended()
        self.gone.set()

    def pause_writing(self) -> None:
        pass

    def resume_writing(self) -> None:
        pass

    # -- handshake ----------------------------------------------------------
    def _head_data(self, data: bytes) -> None:
        # after the head is parsed and before open(), frames keep arriving:
        # they wait here, and open() feeds them after the head's own rest
        self.buffer += data
        if self.head is None or self.head.done():
            return
        try:
            parsed = hs.parse_response_head(self.buffer)
        except hs.HandshakeError as exc:
            self.head.set_exception(RemoteProtocolError(f"WebSocket handshake: {exc}"))
            return
        if parsed is not None:
            self.buffer = b""
            self.head.set_result(parsed)

    def open(self, ws: WSConnection, rest: bytes) -> None:
        self.ws = ws
        self.recorder.opened()
        early, self.buffer = rest + self.buffer, b""
        if early:
            self.data_received(early)
        if self.ended_early:
            self._ended()

    # -- frames -------------------------------------------------------------
    def flush(self) -> None:
        ws = self.ws
        assert ws is not None
        out = ws.data_to_send()
        if out and self.transport is not None and not self.transport.is_closing():
            self.transport.write(out)
        self.recorder.stamp(ws.frames)

    def _closed(self, ev: Closed) -> None:
        if self.record.close is None:
            self.record.close = CloseRecord(ev.code, ev.reason, _WHO[ev.by])
        self._wake()
        assert self.ws is not None
        if self.ws.handshake_done and self.transport is not None:
            self.flush()
            self.transport.close()  # RFC 6455 7.1.1: the server closes first; we need not wait

    def _ended(self) -> None:
        if self.head is not None and not self.head.done():
            self.head.set_exception(
                RemoteProtocolError("WebSocket handshake: the server closed the connection")
            )
        if self.ws is None:
            self.ended_early = True
        else:
            for ev in self.ws.receive(b""):
                if type(ev) is Closed:
                    self._closed(ev)
        for _, fut in self.pongs:
            if not fut.done():
                fut.set_exception(self.closed_error())
        self.pongs.clear()
        self._wake()

    def _pong(self, payload: bytes) -> None:
        for i, (expected, _) in enumerate(self.pongs):
            if expected == payload:
                # RFC 6455 5.5.3: a pong may answer several pings; settle all up to it
                for _, f in self.pongs[: i + 1]:
                    if not f.done():
                        f.set_result(None)
                del self.pongs[: i + 1]
                return

    def _wake(self) -> None:
        for w in self.waiters:
            if not w.done():
                w.set_result(None)
        self.waiters.clear()

    async def news(self, timeout: float | None) -> None:
        """Wait until something arrives or the connection changes (TimeoutError after ``timeout``)."""
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiters.append(fut)
        await asyncio.wait_for(fut, timeout)

    def closed_error(self) -> WebSocketClosed:
        close = self.record.close or CloseRecord(1006, "connection lost", "transport")
        return WebSocketClosed(close)
