"""A WebSocket session on the echo server, after the 101: echoes, ticks, closes.

The HTTP/1.1 connection (:class:`~reqlab.echo.connection.EchoProtocol`)
answers the upgrade request with the endpoint's 101 and then hands its
transport to a :class:`WSSession` (``transport.set_protocol``), which speaks
frames through :class:`reqlab.protocol.ws.WSConnection`.  The session joins
the server's connection set, so a shutdown closes it with 1001 ("going
away").  What it does with the connection is a :class:`Behaviour`, chosen by
the endpoint from the path and query (``/ws``, ``/ws/tick``, ``/ws/close``,
``/ws/noping``; see ``docs/echo-endpoints.md``).

RFC 6455 7.1.1: the server closes the TCP connection first once the closing
handshake is done; if the client never answers our Close, the connection is
dropped after ``CLOSE_WAIT`` seconds.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

from wsproto.extensions import Extension

from reqlab.protocol.ws import GOING_AWAY, NORMAL, Closed, Message, WSConnection

log = logging.getLogger("reqlab.echo")

CLOSE_WAIT = 5.0
DRAIN_SECONDS = 1.0  # after our half-close, how long the peer's EOF is awaited
_HIGH_WATER = 256 * 1024  # buffered output before we stop reading (a client not reading)


@dataclass
class Behaviour:
    """What a session does; the endpoint fills it from the path and query."""

    echo: bool = True
    greeting: bytes | None = None  # first text message (the handshake reflection)
    tick_interval: float = 0.0  # > 0: send "tick N" every interval
    tick_count: int = 0  # ticks before a normal close
    close_code: int | None = None  # close with this code ...
    close_reason: str = ""
    close_after: int = 0  # ... after echoing this many messages
    auto_pong: bool = True
    max_size: int = 1024 * 1024
    extensions: list[Extension] = field(default_factory=list)


class WSSession(asyncio.Protocol):
    def __init__(self, server: Any, behaviour: Behaviour) -> None:
        self.server = server
        self.b = behaviour
        self.ws = WSConnection(
            client=False,
            extensions=behaviour.extensions,
            max_size=behaviour.max_size,
            auto_pong=behaviour.auto_pong,
        )
        self.transport: asyncio.Transport | None = None
        self.received = 0
        self.ticks = 0
        self._timer: asyncio.TimerHandle | None = None
        self._paused = False
        self._ended = False  # our half-close is out: nothing more to write

    def start(self, transport: asyncio.Transport, rest: bytes) -> None:
        """Take over ``transport`` (bytes ``rest`` arrived after the upgrade request)."""
        transport.set_protocol(self)
        self.connection_made(transport)
        if rest:
            self.data_received(rest)

    # -- asyncio callbacks --------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.transport.set_write_buffer_limits(high=_HIGH_WATER)  # type: ignore[union-attr]
        self.server.connections.add(self)
        b = self.b
        if b.greeting is not None:
            self.ws.send(b.greeting.decode())
        if b.close_code is not None and b.close_after == 0:
            self._close(b.close_code, b.close_reason)
        elif b.tick_interval > 0:
            self._timer = self.server.loop.call_later(b.tick_interval, self._tick)
        self._flush()

    def data_received(self, data: bytes) -> None:
        ws = self.ws
        for ev in ws.receive(data):
            if type(ev) is Message:
                self.received += 1
                if self.b.echo:
                    ws.send(ev.data)
                if (
                    self.b.close_code is not None
                    and self.received >= self.b.close_after
                    and ws.open
                ):
                    self._close(self.b.close_code, self.b.close_reason)
            elif type(ev) is Closed:
                self._closed(ev)
        self._flush()

    def eof_received(self) -> bool:
        for ev in self.ws.receive(b""):
            if type(ev) is Closed:
                self._cancel()
        return False  # the transport closes itself

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel()
        self.server.forget(self)

    def pause_writing(self) -> None:
        if self.transport is not None and not self._paused:
            self._paused = True
            self.transport.pause_reading()

    def resume_writing(self) -> None:
        if self.transport is not None and self._paused:
            self._paused = False
            self.transport.resume_reading()

    def shutdown(self) -> None:
        """Server shutdown: close with 1001 going away."""
        self._close(GOING_AWAY, "server shutting down")
        self._flush()

    # -- internals ----------------------------------------------------------
    def _tick(self) -> None:
        self._timer = None
        if not self.ws.open:
            return
        self.ticks += 1
        self.ws.send(f"tick {self.ticks}")
        if self.b.tick_count and self.ticks >= self.b.tick_count:
            self._close(NORMAL, "done")
        else:
            self._timer = self.server.loop.call_later(self.b.tick_interval, self._tick)
        self._flush()

    def _close(self, code: int, reason: str) -> None:
        if self._ended:
            return
        self._cancel()
        self.ws.close(code, reason)
        if self.transport is not None:
            # the peer's answering Close ends it (see _closed); this is the backstop
            self._timer = self.server.loop.call_later(CLOSE_WAIT, self.transport.abort)

    def _closed(self, ev: Closed) -> None:
        """The closing handshake is over, or we failed the connection (1002, 1007, 1009).

        Either way the TCP connection ends: our last frames out, then a
        half-close, and whatever the peer still sends is read and dropped
        (closing with unread bytes would reset the connection and could
        destroy our Close frame before the peer reads it).
        """
        self._cancel()
        tr = self.transport
        if tr is None or tr.is_closing() or self._ended:
            return
        self._flush()
        self._ended = True
        if tr.can_write_eof():
            tr.write_eof()
            self._timer = self.server.loop.call_later(DRAIN_SECONDS, tr.close)
        else:
            tr.close()

    def _flush(self) -> None:
        out = self.ws.data_to_send()
        if out and self.transport is not None and not self._ended:
            self.transport.write(out)

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
