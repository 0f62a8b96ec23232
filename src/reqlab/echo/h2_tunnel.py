"""A WebSocket over one HTTP/2 stream (RFC 8441 extended CONNECT), for the echo server.

The HTTP/2 session (:mod:`reqlab.echo.h2`) advertises
SETTINGS_ENABLE_CONNECT_PROTOCOL and hands a ``CONNECT`` with ``:protocol
websocket`` to the endpoints at once (its body is the tunnel, it never
ends first).  When the endpoint answers 200 with ``extra["h2_tunnel"]``,
the session sends the response head without ending the stream and awaits
:func:`run`.  Here a :class:`StreamTransport` gives the WebSocket session the
few transport calls it makes, carried as DATA frames on that stream within
its flow-control window; the stream's DATA goes to the session's
``data_received``, its END_STREAM to ``eof_received``.  Received DATA is
acknowledged (WINDOW_UPDATE) only while fewer than HIGH_WATER bytes of
answers wait for the peer's window: a peer that sends without reading is
slowed down instead of filling the server's memory.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

import h2.errors
import h2.exceptions

if TYPE_CHECKING:
    from reqlab.echo.h2 import H2Session

HIGH_WATER = 256 * 1024  # answers waiting for the peer's window before we stop acknowledging


class StreamTransport:
    """The asyncio.Transport subset a WSSession uses, on HTTP/2 stream ``sid``."""

    def __init__(self, session: H2Session, sid: int) -> None:
        self.session = session
        self.sid = sid
        self.protocol: Any = None
        self.done = asyncio.Event()  # the tunnel is over (either side)
        self._pending = bytearray()
        self._eof = False  # END_STREAM wanted once the pending bytes are out
        self._pumping = False
        self._unacked = 0  # flow-controlled bytes received, not yet given back to the peer

    # -- what the WebSocket session calls -------------------------------------
    def set_protocol(self, protocol: Any) -> None:
        self.protocol = protocol

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        pass  # the stream's flow-control window is the limit

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return default

    def write(self, data: bytes) -> None:
        if not self._eof and not self.done.is_set():
            self._pending += data
            self._pump()

    def can_write_eof(self) -> bool:
        return True

    def write_eof(self) -> None:
        self._eof = True
        self._pump()

    def close(self) -> None:
        self.write_eof()

    def abort(self) -> None:
        with contextlib.suppress(h2.exceptions.ProtocolError):
            self.session.conn.reset_stream(self.sid, h2.errors.ErrorCodes.CANCEL)
        self.session.flush()
        self.done.set()

    def is_closing(self) -> bool:
        return self._eof or self.done.is_set()

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass

    # -- from the HTTP/2 session ----------------------------------------------
    def data_received(self, data: bytes, flow_controlled: int) -> None:
        self._unacked += flow_controlled
        if self.protocol is not None and not self.done.is_set():
            self.protocol.data_received(data)
        self._acknowledge()

    def _acknowledge(self) -> None:
        """Open the peer's window again, unless our answers are piling up (backpressure)."""
        if self._unacked and len(self._pending) < HIGH_WATER:
            with contextlib.suppress(h2.exceptions.ProtocolError):
                self.session.conn.acknowledge_received_data(self._unacked, self.sid)
            self._unacked = 0
            self.session.flush()

    def eof_received(self) -> None:
        if self.protocol is not None:
            self.protocol.eof_received()
        self.write_eof()  # as a socket closes once its protocol's eof_received says so

    # -- sending within the window --------------------------------------------
    def _pump(self) -> None:
        if self._pumping or self.done.is_set():
            return
        c = self.session.conn
        try:
            while self._pending:
                n = min(c.local_flow_control_window(self.sid), c.max_outbound_frame_size)
                if n <= 0:
                    self._wait_window()
                    return
                c.send_data(self.sid, bytes(self._pending[:n]))
                del self._pending[:n]
            if self._eof:
                c.end_stream(self.sid)
                self.done.set()
        except (h2.exceptions.ProtocolError, h2.exceptions.StreamClosedError):
            self.done.set()  # the stream is gone (reset by the peer)
        self.session.flush()
        self._acknowledge()

    def _wait_window(self) -> None:
        self._pumping = True
        fut = self.session.proto.loop.create_future()
        self.session._window_waiters.append(fut)

        def again(_: asyncio.Future[None]) -> None:
            self._pumping = False
            self._pump()

        fut.add_done_callback(again)


async def run(start: Any, session: H2Session, sid: int) -> None:
    """Carry a WebSocket session on stream ``sid`` until either side ends it.

    ``start(transport, server, rest)`` is the endpoint's ``extra["h2_tunnel"]``.
    """
    transport = StreamTransport(session, sid)
    stream = session.streams[sid]
    stream.tunnel = transport
    start(transport, session.proto.server, b"")
    try:
        await transport.done.wait()
    finally:
        stream.tunnel = None
        if transport.protocol is not None:
            transport.protocol.connection_lost(None)
