"""A WebSocket as one stream of a pooled HTTP/2 connection (RFC 8441), for ``AsyncClient``.

``AsyncClient.websocket(url)`` takes the client's HTTP/2 connection to the
origin from its pool (the one its requests use, or a new one that joins the
pool), and opens the WebSocket as an extended CONNECT stream on it: the
other requests keep using the connection, and the record says
``reused=True`` with the connection's id when it was already there.

:class:`Tunnel` is at once the stream's body sink (the pooled connection
hands it the response head, DATA and the end of the stream, as it does any
stream) and the "transport" the WebSocket protocol writes to: what it
writes goes out as DATA within the stream's flow-control window, the rest
when a WINDOW_UPDATE comes.  Closing ends our side of the stream, never the
shared connection.

Where HTTP/2 cannot carry it (cleartext without ``http_version="HTTP/2"``,
a server that answers ALPN with http/1.1, or one that does not offer
SETTINGS_ENABLE_CONNECT_PROTOCOL), the WebSocket opens over HTTP/1.1 on a
connection of its own (:func:`reqlab.ws.connect`), as browsers do.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from time import perf_counter
from typing import TYPE_CHECKING

import h2.exceptions

from reqlab.client._body import BodySink
from reqlab.client._build import pool_key
from reqlab.client._h1 import H1Connection
from reqlab.errors import RemoteProtocolError, RequestTimeout
from reqlab.protocol import ws_handshake as hs
from reqlab.protocol.ws import DEFAULT_MAX_SIZE, WSConnection
from reqlab.ws._client import WebSocket, _target, connect
from reqlab.ws._conn import _WSProtocol
from reqlab.ws._record import WSRecord

if TYPE_CHECKING:
    from reqlab.client._api import AsyncClient
    from reqlab.client._h2 import H2Connection

Header = tuple[str, str]


class Tunnel(BodySink):
    """The CONNECT stream: a body sink for the connection, a transport for the WebSocket."""

    def __init__(self, conn: H2Connection, ws: _WSProtocol) -> None:
        super().__init__(None, spool_size=0)
        self.conn, self.ws = conn, ws
        self.sid = 0
        self.head: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.early = b""  # tunnel bytes that came with the response head
        self.opened = False  # the WebSocket took over
        self._pending = bytearray()
        self._eof = False
        self._end_sent = False
        self._gone = False

    # -- the sink the connection feeds ---------------------------------------
    def start(self, content_encoding: str | None) -> None:
        if not self.head.done():
            self.head.set_result(None)

    def write(self, data: bytes) -> None:
        if self.opened:
            self.ws.data_received(data)
        else:
            self.early += data

    def finish(self) -> None:
        pass  # the stream's end is seen by its future (``ended``)

    def ended(self, done: asyncio.Future[None]) -> None:
        """The stream is over: ended by the server, reset, or the connection lost."""
        self._eof = True
        self._pending.clear()
        with contextlib.suppress(ValueError):
            self.conn.listeners.remove(self._pump)
        exc = done.exception()
        if exc is None:  # the server ended its side: end ours, so the stream is closed
            self._end()
            self.conn.flush()
        if not self.head.done():
            self.head.set_exception(exc or RemoteProtocolError("the stream ended before its head"))
            self.head.exception()
        if not self._gone:  # before open() too: the WebSocket applies it after ``early``
            self._gone = True
            if exc is None:
                self.ws.eof_received()
            self.ws.connection_lost(None)

    # -- the extended CONNECT --------------------------------------------------
    def request(self, target: str, authority: str, scheme: str, headers: list[Header]) -> None:
        pseudo = [(":method", "CONNECT"), (":protocol", "websocket"), (":scheme", scheme)]
        pseudo += [(":path", target), (":authority", authority)]
        sent = [*pseudo, *((n.lower(), v) for n, v in headers)]
        self.sid, self.stream = self.conn.open(sent, self, end_stream=False)
        self.stream.done = done = asyncio.get_running_loop().create_future()
        done.add_done_callback(self.ended)
        self.conn.listeners.append(self._pump)

    # -- the transport the WebSocket writes to -----------------------------------
    def write_out(self, data: bytes) -> None:
        if not self._eof:
            self._pending += data
            self._pump()

    def is_closing(self) -> bool:
        return self._eof or self.conn.closed

    def close(self) -> None:
        """End our side of the stream (the connection stays, shared)."""
        if not self._eof:
            self._eof = True
            self._pump()

    def abort(self) -> None:
        self._eof = True
        self._pending.clear()
        self.conn.reset(self.sid)
        self.conn.end(self.sid, ConnectionAbortedError("the WebSocket was aborted"))

    def _pump(self) -> None:
        h2conn = self.conn.h2
        try:
            while self._pending:
                n = min(h2conn.local_flow_control_window(self.sid), h2conn.max_outbound_frame_size)
                if n <= 0:
                    break  # the rest when a WINDOW_UPDATE comes (a listener call)
                h2conn.send_data(self.sid, bytes(self._pending[:n]))
                del self._pending[:n]
            if self._eof and not self._pending:
                self._end()
        except (h2.exceptions.ProtocolError, h2.exceptions.StreamClosedError):
            self._pending.clear()
        self.conn.flush()

    def _end(self) -> None:
        if not self._end_sent:
            self._end_sent = True
            with contextlib.suppress(h2.exceptions.ProtocolError, h2.exceptions.StreamClosedError):
                self.conn.h2.end_stream(self.sid)


class _Transport:
    """What the WebSocket protocol object calls its transport: the tunnel's writing side."""

    def __init__(self, tunnel: Tunnel) -> None:
        self.write = tunnel.write_out
        self.is_closing = tunnel.is_closing
        self.close = tunnel.close
        self.abort = tunnel.abort


