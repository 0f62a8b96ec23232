"""The blocking WebSocket client: the same sans-IO core as the async one, on a plain socket.

    from reqlab.ws import connect_sync

    with connect_sync("ws://127.0.0.1:8081/ws?reflect=0") as ws:
        ws.send("hello")
        print(ws.recv(timeout=5))

No event loop: the handshake (:mod:`reqlab.protocol.ws_handshake`) and the
frames (:class:`reqlab.protocol.ws.WSConnection`) are driven with
``socket.recv``/``sendall``, and the record is the async client's (timings,
every frame, who closed).  HTTP/1.1 upgrades only (``http2`` is the async
client's).
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import ssl
from collections import deque
from collections.abc import Iterator, Sequence
from time import perf_counter

from reqlab.client import TLSInfo
from reqlab.errors import (
    ConnectError,
    NameResolutionError,
    RemoteProtocolError,
    RequestTimeout,
    TLSError,
)
from reqlab.protocol import ws_handshake as hs
from reqlab.protocol.ws import DEFAULT_MAX_SIZE, NORMAL, Closed, Message, PongReceived, WSConnection
from reqlab.ws._client import _target, basic_auth
from reqlab.ws._conn import _WHO, WebSocketClosed
from reqlab.ws._record import CloseRecord, Recorder, WSRecord

Header = tuple[str, str]


class SyncWebSocket:
    """An open WebSocket on a blocking socket.  Use ``with``; iterating reads messages."""

    def __init__(self, sock: socket.socket, conn: WSConnection, record: WSRecord) -> None:
        self.sock = sock
        self.conn = conn
        self.record = record
        self.recorder = Recorder(record)
        self.messages: deque[str | bytes] = deque()
        self.pongs: list[bytes] = []

    @property
    def subprotocol(self) -> str | None:
        return self.record.subprotocol

    @property
    def closed(self) -> CloseRecord | None:
        return self.record.close

    def send(self, data: str | bytes) -> None:
        if not self.conn.open:
            raise self._closed_error()
        self.conn.send(data)
        self.recorder.message("out", data)
        self._flush()

    def recv(self, timeout: float | None = None) -> str | bytes:
        """The next message; WebSocketClosed once closed, RequestTimeout after ``timeout`` s."""
        while not self.messages:
            if self.record.close is not None:
                raise self._closed_error()
            self._read(timeout, "websocket receive")
        return self.messages.popleft()

    def ping(self, payload: bytes = b"", timeout: float | None = None) -> float:
        """Ping and wait for the pong (messages arriving meanwhile are kept); the RTT in ms."""
        if not self.conn.open:
            raise self._closed_error()
        t0 = perf_counter()
        self.conn.ping(payload)
        self._flush()
        while payload not in self.pongs:
            if self.record.close is not None:
                raise self._closed_error()
            self._read(timeout, "websocket ping")
        self.pongs.remove(payload)
        return (perf_counter() - t0) * 1000

    def close(self, code: int = NORMAL, reason: str = "", timeout: float = 5.0) -> None:
        """The closing handshake: our Close, the server's answer awaited up to ``timeout`` s."""
        if self.conn.open:
            self.conn.close(code, reason)
            self._flush()
            self._note(Closed(code, reason, "local"))
        try:
            while not self.conn.handshake_done:
                self._read(timeout, "websocket close")
        except (RequestTimeout, OSError):
            pass
        finally:
            self.sock.close()

    def __enter__(self) -> SyncWebSocket:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[str | bytes]:
        while True:
            try:
                yield self.recv()
            except WebSocketClosed:
                return

    # -- internals ----------------------------------------------------------
    def _read(self, timeout: float | None, phase: str) -> None:
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(65536)
        except TimeoutError:
            raise RequestTimeout(phase, timeout) from None
        except OSError:
            data = b""
        self.feed(data)

    def feed(self, data: bytes) -> None:
        for ev in self.conn.receive(data):
            if type(ev) is Message:
                self.messages.append(ev.data)
                self.recorder.message("in", ev.data)
            elif type(ev) is PongReceived:
                self.pongs.append(ev.payload)
            elif type(ev) is Closed:
                self._note(ev)
        self._flush()
        if self.conn.handshake_done:
            self.sock.close()

    def _note(self, ev: Closed) -> None:
        if self.record.close is None:
            self.record.close = CloseRecord(ev.code, ev.reason, _WHO[ev.by])

    def _flush(self) -> None:
        out = self.conn.data_to_send()
        if out and self.sock.fileno() != -1:
            with contextlib.suppress(OSError):  # the peer is gone; the next read says so
                self.sock.sendall(out)
        self.recorder.stamp(self.conn.frames)

    def _closed_error(self) -> WebSocketClosed:
        return WebSocketClosed(
            self.record.close or CloseRecord(1006, "connection lost", "transport")
        )


