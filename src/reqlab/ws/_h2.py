"""The client's WebSocket over HTTP/2 (RFC 8441): one connection, one extended CONNECT stream.

:class:`H2Carrier` is the asyncio protocol of the TCP (or TLS) connection,
speaking HTTP/2 with the h2 library, and at the same time the "transport"
of the WebSocket protocol object: what the WebSocket writes goes out as DATA
on the CONNECT stream (within its flow-control window), and the stream's
DATA comes back to the WebSocket's ``data_received``.  The server must
advertise SETTINGS_ENABLE_CONNECT_PROTOCOL; :meth:`H2Carrier.ready` says
whether it did.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import h2.config
import h2.connection
import h2.errors
import h2.events
import h2.exceptions

Header = tuple[str, str]


class H2Carrier:
    def __init__(self, ws: Any) -> None:
        self.ws = ws  # the WebSocket protocol object (reqlab.ws._client._WSProtocol)
        config = h2.config.H2Configuration(client_side=True, header_encoding="latin-1")
        self.conn = h2.connection.H2Connection(config)
        self.tcp: asyncio.Transport | None = None
        self.sid = 0
        loop = asyncio.get_running_loop()
        self.settings: asyncio.Future[bool] = loop.create_future()
        self.head: asyncio.Future[tuple[int, list[Header]]] = loop.create_future()
        self.early = b""  # tunnel bytes that came with the response head
        self.opened = False  # the WebSocket took over
        self._pending = bytearray()
        self._eof = False
        self._waiting_window = False

    # -- asyncio protocol of the connection -------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.tcp = transport  # type: ignore[assignment]
        self.conn.initiate_connection()
        self._flush()

    def data_received(self, data: bytes) -> None:
        try:
            events = self.conn.receive_data(data)
        except h2.exceptions.ProtocolError as exc:
            self._fail(ConnectionError(f"HTTP/2 protocol error: {exc}"))
            return
        for ev in events:
            self._event(ev)
        self._flush()

    def _event(self, ev: h2.events.Event) -> None:
        if isinstance(ev, h2.events.RemoteSettingsChanged) and not self.settings.done():
            self.settings.set_result(bool(self.conn.remote_settings.enable_connect_protocol))
        elif isinstance(ev, h2.events.ResponseReceived) and ev.stream_id == self.sid:
            headers = [(str(n), str(v)) for n, v in ev.headers]
            status = int(dict(headers).get(":status", "0"))
            if not self.head.done():
                self.head.set_result((status, [h for h in headers if not h[0].startswith(":")]))
        elif isinstance(ev, h2.events.DataReceived) and ev.stream_id == self.sid:
            with contextlib.suppress(h2.exceptions.ProtocolError):
                self.conn.acknowledge_received_data(ev.flow_controlled_length, self.sid)
            if self.opened:
                self.ws.data_received(ev.data)
            else:
                self.early += ev.data
        elif isinstance(ev, h2.events.StreamEnded) and ev.stream_id == self.sid:
            self.ws.eof_received()  # before open() too: the WebSocket applies it after ``early``
            self.close()
        elif isinstance(ev, h2.events.StreamReset | h2.events.ConnectionTerminated):
            self._fail(ConnectionError("the server reset the WebSocket stream"))
        elif isinstance(ev, h2.events.WindowUpdated) and self._waiting_window:
            self._waiting_window = False
            self._pump()

    def eof_received(self) -> bool:
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self._fail(ConnectionError("connection lost"))

    def pause_writing(self) -> None: ...

    def resume_writing(self) -> None: ...

    # -- the extended CONNECT ----------------------------------------------------
    def request(self, target: str, authority: str, scheme: str, headers: list[Header]) -> None:
        self.sid = self.conn.get_next_available_stream_id()
        pseudo = [(":method", "CONNECT"), (":protocol", "websocket"), (":scheme", scheme)]
        pseudo += [(":path", target), (":authority", authority)]
        self.conn.send_headers(self.sid, [*pseudo, *((n.lower(), v) for n, v in headers)])
        self._flush()

    # -- the transport the WebSocket writes to ------------------------------------
    def write(self, data: bytes) -> None:
        if not self._eof:
            self._pending += data
            self._pump()

    def is_closing(self) -> bool:
        return self._eof or self.tcp is None or self.tcp.is_closing()

    def close(self) -> None:
        """End our side of the stream; this connection carries nothing else, so close it."""
        if not self._eof:
            self._eof = True
            self._pump()
        if self.tcp is not None and not self._pending:
            self.tcp.close()

    def abort(self) -> None:
        self._eof = True
        if self.tcp is not None:
            self.tcp.abort()

    def _pump(self) -> None:
        c = self.conn
        try:
            while self._pending:
                n = min(c.local_flow_control_window(self.sid), c.max_outbound_frame_size)
                if n <= 0:
                    self._waiting_window = True
                    break
                c.send_data(self.sid, bytes(self._pending[:n]))
                del self._pending[:n]
            if self._eof and not self._pending:
                c.end_stream(self.sid)
        except (h2.exceptions.ProtocolError, h2.exceptions.StreamClosedError):
            self._pending.clear()
        self._flush()

    def _flush(self) -> None:
        out = self.conn.data_to_send()
        if out and self.tcp is not None and not self.tcp.is_closing():
            self.tcp.write(out)

    def _fail(self, exc: Exception) -> None:
        for fut in (self.settings, self.head):
            if not fut.done():
                fut.set_exception(exc)
                fut.exception()  # retrieved: whoever still awaits it sees it; nobody else must
        if self.opened:
            self.ws.connection_lost(None)
        if self.tcp is not None:
            self.tcp.close()
