"""HTTP/3 for the echo server, on aioquic (QUIC over UDP).

One UDP listener (by default on the TLS port: TCP and UDP ports are
separate namespaces) answers QUIC; aioquic's asyncio server demultiplexes
datagrams by connection id and gives each connection an
:class:`H3EchoProtocol`.  Each request stream becomes the same
:class:`EchoRequest` the other versions build, with ``http_version``
"HTTP/3" and a :class:`QuicInfo` in its connection facts, so ``/echo`` and
every other endpoint answer it unchanged.

Session tickets are kept (a bounded store) so a client can resume and send
0-RTT data; a request whose headers arrived before the handshake completed
is reported as ``zero_rtt``.  The TCP listeners advertise this one with
``Alt-Svc: h3=":PORT"; ma=...`` (see ``EchoServer.start``).
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, cast

from aioquic.asyncio.protocol import QuicConnectionProtocol
from aioquic.asyncio.server import QuicServer, serve
from aioquic.h3.connection import H3_ALPN, H3Connection
from aioquic.h3.events import DataReceived, H3Event, HeadersReceived
from aioquic.h3.exceptions import H3Error
from aioquic.quic.configuration import QuicConfiguration
from aioquic.quic.events import ConnectionTerminated, HandshakeCompleted, QuicEvent
from aioquic.tls import SessionTicket

from reqlab.echo._types import (
    ConnectionInfo,
    EchoRequest,
    EchoResponse,
    KeepAliveInfo,
    QuicInfo,
    TLSInfo,
)
from reqlab.echo._udpbatch import BatchingTransport
from reqlab.protocol.h1server import http_date
from reqlab.protocol.keepalive import H2_FORBIDDEN
from reqlab.protocol.quic import negotiated, server_socket_port, server_transport

if TYPE_CHECKING:
    from reqlab.echo.server import EchoServer

log = logging.getLogger("reqlab.echo")

_DROP = frozenset(H2_FORBIDDEN) | {"content-length"}
_NO_BODY_STATUS = frozenset({204, 304})
_TICKETS_KEPT = 1024


class TicketStore:
    """Session tickets by id, the oldest dropped past a bound."""

    def __init__(self) -> None:
        self.tickets: OrderedDict[bytes, SessionTicket] = OrderedDict()

    def add(self, ticket: SessionTicket) -> None:
        self.tickets[ticket.ticket] = ticket
        while len(self.tickets) > _TICKETS_KEPT:
            self.tickets.popitem(last=False)

    def pop(self, label: bytes) -> SessionTicket | None:
        return self.tickets.pop(label, None)  # single use: no replayed 0-RTT


class _Stream:
    __slots__ = ("headers", "body", "early")

    def __init__(self, headers: list[tuple[bytes, bytes]], early: bool) -> None:
        self.headers = headers
        self.body: list[bytes] = []
        self.early = early


class H3EchoProtocol(QuicConnectionProtocol):
    """One QUIC connection: its HTTP/3 streams reflected by the echo handler."""

    def __init__(self, *args: Any, echo: EchoServer, listener: H3Listener, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.echo = echo
        self.listener = listener
        self.id = echo.next_id()
        self.h3: H3Connection | None = None
        self.requests = 0
        self.handshake_done = False
        self.resumed = False
        self._cached: tuple[QuicInfo, TLSInfo, KeepAliveInfo] | None = None
        self.streams: dict[int, _Stream] = {}
        self.client = ""
        self._transmit_pending = False
        listener.protocols.add(self)

    def transmit(self) -> None:
        """Send at the end of this turn of the loop, once: uvloop hands over
        every datagram a read found in one turn, so the answers (and ACKs) to
        all of them leave in as few datagrams, and ``sendto`` calls, as fit.
        Each datagram saved is a syscall here and a receive at the peer."""
        if not self._transmit_pending:
            self._transmit_pending = True
            self._loop.call_soon(self._transmit_now)

    def _transmit_now(self) -> None:
        self._transmit_pending = False
        if self._transport is not None and not self._transport.is_closing():
            super().transmit()
            self.listener.flush()

    def close(self, error_code: int = 0, reason_phrase: str = "") -> None:
        self._quic.close(error_code=error_code, reason_phrase=reason_phrase)
        super().transmit()  # the CONNECTION_CLOSE leaves now: the listener closes next
        self.listener.flush()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # aioquic's server gives every connection its one UDP transport; ours
        # goes through the listener's batching stand-in for it
        batch = self.listener.batch
        super().connection_made(transport if batch is None else cast(asyncio.BaseTransport, batch))

    def quic_event_received(self, event: QuicEvent) -> None:
        if self.h3 is None:
            self.h3 = H3Connection(self._quic)
        if isinstance(event, HandshakeCompleted):
            self.handshake_done = True
            self.resumed = event.session_resumed
        elif isinstance(event, ConnectionTerminated):
            self.listener.protocols.discard(self)
        try:
            h3_events = self.h3.handle_event(event)
        except H3Error as exc:
            log.info("QUIC connection %d: HTTP/3 error: %s", self.id, exc)
            return
        for h3_event in h3_events:
            self._h3_event(h3_event)

    def datagram_received(self, data: bytes | str, addr: Any) -> None:
        if not self.client:
            self.client = f"{addr[0]}:{addr[1]}"
        super().datagram_received(data, addr)

    def _h3_event(self, event: H3Event) -> None:
        if isinstance(event, HeadersReceived):
            stream = self.streams.get(event.stream_id)
            if stream is None:
                stream = self.streams[event.stream_id] = _Stream(
                    event.headers, not self.handshake_done
                )
            if event.stream_ended:
                self._dispatch(event.stream_id, stream)
        elif isinstance(event, DataReceived):
            found = self.streams.get(event.stream_id)
            if found is None:
                return
            found.body.append(event.data)
            if event.stream_ended:
                self._dispatch(event.stream_id, found)

    def _dispatch(self, stream_id: int, stream: _Stream) -> None:
        self.streams.pop(stream_id, None)
        self.requests += 1
        request = self._request(stream)
        sync = self.echo.sync_handler
        answer = sync(request) if sync is not None else None
        if answer is not None and isinstance(answer.body, bytes):
            # no transmit here: aioquic transmits once after the datagram's
            # events, so the answers to one datagram's requests leave together
            self._send(stream_id, request, answer, answer.body, flush=False)
            return
        self.echo.loop.create_task(self._answer(stream_id, request))

    async def _answer(self, stream_id: int, request: EchoRequest) -> None:
        resp = await self.echo.call_handler(request)
        body = resp.body
        if isinstance(body, bytes):
            self._send(stream_id, request, resp, body)
            return
        try:
            self._send(stream_id, request, resp, None)
            async for chunk in body:
                self._data(stream_id, chunk, False)
            self._data(stream_id, b"", True)
        except (H3Error, AssertionError, ValueError) as exc:  # the stream or connection went away
            log.info("QUIC connection %d stream %d: %s", self.id, stream_id, exc)

    def _data(self, stream_id: int, chunk: bytes, end: bool) -> None:
        assert self.h3 is not None
        self.h3.send_data(stream_id, chunk, end_stream=end)
        self.transmit()

    def _send(
        self,
        stream_id: int,
        req: EchoRequest,
        resp: EchoResponse,
        body: bytes | None,
        flush: bool = True,
    ) -> None:
        assert self.h3 is not None
        headers = [(b":status", str(resp.status).encode())]
        has_date = False
        for name, value in resp.headers:
            lower = name.lower()
            if lower not in _DROP:
                has_date = has_date or lower == "date"
                headers.append((lower.encode("latin-1"), value.encode("latin-1")))
        if not has_date:
            headers.append((b"date", http_date()))
        no_body = req.method == "HEAD" or resp.status in _NO_BODY_STATUS
        length = len(body) if body is not None else resp.extra.get("content_length")
        if length is not None and resp.status not in _NO_BODY_STATUS:
            headers.append((b"content-length", str(length).encode()))
        try:
            if body is None:
                self.h3.send_headers(stream_id, headers, end_stream=no_body)
            else:
                self.h3.send_headers(stream_id, headers, end_stream=no_body or not body)
                if body and not no_body:
                    self.h3.send_data(stream_id, body, end_stream=True)
        except (H3Error, AssertionError, ValueError) as exc:
            log.info("QUIC connection %d stream %d: %s", self.id, stream_id, exc)
        if flush:
            self.transmit()

    def _request(self, stream: _Stream) -> EchoRequest:
        pseudo: list[tuple[str, str]] = []
        headers: list[tuple[str, str]] = []
        for n, v in stream.headers:
            name = n.decode("latin-1")
            (pseudo if name.startswith(":") else headers).append((name, v.decode("latin-1")))
        p = dict(pseudo)
        info, tls, keep = self._facts(stream.early)
        return EchoRequest(
            method=p.get(":method", ""),
            target=p.get(":path", ""),
            http_version="HTTP/3",
            headers=headers,
            body=b"".join(stream.body),
            connection=ConnectionInfo(
                self.id,
                self.requests,
                self.client,
                self.listener.port,
                "https",
                tls,
                info,
            ),
            keep_alive=keep,
            pseudo_headers=pseudo,
        )

    def _facts(self, early: bool) -> tuple[QuicInfo, TLSInfo, KeepAliveInfo]:
        """The connection's facts; fixed once the handshake is done, so kept then
        (frozen dataclasses, shared by the connection's requests)."""
        if self._cached is not None and not early:
            return self._cached
        quic = self._quic
        facts = negotiated(quic)
        idle = facts.idle_timeout
        info = QuicInfo(
            connection_id=quic.host_cid.hex(),
            version=facts.version,
            zero_rtt=early,
            resumed=self.resumed or early,  # 0-RTT data implies a resumed session
            idle_timeout=idle,
        )
        # QUIC keeps the connection for any number of streams, until idle.
        found = (
            info,
            TLSInfo("TLSv1.3", _cipher(quic.tls), "h3", None),
            KeepAliveInfo(True, idle, -1),
        )
        if self.handshake_done and not early:
            self._cached = found
        return found


def _cipher(tls: Any) -> str:
    suite = tls.key_schedule.cipher_suite if tls.key_schedule is not None else None
    return suite.name if suite is not None else ""


class H3Listener:
    """The UDP listener: aioquic's server plus the ticket store and idle timeout."""

    def __init__(self, echo: EchoServer, idle_timeout: float) -> None:
        self.echo = echo
        self.idle_timeout = idle_timeout
        self.tickets = TicketStore()
        self.protocols: set[H3EchoProtocol] = set()
        self.server: QuicServer | None = None
        self.batch: BatchingTransport | None = None
        self.port = 0

    def flush(self) -> None:
        if self.batch is not None:
            self.batch.flush()

    def configuration(self, cert_pem: bytes, key_pem: bytes) -> QuicConfiguration:
        from cryptography import x509
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        config = QuicConfiguration(
            is_client=False,
            alpn_protocols=H3_ALPN,
            idle_timeout=self.idle_timeout,
            max_datagram_frame_size=None,
        )
        config.certificate = x509.load_pem_x509_certificate(cert_pem)
        config.private_key = load_pem_private_key(key_pem, None)
        return config

    async def start(self, host: str, port: int, cert_pem: bytes, key_pem: bytes) -> None:
        def protocol(*args: Any, **kw: Any) -> H3EchoProtocol:
            return H3EchoProtocol(*args, echo=self.echo, listener=self, **kw)

        self.server = await serve(
            host,
            port,
            configuration=self.configuration(cert_pem, key_pem),
            create_protocol=protocol,
            session_ticket_fetcher=self.tickets.pop,
            session_ticket_handler=self.tickets.add,
        )
        self.port = server_socket_port(self.server)
        self.batch = BatchingTransport(server_transport(self.server))

    def close(self) -> None:
        for proto in list(self.protocols):
            proto.close()
        if self.batch is not None:
            self.batch.close()
            self.batch = None
        if self.server is not None:
            self.server.close()
            self.server = None


async def start_listener(echo: EchoServer, port: int) -> H3Listener:
    """Listen for QUIC on ``port`` (UDP) with the TLS listener's certificate."""
    o = echo.options
    if o.tls_cert:
        with open(o.tls_cert, "rb") as f:
            cert_pem = f.read()
        with open(o.tls_key or o.tls_cert, "rb") as f:
            key_pem = f.read()
    else:
        from reqlab.echo.tls import self_signed_pem

        cert_pem, key_pem = self_signed_pem()
    listener = H3Listener(echo, o.h3_idle_timeout)
    try:
        await listener.start(o.host, port, cert_pem, key_pem)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror or str(exc), f"{o.host} UDP port {port}") from None
    return listener
