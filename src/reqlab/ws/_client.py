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
from collections.abc import AsyncIterator, Sequence
from time import perf_counter
from urllib.parse import urlsplit

from reqlab.client import Opened, open_connection
from reqlab.errors import InvalidRequest, RemoteProtocolError, RequestTimeout
from reqlab.protocol import ws_handshake as hs
from reqlab.protocol.ws import (
    DEFAULT_MAX_SIZE,
    NORMAL,
    Closed,
    WSConnection,
)
from reqlab.ws._conn import WebSocketClosed, _WSProtocol
from reqlab.ws._h2 import H2Carrier
from reqlab.ws._record import CloseRecord, WSRecord

Header = tuple[str, str]
KEEPALIVE_FAILED = 1011  # "internal error", as the websockets library closes on a ping timeout


class WebSocket:
    """An open WebSocket.  Use ``async with``; ``async for`` reads messages."""

    def __init__(self, proto: _WSProtocol) -> None:
        self._p = proto
        self.record = proto.record
        self._keepalive: asyncio.Task[None] | None = None

    def keep_alive(self, interval: float, timeout: float | None = None) -> None:
        """Ping every ``interval`` s; no pong within ``timeout`` s (default: ``interval``)
        closes the connection with 1011 "keepalive ping timeout"."""
        loop = asyncio.get_running_loop()
        self._keepalive = loop.create_task(self._keep_alive(interval, timeout or interval))

    async def _keep_alive(self, interval: float, timeout: float) -> None:
        n = 0
        while True:
            await asyncio.sleep(interval)
            n += 1
            try:
                await self.ping(n.to_bytes(4, "big"), timeout=timeout)
            except RequestTimeout:
                await self.close(KEEPALIVE_FAILED, "keepalive ping timeout", timeout=timeout)
                return
            except WebSocketClosed:
                return

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
            try:
                await p.news(timeout)
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
        task = self._keepalive
        if task is not None and task is not asyncio.current_task():
            task.cancel()
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
            with contextlib.suppress(TimeoutError):
                await p.news(left)
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
    ping_interval: float | None = None,
    ping_timeout: float | None = None,
) -> WebSocket:
    """Open a WebSocket to ``url``; every phase of the handshake is timed in ``.record``.

    ``http2``: an RFC 8441 extended CONNECT on an HTTP/2 connection (h2 by
    ALPN for wss://, prior knowledge for ws://) instead of an HTTP/1.1 upgrade.
    ``ping_interval``: keep the connection alive with pings (see
    :meth:`WebSocket.keep_alive`).
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
    websocket = WebSocket(proto)
    if ping_interval:
        websocket.keep_alive(ping_interval, ping_timeout)
    return websocket


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
