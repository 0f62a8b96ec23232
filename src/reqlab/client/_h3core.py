"""An HTTP/3 client connection's state with aioquic, without waiting.

aioquic is sans-IO: datagrams in (``receive``), datagrams out (``outgoing``),
a timer to honour (``next_timer`` / ``on_timer``).  Both engines drive this
class, the async one from a DatagramProtocol and ``call_at``, the sync one
from a blocking UDP socket and ``select``; everything they record comes from
here so it cannot drift between them.

Streams reuse the HTTP/2 engine's :class:`Stream` (head, body sink, first
byte, error).  A CONNECTION_CLOSE from the server ends every open stream
with an error naming the QUIC (or HTTP/3) error code and reason.
"""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import Callable
from time import perf_counter

from aioquic.h3.connection import H3_ALPN, ErrorCode, H3Connection
from aioquic.h3.events import DataReceived, H3Event, HeadersReceived
from aioquic.h3.exceptions import H3Error
from aioquic.quic.configuration import QuicConfiguration
from aioquic.quic.connection import QuicConnection
from aioquic.quic.events import ConnectionTerminated, HandshakeCompleted, QuicEvent
from aioquic.quic.packet import QuicErrorCode, QuicFrameType
from aioquic.tls import SessionTicket

from reqlab.client._body import BodySink
from reqlab.client._h2core import Stream
from reqlab.client._record import ConnectionInfo, QuicFacts
from reqlab.errors import RemoteProtocolError
from reqlab.protocol.quic import (
    count_losses,
    forget_peer_idle_timeout,
    negotiated,
    peer_cid,
    rtt,
)

Address = tuple[str, int]
DEFAULT_IDLE_TIMEOUT = 30.0


def error_name(code: int, application: bool = False) -> str:
    """A QUIC transport error code, or (``application``) an HTTP/3 one, by name.

    The two spaces overlap (0x10c is H3_REQUEST_REJECTED and a TLS alert):
    which one applies depends on the CONNECTION_CLOSE frame's type.
    """
    if application:
        try:
            return f"{ErrorCode(code).name} (0x{code:x})"
        except ValueError:
            return f"application error 0x{code:x}"
    if 0x100 <= code <= 0x1FF:  # RFC 9001 section 4.8: a TLS alert inside QUIC
        return f"CRYPTO_ERROR (0x{code:x}, TLS alert {code - 0x100})"
    try:
        return f"{QuicErrorCode(code).name} (0x{code:x})"
    except ValueError:
        return f"0x{code:x}"


def _is_idle_timeout(event: ConnectionTerminated) -> bool:
    """aioquic's own idle timer ends a connection with an event made like this
    (a CONNECTION_CLOSE received carries the frame type that caused it, or
    none for an application close, never PADDING)."""
    return (
        event.reason_phrase == "Idle timeout"
        and event.frame_type == QuicFrameType.PADDING
        and event.error_code == QuicErrorCode.INTERNAL_ERROR
    )


