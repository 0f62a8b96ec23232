"""HTTP/2 for the echo server, on the h2 library.

Reached three ways: h2c prior knowledge (the client preface on a plain
socket), h2c by ``Upgrade: h2c`` (the HTTP/1.1 request becomes stream 1),
and ``h2`` chosen by ALPN over TLS.

h2's own inbound header validation turns a malformed request into a
*connection* error (GOAWAY).  RFC 9113 section 8.1.1 makes it a *stream*
error, and a request with Connection or Keep-Alive must not cost the other
streams their answers, so validation is switched off in h2 and done here
per request: a malformed one is refused with RST_STREAM PROTOCOL_ERROR.

Floods: streams reset before they are answered (rapid reset, CVE-2023-44487),
PING, SETTINGS and other control frames each draw on a per-connection budget
(:mod:`reqlab.protocol.budget`); a connection that runs one dry gets GOAWAY
ENHANCE_YOUR_CALM and is closed, and its streams' state goes with it.  A
stream reset by the client is forgotten at once (its task cancelled).

Flow control: request bodies are acknowledged as they arrive (the whole body
is buffered anyway, up to --max-body-bytes); answers are sent no faster than
the peer's stream and connection windows allow, waiting for WINDOW_UPDATE.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

import h2.config
import h2.connection
import h2.errors
import h2.events
import h2.exceptions
import h2.settings
from h2.utilities import HeaderValidationFlags, validate_headers

from reqlab.echo import h2_tunnel
from reqlab.echo._types import ConnectionInfo, EchoRequest, EchoResponse, KeepAliveInfo
from reqlab.protocol.budget import FrameBudgets
from reqlab.protocol.h1server import http_date
from reqlab.protocol.keepalive import H2_FORBIDDEN

if TYPE_CHECKING:
    from reqlab.echo.connection import EchoProtocol
    from reqlab.echo.h2_tunnel import StreamTransport
    from reqlab.protocol.h1server import H2CUpgrade

log = logging.getLogger("reqlab.echo")

# h2.utilities is not in h2's documented API: its header validator, called
# here so that a bad header refuses one stream (h2's own inbound validation,
# off, would end the connection).  Pinned by tests/test_internals.py.
_REQUEST_FLAGS = HeaderValidationFlags(False, False, False, False)
_TRAILER_FLAGS = HeaderValidationFlags(False, True, False, False)
_DROP = frozenset(H2_FORBIDDEN) | {"content-length"}
_NO_BODY_STATUS = frozenset({204, 304})
# Which budget each frame-level event draws on (see reqlab.protocol.budget).
_COSTS: dict[type, str] = {
    h2.events.StreamReset: "resets",
    h2.events.PingReceived: "pings",
    h2.events.PingAckReceived: "pings",
    h2.events.RemoteSettingsChanged: "settings",
    h2.events.PriorityUpdated: "control",
    h2.events.WindowUpdated: "control",
    h2.events.UnknownFrameReceived: "control",
}


class _Stream:
    __slots__ = ("headers", "body", "size", "task", "upgraded", "tunnel")

    def __init__(self, headers: list[tuple[bytes, bytes]]) -> None:
        self.headers = headers
        self.body: list[bytes] = []
        self.size = 0
        self.task: asyncio.Task[None] | None = None
        self.upgraded: EchoRequest | None = None
        self.tunnel: StreamTransport | None = None  # an RFC 8441 WebSocket (h2_tunnel)


class H2Session:
    def __init__(self, proto: EchoProtocol) -> None:
        self.proto = proto
        config = h2.config.H2Configuration(
            client_side=False,
            header_encoding=None,
            validate_inbound_headers=False,
            normalize_inbound_headers=False,
        )
        self.conn = h2.connection.H2Connection(config)
        self.streams: dict[int, _Stream] = {}
        self.requests = 0
        self._window_waiters: list[asyncio.Future[None]] = []
        self.closed = False
        self.goaway_sent = False
        self.budgets = FrameBudgets(proto.server.options.h2_flood_limits)

    # -- input ----------------------------------------------------------------
    def start(self, data: bytes, upgrade: H2CUpgrade | None = None) -> None:
        c = self.conn
        c.local_settings = h2.settings.Settings(
            client=False,
            initial_values={
                h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS: 128,
                # the HTTP/1.x head limit, announced (RFC 9113 6.5.2) and enforced
                h2.settings.SettingCodes.MAX_HEADER_LIST_SIZE: (
                    self.proto.server.options.max_header_bytes
                ),
                h2.settings.SettingCodes.ENABLE_CONNECT_PROTOCOL: 1,  # RFC 8441 WebSockets
            },
        )
        if upgrade is None:
            c.initiate_connection()
        else:
            c.initiate_upgrade_connection(upgrade.settings.encode("latin-1"))
            stream = _Stream([])
            self.streams[1] = stream
            stream.upgraded = self.proto.echo_request(upgrade.request)
            self._dispatch(1, stream)
        self.flush()
        if data:
            self.data_received(data)
        else:
            self._maybe_idle()

    def data_received(self, data: bytes) -> None:
        if self.closed:
            return
        try:
            events = self.conn.receive_data(data)
        except h2.exceptions.ProtocolError as exc:
            log.info("connection %d: HTTP/2 protocol error: %s", self.proto.id, exc)
            self.flush()  # h2 has queued the GOAWAY
            self._close()
            return
        now = self.proto.loop.time()
        budgets = self.budgets
        for ev in events:
            kind = _COSTS.get(type(ev))
            if kind is None and type(ev) is h2.events.DataReceived and not ev.data:
                kind = "control" if ev.stream_ended is None else None
            if kind is not None and budgets.spend(kind, now) is not None:
                self._calm(kind)
                return
            self._event(ev)
            if self.closed:
                return
        self.flush()
        self._maybe_idle()

    def _calm(self, kind: str) -> None:
        """Out of budget: GOAWAY ENHANCE_YOUR_CALM, forget every stream, close."""
        log.info("connection %d: HTTP/2 %s budget exhausted: GOAWAY", self.proto.id, kind)
        with contextlib.suppress(h2.exceptions.ProtocolError):
            self.conn.close_connection(
                h2.errors.ErrorCodes.ENHANCE_YOUR_CALM, f"too many {kind}".encode()
            )
        self.flush()
        self.goaway_sent = True
        for stream in self.streams.values():
            if stream.task is not None:
                stream.task.cancel()
        self.streams.clear()
        self._close()

    def _event(self, ev: h2.events.Event) -> None:
        stream: _Stream | None  # the event's stream, where it has one
        if isinstance(ev, h2.events.RequestReceived):
            sid = ev.stream_id
            try:
                headers = list(validate_headers(ev.headers, _REQUEST_FLAGS))
                self._check_request(headers)
            except h2.exceptions.ProtocolError as exc:
                self._refuse(sid, str(exc))
                return
            self.proto.cancel_timer()
            stream = _Stream(headers)
            self.streams[sid] = stream
            if ev.stream_ended is not None or (b":protocol", b"websocket") in headers:
                self._dispatch(sid, stream)  # an extended CONNECT's body is its tunnel
        elif isinstance(ev, h2.events.DataReceived):
            sid = ev.stream_id
            stream = self.streams.get(sid)
            if stream is not None and stream.tunnel is not None:
                # a tunnel acknowledges what it can echo: a peer that does not read is slowed
                stream.tunnel.data_received(ev.data, ev.flow_controlled_length)
                return
            with contextlib.suppress(h2.exceptions.ProtocolError):
                self.conn.acknowledge_received_data(ev.flow_controlled_length, sid)
            if stream is None or stream.task is not None:
                return
            stream.body.append(ev.data)
            stream.size += len(ev.data)
            if stream.size > self.proto.server.options.max_body_bytes:
                self._too_large(sid)
            elif ev.stream_ended is not None:
                self._dispatch(sid, stream)
        elif isinstance(ev, h2.events.TrailersReceived):
            try:
                list(validate_headers(ev.headers, _TRAILER_FLAGS))
            except h2.exceptions.ProtocolError as exc:
                self._refuse(ev.stream_id, str(exc))
                return
            stream = self.streams.get(ev.stream_id)
            if stream is not None and stream.task is None and ev.stream_ended is not None:
                self._dispatch(ev.stream_id, stream)
        elif isinstance(ev, h2.events.StreamEnded):
            stream = self.streams.get(ev.stream_id)
            if stream is not None and stream.tunnel is not None:
                stream.tunnel.eof_received()
            elif stream is not None and stream.task is None:
                self._dispatch(ev.stream_id, stream)
        elif isinstance(ev, h2.events.StreamReset):
            stream = self.streams.pop(ev.stream_id, None)
            if stream is not None and stream.task is not None:
                stream.task.cancel()
            self._wake()
        elif isinstance(ev, (h2.events.WindowUpdated, h2.events.RemoteSettingsChanged)):
            self._wake()
        elif isinstance(ev, h2.events.ConnectionTerminated):
            self.flush()
            self._close()

    @staticmethod
    def _check_request(headers: list[tuple[bytes, bytes]]) -> None:
        # h2's validator knows the pseudo-header rules; RFC 9113 8.2.2 also
        # forbids connection-specific fields, which it checks only for some.
        for name, value in headers:
            if name.startswith(b":"):
                continue
            lower = name.decode("latin-1")
            if lower in H2_FORBIDDEN or (lower == "te" and value.lower() != b"trailers"):
                raise h2.exceptions.ProtocolError(f"connection-specific header {lower}")

    def _refuse(self, sid: int, why: str) -> None:
        log.info("connection %d stream %d refused: %s", self.proto.id, sid, why)
        # A refused stream costs like a reset one: a flood of them is a flood.
        if self.budgets.spend("resets", self.proto.loop.time()) is not None:
            self._calm("resets")
            return
        self.streams.pop(sid, None)
        with contextlib.suppress(h2.exceptions.StreamClosedError):
            self.conn.reset_stream(sid, h2.errors.ErrorCodes.PROTOCOL_ERROR)

    def _too_large(self, sid: int) -> None:
        stream = self.streams.pop(sid)
        stream.task = None
        body = b"request body too large\n"
        self.conn.send_headers(
            sid, [(b":status", b"413"), (b"content-length", str(len(body)).encode())]
        )
        self.conn.send_data(sid, body, end_stream=True)

    # -- answering ------------------------------------------------------------
    def _dispatch(self, sid: int, stream: _Stream) -> None:
        self.requests += 1
        req = stream.upgraded if stream.upgraded is not None else self._request(stream)
        stream.task = self.proto.loop.create_task(self._answer(sid, stream, req))

    def _request(self, stream: _Stream) -> EchoRequest:
        pseudo: list[tuple[str, str]] = []
        headers: list[tuple[str, str]] = []
        for n, v in stream.headers:
            name = n.decode("latin-1")
            (pseudo if name.startswith(":") else headers).append((name, v.decode("latin-1")))
        p = dict(pseudo)
        proto = self.proto
        return EchoRequest(
            method=p.get(":method", ""),
            target=p.get(":path", ""),
            http_version="HTTP/2",
            headers=headers,
            body=b"".join(stream.body),
            connection=ConnectionInfo(
                proto.id, self.requests, proto.client, proto.server_port, proto.scheme, proto.tls
            ),
            # HTTP/2 keeps the connection for any number of streams: no max applies.
            keep_alive=KeepAliveInfo(True, proto.server.options.keep_alive_timeout, -1),
            pseudo_headers=pseudo,
        )

    async def _answer(self, sid: int, stream: _Stream, req: EchoRequest) -> None:
        try:
            resp = await self.proto.server.call_handler(req)
            await self._send(sid, req, resp)
            self.budgets.earned()
        except ConnectionAbortedError:  # a stream asked to be cut (/sse?drop=): reset it
            with contextlib.suppress(h2.exceptions.ProtocolError):
                self.conn.reset_stream(sid, h2.errors.ErrorCodes.CANCEL)
        except (h2.exceptions.StreamClosedError, ConnectionError):
            pass
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("connection %d stream %d: failed while answering", self.proto.id, sid)
            with contextlib.suppress(h2.exceptions.ProtocolError):
                self.conn.reset_stream(sid, h2.errors.ErrorCodes.INTERNAL_ERROR)
        finally:
            self.streams.pop(sid, None)
            self.flush()
            self._maybe_idle()

    async def _send(self, sid: int, req: EchoRequest, resp: EchoResponse) -> None:
        headers = [(b":status", str(resp.status).encode())]
        has_date = False
        for name, value in resp.headers:
            lower = name.lower()
            if lower not in _DROP:
                has_date = has_date or lower == "date"
                headers.append((lower.encode("latin-1"), value.encode("latin-1")))
        if not has_date:
            headers.append((b"date", http_date()))
        alt_svc = self.proto.server.alt_svc
        if alt_svc is not None:
            headers.append((b"alt-svc", alt_svc))
        body = resp.body
        if resp.status == 200 and "h2_tunnel" in resp.extra:
            self.conn.send_headers(sid, headers)  # the stream stays open: it is the tunnel
            self.flush()
            await h2_tunnel.run(resp.extra["h2_tunnel"], self, sid)
            return
        no_body = req.method == "HEAD" or resp.status in _NO_BODY_STATUS
        if isinstance(body, bytes | bytearray | memoryview):
            if resp.status not in _NO_BODY_STATUS:
                headers.append((b"content-length", str(len(body)).encode()))
            self.conn.send_headers(sid, headers, end_stream=no_body or not body)
            self.flush()
            if body and not no_body:
                await self._send_data(sid, bytes(body), end=True)
            return
        length = resp.extra.get("content_length")
        if length is not None and resp.status not in _NO_BODY_STATUS:
            headers.append((b"content-length", str(length).encode()))
        self.conn.send_headers(sid, headers, end_stream=no_body)
        self.flush()
        try:
            if not no_body:
                async for chunk in body:
                    await self._send_data(sid, chunk, end=False)
                self.conn.end_stream(sid)
        finally:
            aclose = getattr(body, "aclose", None)
            if aclose is not None:
                await aclose()

    async def _send_data(self, sid: int, data: bytes, end: bool) -> None:
        c = self.conn
        view = memoryview(data)
        while view:
            window = c.local_flow_control_window(sid)
            if window <= 0:
                await self._wait_window()
                continue
            n = min(window, c.max_outbound_frame_size, len(view))
            c.send_data(sid, view[:n].tobytes(), end_stream=end and n == len(view))
            self.budgets.data_sent()
            view = view[n:]
            self.flush()
            await self.proto.drain()
        if end and not data:
            c.end_stream(sid)

    async def _wait_window(self) -> None:
        if self.closed:
            raise ConnectionError("connection closed")
        fut = self.proto.loop.create_future()
        self._window_waiters.append(fut)
        await fut

    def _wake(self) -> None:
        for f in self._window_waiters:
            if not f.done():
                f.set_result(None)
        self._window_waiters.clear()

    # -- output and lifecycle -------------------------------------------------
    def flush(self) -> None:
        data = self.conn.data_to_send()
        tr = self.proto.transport
        if data and tr is not None and not tr.is_closing():
            tr.write(data)

    def _maybe_idle(self) -> None:
        if not self.streams and not self.closed:
            if self.goaway_sent:
                self._close()
            elif self.proto.server.shutting_down:
                self.shutdown()
            else:
                self.proto.arm_idle()

    def idle_timeout(self) -> None:
        self.shutdown()

    def shutdown(self) -> None:
        """GOAWAY now; close once the streams in flight are answered."""
        if self.closed or self.goaway_sent:
            return
        self.goaway_sent = True
        with contextlib.suppress(h2.exceptions.ProtocolError):
            self.conn.close_connection()
        self.flush()
        if not self.streams:
            self._close()

    def _close(self) -> None:
        self.closed = True
        for f in self._window_waiters:
            if not f.done():
                f.set_exception(ConnectionError("connection closed"))
        self._window_waiters.clear()
        self.proto.gentle_close()

    def connection_lost(self) -> None:
        self.closed = True
        for stream in self.streams.values():
            if stream.task is not None:
                stream.task.cancel()
        self._wake()