def _addr(sockaddr: tuple[str, int] | tuple[str, int, int, int]) -> str:
    host, port = sockaddr[0], sockaddr[1]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _open(host: str, port: int, timeout: float | None, record: WSRecord) -> socket.socket:
    t0 = perf_counter()
    try:
        ipaddress.ip_address(host)
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise NameResolutionError(f"cannot resolve host {host!r}: {exc.strerror}") from None
    t1 = perf_counter()
    record.timings.dns = (t1 - t0) * 1000
    last: OSError | None = None
    for family, kind, proto, _, addr in infos:
        sock = socket.socket(family, kind, proto)
        sock.settimeout(timeout)
        try:
            sock.connect(addr)
        except TimeoutError:
            sock.close()
            raise RequestTimeout("connect", timeout) from None
        except OSError as exc:
            sock.close()
            last = exc
            continue
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        record.timings.connect = (perf_counter() - t1) * 1000
        record.local = _addr(sock.getsockname())
        record.remote = _addr(sock.getpeername())
        return sock
    reason = (last.strerror or str(last)).lower() if last else "no address"
    raise ConnectError(f"cannot connect to {host}:{port}: {reason}")


def _tls(
    sock: socket.socket, host: str, verify: bool, cafile: str | None, record: WSRecord
) -> ssl.SSLSocket:
    t0 = perf_counter()
    ctx = ssl.create_default_context(cafile=cafile)
    if not verify:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    ctx.set_alpn_protocols(["http/1.1"])
    try:
        tls = ctx.wrap_socket(sock, server_hostname=host)
    except ssl.SSLCertVerificationError as exc:
        sock.close()
        raise TLSError(f"TLS certificate of {host} rejected: {exc.verify_message}") from None
    except (ssl.SSLError, OSError) as exc:
        sock.close()
        raise TLSError(f"TLS handshake with {host} failed: {exc}") from None
    record.timings.tls = (perf_counter() - t0) * 1000
    cipher = tls.cipher()
    record.tls = TLSInfo(
        tls.version(), cipher[0] if cipher else None, tls.selected_alpn_protocol(), verify, host
    )
    return tls


def connect_sync(
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
) -> SyncWebSocket:
    """Open a WebSocket to ``url`` and return it open (arguments as :func:`reqlab.ws.connect`)."""
    host, port, tls, target, host_header = _target(url)
    offer = hs.offer(subprotocols, deflate=deflate)
    sent = offer.headers + list(headers)
    if auth is not None:
        sent.append(basic_auth(*auth))
    if bearer is not None:
        sent.append(("Authorization", f"Bearer {bearer}"))
    record = WSRecord(url, [("Host", host_header), *sent])
    sock: socket.socket = _open(host, port, timeout, record)
    try:
        if tls:
            sock = _tls(sock, host, verify, cafile, record)
        t0 = perf_counter()
        sock.sendall(hs.request_head(target, host_header, sent))
        buf = b""
        while (parsed := hs.parse_response_head(buf)) is None:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                raise RequestTimeout(
                    "websocket upgrade (no 101 from the server)", timeout
                ) from None
            if not chunk:
                raise hs.HandshakeError("the server closed the connection")
            buf += chunk
        head, rest = parsed
        record.timings.upgrade = (perf_counter() - t0) * 1000
        record.status, record.response_headers = head.status, head.headers
        accepted = hs.check_answer(offer, head.status, head.headers)
    except hs.HandshakeError as exc:
        sock.close()
        raise RemoteProtocolError(f"WebSocket handshake with {url}: {exc}") from None
    except BaseException:
        sock.close()
        raise
    record.subprotocol = accepted.subprotocol
    record.extensions = [e.name for e in accepted.extensions]
    conn = WSConnection(
        client=True, extensions=accepted.extensions, max_size=max_size, log_frames=True
    )
    ws = SyncWebSocket(sock, conn, record)
    if rest:
        ws.feed(rest)
    return ws