class H3State:
    http2 = False
    http3 = True

    def __init__(
        self,
        conn_id: int,
        server_name: str,
        verify: bool,
        cafile: str | None,
        ticket: SessionTicket | None,
        on_ticket: Callable[[SessionTicket], None],
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        honour_peer_idle: bool = True,
    ) -> None:
        self.id = conn_id
        # False only for the probe, which must outlive the server's advertised
        # idle timeout to see what the server really does past it.
        self.honour_peer_idle = honour_peer_idle
        self.advertised_idle: float | None = None  # the peer's, kept when not honoured
        config = QuicConfiguration(
            is_client=True,
            alpn_protocols=H3_ALPN,
            idle_timeout=idle_timeout,
            server_name=server_name,
            verify_mode=ssl.CERT_REQUIRED if verify else ssl.CERT_NONE,
            cafile=cafile,
        )
        config.session_ticket = ticket
        self.quic = QuicConnection(configuration=config, session_ticket_handler=on_ticket)
        self.losses = count_losses(self.quic)
        self.h3 = H3Connection(self.quic)
        self.streams: dict[int, Stream] = {}
        self.closed = False
        self.handshake_done = False
        self.zero_rtt_offered = ticket is not None and ticket.max_early_data_size is not None
        self.zero_rtt_accepted = False
        self.resumed = False
        self.error: Exception | None = None
        self.end_reason: str | None = None  # why the connection ended, once it has
        self.requests = 0
        self.local = self.remote = ""  # "ip:port" of the UDP socket, set by the engine
        self.info: ConnectionInfo | None = None
        self.sent = self.received = 0  # datagrams
        self.started = self.first_reply = self.handshake_at = self.ended_at = 0.0
        self.last_activity = self.last_sent = perf_counter()

    # ----------------------------------------------------------- datagrams
    def connect(self, addr: Address, now: float) -> None:
        self.started = perf_counter()
        self.quic.connect(addr, now=now)

    def outgoing(self, now: float) -> list[tuple[bytes, Address]]:
        out = self.quic.datagrams_to_send(now=now)
        if out:
            self.sent += len(out)
            self.last_sent = perf_counter()
        return out

    def receive(self, data: bytes, addr: Address, now: float) -> None:
        self.received += 1
        self.last_activity = perf_counter()
        if not self.first_reply:
            self.first_reply = self.last_activity
        self.quic.receive_datagram(data, addr, now=now)
        self._process()

    def next_timer(self) -> float | None:
        return self.quic.get_timer()

    def on_timer(self, now: float) -> None:
        self.quic.handle_timer(now=now)
        self._process()

    # -------------------------------------------------------------- events
    def _process(self) -> None:
        while (event := self.quic.next_event()) is not None:
            self._quic_event(event)

    def _quic_event(self, event: QuicEvent) -> None:
        if isinstance(event, HandshakeCompleted):
            self.handshake_done = True
            self.handshake_at = perf_counter()
            self.zero_rtt_accepted = event.early_data_accepted
            self.resumed = event.session_resumed
            if not self.honour_peer_idle:
                self.advertised_idle = forget_peer_idle_timeout(self.quic)
        elif isinstance(event, ConnectionTerminated):
            self._terminated(event)
            return
        try:
            for h3_event in self.h3.handle_event(event):
                self._h3_event(h3_event)
        except H3Error as exc:
            self.fail(f"HTTP/3 protocol error from the server: {exc}")

    def _terminated(self, event: ConnectionTerminated) -> None:
        self.closed = True
        self.ended_at = perf_counter()
        if self.end_reason is None:
            if _is_idle_timeout(event):
                idle = perf_counter() - self.last_activity
                self.end_reason = (
                    f"silent for {idle:.2f} s: the QUIC idle timeout ended it "
                    f"(effective {self.idle_timeout():g} s; no CONNECTION_CLOSE is sent)"
                )
            else:
                # aioquic leaves frame_type None for an application (HTTP/3) close
                name = error_name(event.error_code, application=event.frame_type is None)
                reason = f" reason {event.reason_phrase!r}" if event.reason_phrase else ""
                self.end_reason = f"server sent CONNECTION_CLOSE {name}{reason}"
        self.error = RemoteProtocolError(f"QUIC connection #{self.id} ended: {self.end_reason}")
        self.fail_all(self.error)

    def _h3_event(self, event: H3Event) -> None:
        if not isinstance(event, HeadersReceived | DataReceived):
            return  # pushes, datagrams, WebTransport: not asked for
        stream = self.streams.get(event.stream_id)
        if stream is None:
            return
        if isinstance(event, HeadersReceived):
            if not stream.first_byte:
                stream.first_byte = perf_counter()
            headers = [(n.decode("latin-1"), v.decode("latin-1")) for n, v in event.headers]
            status = next((v for n, v in headers if n == ":status"), "0")
            code = int(status) if status.isdigit() else 0
            if 100 <= code < 200:
                stream.interim.append((code, ""))
            elif stream.status == 0:
                stream.status = code
                stream.headers = [h for h in headers if not h[0].startswith(":")]
                encoding = next((v for n, v in stream.headers if n == "content-encoding"), None)
                stream.sink.start(encoding)
        elif event.data:
            try:
                stream.sink.write(event.data)
            except Exception as exc:  # too large, bad encoding: this stream only
                self.end(event.stream_id, exc)
                return
        if event.stream_ended:
            self.end(event.stream_id, None)

    # ------------------------------------------------------------- streams
    def open(
        self, headers: list[tuple[str, str]], body: bytes, sink: BodySink
    ) -> tuple[int, Stream]:
        if self.closed:
            raise self.error or RemoteProtocolError(f"QUIC connection #{self.id} is closed")
        stream_id = self.quic.get_next_available_stream_id()
        stream = Stream(sink=sink)
        self.streams[stream_id] = stream
        self.requests += 1
        encoded = [(n.encode("latin-1"), v.encode("latin-1")) for n, v in headers]
        self.h3.send_headers(stream_id, encoded, end_stream=not body)
        if body:
            self.h3.send_data(stream_id, body, end_stream=True)
        return stream_id, stream

    def end(self, stream_id: int, exc: BaseException | None) -> None:
        stream = self.streams.pop(stream_id, None)
        if stream is None or stream.ended:
            return
        if exc is None:
            try:
                stream.sink.finish()
            except Exception as err:
                exc = err
        stream.ended, stream.error = True, exc
        if stream.done is not None and not stream.done.done():
            if exc is None:
                stream.done.set_result(None)
            else:
                stream.done.set_exception(exc)

    def fail_all(self, exc: BaseException) -> None:
        for stream_id in list(self.streams):
            self.end(stream_id, exc)

    def fail(self, reason: str) -> None:
        self.end_reason = reason
        self.quic.close(error_code=ErrorCode.H3_GENERAL_PROTOCOL_ERROR, reason_phrase=reason)
        self.closed = True
        self.error = RemoteProtocolError(reason)
        self.fail_all(self.error)

    def reset(self, stream_id: int) -> None:
        with contextlib.suppress(Exception):  # already closed: nothing to cancel
            self.quic.reset_stream(stream_id, ErrorCode.H3_REQUEST_CANCELLED)

    @property
    def can_take_stream(self) -> bool:
        if self.closed:
            return False
        limit = negotiated(self.quic).peer_max_streams
        return limit == 0 or len(self.streams) < limit

    def idle_timeout(self) -> float:
        """The effective idle timeout, seconds (the smaller of both sides')."""
        return negotiated(self.quic).idle_timeout

    def goodbye(self, reason: str = "closed by the client") -> None:
        if not self.closed:
            self.end_reason = reason
            self.quic.close(error_code=ErrorCode.H3_NO_ERROR)
            self.closed = True

    def facts(self) -> QuicFacts:
        deal = negotiated(self.quic)
        estimate = rtt(self.quic)
        return QuicFacts(
            version=deal.version,
            idle_timeout_ours=deal.local_idle_timeout,
            idle_timeout_peer=deal.peer_idle_timeout,
            idle_timeout=deal.idle_timeout,
            max_streams=deal.peer_max_streams,
            local_cid=self.quic.host_cid.hex(),
            peer_cid=peer_cid(self.quic),
            datagrams_sent=self.sent,
            datagrams_received=self.received,
            packets_lost=self.losses.lost,
            packets_retransmitted=self.losses.retransmitted,
            rtt_ms=round(estimate.smoothed_ms, 3),
            min_rtt_ms=None if estimate.min_ms is None else round(estimate.min_ms, 3),
            zero_rtt=False,
            resumed=self.resumed,
        )