async def open_pooled(
    client: AsyncClient,
    url: str,
    *,
    headers: Sequence[Header] = (),
    subprotocols: Sequence[str] = (),
    deflate: bool = True,
    timeout: float | None = 10.0,
    max_size: int = DEFAULT_MAX_SIZE,
    ping_interval: float | None = None,
    ping_timeout: float | None = None,
) -> WebSocket:
    """A WebSocket on the client's pooled HTTP/2 connection to the origin (see the module)."""
    host, port, tls, target, authority = _target(url)
    scheme = "https" if tls else "http"
    version = client.http_version
    request = client.build_request("GET", f"{scheme}://{authority}{target}", headers=headers)
    extra = [h for h in request.headers if h[0].lower() != "host"]
    verify = request.options.verify

    async def over_h1() -> WebSocket:  # a connection of its own, as browsers do
        return await connect(url, headers=extra, subprotocols=subprotocols, deflate=deflate,
                             timeout=timeout, max_size=max_size, verify=verify is not False,
                             cafile=client.cafile, ping_interval=ping_interval,
                             ping_timeout=ping_timeout)  # fmt: skip

    if version in ("HTTP/1.0", "HTTP/1.1", "HTTP/3") or (not tls and version != "HTTP/2"):
        return await over_h1()
    key = pool_key(request)
    conn, reused, opened = await client.pool.acquire(key, version or None, timeout, [])
    if isinstance(conn, H1Connection):  # the server chose HTTP/1.1: the pool keeps it
        client.pool.release(key, conn, True)
        return await over_h1()
    if not await _settings(conn, timeout) or not conn.h2.remote_settings.enable_connect_protocol:
        return await over_h1()
    record = WSRecord(url)
    record.http_version, record.reused = "HTTP/2", reused
    if conn.info is not None:
        record.connection_id = conn.info.id
        record.local, record.remote, record.tls = conn.info.local, conn.info.remote, conn.info.tls
    if opened is not None:
        t = record.timings
        t.dns, t.connect, t.tls = opened.dns, opened.connect, opened.tls
    proto = _WSProtocol(record, max_size)
    tunnel = Tunnel(conn, proto)
    proto.connection_made(_Transport(tunnel))  # type: ignore[arg-type]
    offer = hs.offer_h2(subprotocols, deflate=deflate)
    sent = offer.headers + [(n.lower(), v) for n, v in extra]
    record.request_headers = [(":authority", authority), *sent]
    t0 = perf_counter()
    try:
        tunnel.request(target, authority, scheme, sent)
        await asyncio.wait_for(asyncio.shield(tunnel.head), timeout)
        stream_status, stream_headers = tunnel.stream.status, list(tunnel.stream.headers)
        record.timings.upgrade = (perf_counter() - t0) * 1000
        record.status, record.response_headers = stream_status, stream_headers
        accepted = hs.check_answer_h2(offer, stream_status, stream_headers)
    except TimeoutError:
        tunnel.abort()
        raise RequestTimeout("websocket extended CONNECT (no answer)", timeout) from None
    except hs.HandshakeError as exc:
        tunnel.abort()
        raise RemoteProtocolError(f"WebSocket handshake with {url}: {exc}") from None
    except BaseException:
        tunnel.abort()
        raise
    record.subprotocol = accepted.subprotocol
    record.extensions = [e.name for e in accepted.extensions]
    ws = WSConnection(
        client=True, extensions=accepted.extensions, max_size=max_size, log_frames=True
    )
    tunnel.opened = True
    proto.open(ws, tunnel.early)
    websocket = WebSocket(proto)
    if ping_interval:
        websocket.keep_alive(ping_interval, ping_timeout)
    return websocket


async def _settings(conn: H2Connection, timeout: float | None) -> bool:
    """Wait for the server's SETTINGS (a fresh connection may not have them yet)."""
    if conn.settings_seen:
        return True
    seen = asyncio.get_running_loop().create_future()

    def look() -> None:
        if (conn.settings_seen or conn.closed) and not seen.done():
            seen.set_result(None)

    conn.listeners.append(look)
    try:
        await asyncio.wait_for(seen, timeout)
    except TimeoutError:
        return False
    finally:
        conn.listeners.remove(look)
    return conn.settings_seen and not conn.closed
