"""The WebSocket client: handshake over reqlab's timed connector, then frames.

Theory of operation
-------------------
:func:`connect` opens the connection with :func:`reqlab.client.open_connection`
(DNS, TCP, TLS, each timed), writes the upgrade request
(:mod:`reqlab.protocol.ws_handshake` builds and checks it) and waits for the
101 within ``timeout`` seconds: a server that never answers the upgrade is a
:class:`~reqlab.errors.RequestTimeout` in the phase "websocket upgrade".
From then on :class:`_WSProtocol` feeds bytes to
:class:`reqlab.protocol.ws.WSConnection`, queues whole messages for
:meth:`WebSocket.recv` and stamps every frame into the record as it passes.

A close from either side ends ``recv`` with :class:`WebSocketClosed`, which
carries the code, the reason and who closed first.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
from collections import deque
from collections.abc import AsyncIterator, Sequence
from time import perf_counter
from urllib.parse import urlsplit

from reqlab.client import Opened, open_connection
from reqlab.errors import InvalidRequest, RemoteProtocolError, RequestTimeout, TransportError
from reqlab.protocol import ws_handshake as hs
from reqlab.protocol.ws import (
    DEFAULT_MAX_SIZE,
    NORMAL,
    Closed,
    Message,
    PongReceived,
    WSConnection,
)
from reqlab.ws._h2 import H2Carrier
from reqlab.ws._record import CloseRecord, Recorder, WSRecord

Header = tuple[str, str]
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
        self.waiter: asyncio.Future[None] | None = None
        self.pongs: list[tuple[bytes, asyncio.Future[None]]] = []
        self.recorder = Recorder(record)
        self.gone = asyncio.Event()  # the connection is closed (TLS shutdown included)

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
        if rest:
            self.data_received(rest)

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
        assert self.ws is not None
        if self.ws.handshake_done and self.transport is not None:
            self.flush()
            self.transport.close()  # RFC 6455 7.1.1: the server closes first; we need not wait

    def _ended(self) -> None:
        if self.head is not None and not self.head.done():
            self.head.set_exception(
                RemoteProtocolError("WebSocket handshake: the server closed the connection")
            )
        if self.ws is not None:
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
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    def closed_error(self) -> WebSocketClosed:
        close = self.record.close or CloseRecord(1006, "connection lost", "transport")
        return WebSocketClosed(close)


class WebSocket:
    """An open WebSocket.  Use ``async with``; ``async for`` reads messages."""

    def __init__(self, proto: _WSProtocol) -> None:
        self._p = proto
        self.record = proto.record

    @property
    def subprotocol(self) -> str | None:
        return self.record.subprotocol

    @property
    def closed(self) -> CloseRecord | None:
        return self.record.close

    async def send(self, data: str | bytes) -> None:
        """Send a text (str) or binary (bytes) message."""
        p = self._p
        assert p.ws is not None
        if not p.ws.open:
            raise p.closed_error()
        p.ws.send(data)
        p.recorder.message("out", data)
        p.flush()

    async def recv(self, timeout: float | None = None) -> str | bytes:
        """The next message; WebSocketClosed once the connection is closed."""
        p = self._p
        while not p.messages:
            if p.record.close is not None or p.transport is None or p.transport.is_closing():
                raise p.closed_error()
            p.waiter = asyncio.get_running_loop().create_future()
            try:
                await asyncio.wait_for(p.waiter, timeout)
            except TimeoutError:
                raise RequestTimeout("websocket receive", timeout) from None
        return p.messages.popleft()

    async def ping(self, payload: bytes = b"", timeout: float | None = None) -> float:
        """Ping and wait for the pong; the round trip in ms."""
        p = self._p
        assert p.ws is not None
        if not p.ws.open:
            raise p.closed_error()
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        p.pongs.append((payload, fut))
        t0 = perf_counter()
        p.ws.ping(payload)
        p.flush()
        try:
            await asyncio.wait_for(fut, timeout)
        except TimeoutError:
            raise RequestTimeout("websocket ping", timeout) from None
        return (perf_counter() - t0) * 1000

    async def close(self, code: int = NORMAL, reason: str = "", timeout: float = 5.0) -> None:
        """Close (the closing handshake; the server's Close awaited up to ``timeout``)."""
        p = self._p
        assert p.ws is not None
        if p.ws.open:
            p.ws.close(code, reason)
            p.flush()
            p._closed(Closed(code, reason, "local"))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while p.transport is not None and not p.transport.is_closing():
            left = deadline - loop.time()
            if p.ws.handshake_done or left <= 0:
                p.transport.close()
                break
            p.waiter = loop.create_future()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(p.waiter, left)
        # wait for the close to finish (a TLS shutdown takes a round trip), briefly
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(p.gone.wait(), max(0.0, deadline - loop.time()) or 0.5)

    async def __aenter__(self) -> WebSocket:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def __aiter__(self) -> AsyncIterator[str | bytes]:
        while True:
            try:
                yield await self.recv()
            except WebSocketClosed:
                return


def _target(url: str) -> tuple[str, int, bool, str, str]:
    """(host, port, tls, request target, Host header) of a ws://, wss://, http(s):// URL."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("ws", "wss", "http", "https"):
        raise InvalidRequest("url", f"a WebSocket URL starts with ws:// or wss://, not {url!r}")
    tls = scheme in ("wss", "https")
    host = parts.hostname
    if not host:
        raise InvalidRequest("url", f"no host in {url!r}")
    try:
        port = parts.port or (443 if tls else 80)
    except ValueError:
        raise InvalidRequest("url", f"bad port in {url!r}") from None
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    shown = f"[{host}]" if ":" in host else host
    host_header = shown if port == (443 if tls else 80) else f"{shown}:{port}"
    return host, port, tls, target, host_header


def basic_auth(user: str, password: str) -> Header:
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return ("Authorization", f"Basic {token}")


async def connect(
    url: str,
    *,
    headers: Sequence[Header] = (),
    subprotocols: Sequence[str] = (),
    auth: tuple[str, str] | None = None,
    bearer: str | None = None,
    deflate: bool = True,
    timeout: float | None = 10.0,
    max_size: int = DEFAULT_MAX_SIZE,
    verify: bool = True,
    cafile: str | None = None,
    http2: bool = False,
) -> WebSocket:
    """Open a WebSocket to ``url``; every phase of the handshake is timed in ``.record``.

    ``http2``: an RFC 8441 extended CONNECT on an HTTP/2 connection (h2 by
    ALPN for wss://, prior knowledge for ws://) instead of an HTTP/1.1 upgrade.
    """
    host, port, tls, target, host_header = _target(url)
    extra = list(headers)
    if auth is not None:
        extra.append(basic_auth(*auth))
    if bearer is not None:
        extra.append(("Authorization", f"Bearer {bearer}"))
    opened = await open_connection(
        host, port, tls=tls, verify=verify, cafile=cafile,
        alpn=("h2",) if http2 else ("http/1.1",), timeout=timeout,
    )  # fmt: skip
    record = WSRecord(url)
    t = record.timings
    t.dns, t.connect, t.tls = opened.dns, opened.connect, opened.tls
    record.local, record.remote, record.tls = opened.local, opened.remote, opened.tls_info
    proto = _WSProtocol(record, max_size)
    try:
        if http2:
            scheme = "https" if tls else "http"
            accepted, rest = await _over_h2(proto, opened, target, host_header, scheme, extra,
                                            subprotocols, deflate, timeout)  # fmt: skip
        else:
            accepted, rest = await _over_h1(proto, opened, target, host_header, extra,
                                            subprotocols, deflate, timeout)  # fmt: skip
    except hs.HandshakeError as exc:
        opened.transport.abort()
        raise RemoteProtocolError(f"WebSocket handshake with {url}: {exc}") from None
    except BaseException:
        opened.transport.abort()
        raise
    record.subprotocol = accepted.subprotocol
    record.extensions = [e.name for e in accepted.extensions]
    ws = WSConnection(
        client=True, extensions=accepted.extensions, max_size=max_size, log_frames=True
    )
    proto.open(ws, rest)
    return WebSocket(proto)


async def _over_h1(
    proto: _WSProtocol,
    opened: Opened,
    target: str,
    host_header: str,
    extra: list[Header],
    subprotocols: Sequence[str],
    deflate: bool,
    timeout: float | None,
) -> tuple[hs.Accepted, bytes]:
    """The HTTP/1.1 upgrade: the request, the 101, its check; the bytes after it."""
    offer = hs.offer(subprotocols, deflate=deflate)
    sent = offer.headers + extra
    record = proto.record
    record.request_headers = [("Host", host_header), *sent]
    proto.head = asyncio.get_running_loop().create_future()
    opened.transport.set_protocol(proto)  # type: ignore[arg-type]
    proto.connection_made(opened.transport)
    t0 = perf_counter()
    opened.transport.write(hs.request_head(target, host_header, sent))
    if opened.buffered:
        proto.data_received(opened.buffered)
    try:
        head, rest = await asyncio.wait_for(proto.head, timeout)
    except TimeoutError:
        raise RequestTimeout("websocket upgrade (no 101 from the server)", timeout) from None
    record.timings.upgrade = (perf_counter() - t0) * 1000
    record.status, record.response_headers = head.status, head.headers
    return hs.check_answer(offer, head.status, head.headers), rest


async def _over_h2(
    proto: _WSProtocol,
    opened: Opened,
    target: str,
    authority: str,
    scheme: str,
    extra: list[Header],
    subprotocols: Sequence[str],
    deflate: bool,
    timeout: float | None,
) -> tuple[hs.Accepted, bytes]:
    """RFC 8441: SETTINGS_ENABLE_CONNECT_PROTOCOL from the server, the CONNECT, its 200."""
    if opened.tls_info is not None and opened.alpn != "h2":
        raise hs.HandshakeError(f"the server did not choose h2 by ALPN ({opened.alpn or 'none'})")
    offer = hs.offer_h2(subprotocols, deflate=deflate)
    carrier = H2Carrier(proto)
    opened.transport.set_protocol(carrier)  # type: ignore[arg-type]
    carrier.connection_made(opened.transport)
    if opened.buffered:
        carrier.data_received(opened.buffered)
    proto.connection_made(carrier)  # type: ignore[arg-type]
    record = proto.record
    record.http_version = "HTTP/2"
    try:
        t0 = perf_counter()
        if not await asyncio.wait_for(carrier.settings, timeout):
            raise hs.HandshakeError("the server does not offer WebSockets over HTTP/2 (RFC 8441)")
        sent = offer.headers + [(n.lower(), v) for n, v in extra]
        record.request_headers = [(":authority", authority), *sent]
        carrier.request(target, authority, scheme, sent)
        status, headers = await asyncio.wait_for(carrier.head, timeout)
    except TimeoutError:
        raise RequestTimeout("websocket extended CONNECT (no answer)", timeout) from None
    except ConnectionError as exc:
        raise RemoteProtocolError(f"WebSocket over HTTP/2: {exc}") from None
    record.timings.upgrade = (perf_counter() - t0) * 1000
    record.status, record.response_headers = status, headers
    accepted = hs.check_answer_h2(offer, status, headers)
    carrier.opened = True
    return accepted, carrier.early
