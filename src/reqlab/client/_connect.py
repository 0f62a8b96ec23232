"""Opening a connection: DNS, TCP connect, TLS handshake, each timed.

Low-level errors become :mod:`reqlab.errors` here, at the boundary, with a
message that says what failed and where.  TLS certificate failures name the
reason in the words a user searches for: expired, wrong host, unknown CA.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from time import perf_counter
from typing import Any

from reqlab.client._proxy import Proxy, handshake
from reqlab.client._record import TLSInfo
from reqlab.errors import (
    ClientCertError,
    ConnectError,
    NameResolutionError,
    ProxyError,
    RequestTimeout,
    TLSError,
)


@dataclass(slots=True)
class Opened:
    transport: asyncio.Transport
    sock: socket.socket
    dns: float  # ms
    connect: float
    tls: float
    local: str
    remote: str
    tls_info: TLSInfo | None
    alpn: str | None
    buffered: bytes  # bytes that arrived before the protocol was chosen
    tunnel: float = 0.0  # ms: CONNECT or the SOCKS5 handshake, through a proxy
    proxy: str | None = None


class _Holding(asyncio.Protocol):
    """Holds a fresh connection until ALPN says which protocol takes it."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.closed = False

    def data_received(self, data: bytes) -> None:
        self.buffer += data

    def eof_received(self) -> bool:
        self.closed = True
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True


CertTypes = str | tuple[str, str] | tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class TLSConfig:
    """A client's TLS settings beyond ``verify``: CA bundle, its own
    certificate (mTLS), or a whole :class:`ssl.SSLContext` of the user's."""

    cafile: str | None = None
    cert: CertTypes | None = None
    context: ssl.SSLContext | None = None


def ssl_context(verify: bool, config: TLSConfig, alpn: tuple[str, ...]) -> ssl.SSLContext:
    if config.context is not None:  # the user's own: only ALPN is ours to set
        if alpn:
            config.context.set_alpn_protocols(list(alpn))
        return config.context
    return _context(verify, config.cafile, config.cert, alpn)


@lru_cache(maxsize=32)
def _context(
    verify: bool, cafile: str | None, cert: CertTypes | None, alpn: tuple[str, ...]
) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=cafile)
    if not verify:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    if alpn:
        ctx.set_alpn_protocols(list(alpn))
    if cert is not None:
        load_cert(ctx, cert)
    return ctx


def load_cert(ctx: ssl.SSLContext, cert: CertTypes) -> None:
    """Load the client certificate; a failure names the file at fault."""
    if isinstance(cert, str):
        certfile, keyfile, password = cert, None, None
    else:
        certfile, keyfile = cert[0], cert[1]
        password = cert[2] if len(cert) > 2 else None
    for path in (certfile, keyfile):
        if path is not None and not os.path.isfile(path):
            raise ClientCertError(path, "no such file")
    try:
        ctx.load_cert_chain(certfile, keyfile, password)
    except ssl.SSLError as exc:
        text = str(exc)
        if "KEY_VALUES_MISMATCH" in text or "key values mismatch" in text:
            raise ClientCertError(
                keyfile or certfile, f"the key does not match the certificate {certfile}"
            ) from None
        where = keyfile or certfile
        if "PEM" in text or "bad decrypt" in text or "BAD_DECRYPT" in text:
            raise ClientCertError(
                where, "not a readable private key (or a wrong password)"
            ) from None
        raise ClientCertError(where, exc.reason or text) from None


def address_text(sockaddr: Any) -> str:
    host, port = sockaddr[0], sockaddr[1]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def tls_reason(exc: ssl.SSLCertVerificationError) -> str:
    code = getattr(exc, "verify_code", None)
    message = getattr(exc, "verify_message", "") or str(exc)
    if code == 10 or "expired" in message:
        return f"certificate expired ({message})"
    if code == 62 or "hostname mismatch" in message.lower() or "IP address mismatch" in message:
        return f"wrong host: {message}"
    if code in (18, 19, 20, 21) or "issuer" in message or "self-signed" in message:
        return f"unknown CA: {message}"
    return message


def _name(parts: Any) -> str | None:
    if not parts:
        return None
    return ", ".join(f"{k}={v}" for rdn in parts for k, v in rdn)


def describe_tls(sslobj: ssl.SSLObject | ssl.SSLSocket, verified: bool, sni: str) -> TLSInfo:
    cipher = sslobj.cipher()
    info = TLSInfo(
        version=sslobj.version(),
        cipher=cipher[0] if cipher else None,
        alpn=sslobj.selected_alpn_protocol(),
        verified=verified,
        server_name=sni,
    )
    cert = sslobj.getpeercert() if verified else None
    if cert:
        info.peer_subject = _name(cert.get("subject"))
        info.peer_issuer = _name(cert.get("issuer"))
        not_after = cert.get("notAfter")
        info.peer_not_after = not_after if isinstance(not_after, str) else None
    else:
        _fill_from_der(info, sslobj.getpeercert(binary_form=True))
    return info


def _fill_from_der(info: TLSInfo, der: bytes | None) -> None:
    """Unverified peers: decode the certificate with cryptography if present."""
    if not der:
        return
    try:
        from cryptography import x509
    except ImportError:  # pragma: no cover - cryptography comes with trustme
        return
    cert = x509.load_der_x509_certificate(der)
    info.peer_subject = cert.subject.rfc4514_string()
    info.peer_issuer = cert.issuer.rfc4514_string()
    info.peer_not_after = cert.not_valid_after_utc.strftime("%b %d %H:%M:%S %Y GMT")


def connect_failed(host: str, port: int, last: OSError | None) -> ConnectError:
    reason = (os.strerror(last.errno) if last and last.errno else str(last or "no address")).lower()
    return ConnectError(f"cannot connect to {host}:{port}: {reason}")


def tls_failed(host: str, port: int, exc: OSError) -> TLSError:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return TLSError(f"TLS certificate of {host}:{port} rejected: {tls_reason(exc)}")
    reason = getattr(exc, "reason", None) or exc.strerror or str(exc)
    return TLSError(f"TLS handshake with {host}:{port} failed: {reason}")


async def _phase(coro: Any, phase: str, timeout: float | None) -> Any:
    if timeout is None:
        return await coro
    try:
        # wait_for, not asyncio.timeout: the sync client steps coroutines without a Task
        return await asyncio.wait_for(coro, timeout)
    except TimeoutError:
        raise RequestTimeout(phase, timeout) from None


def literal_address(host: str, port: int) -> list[Any] | None:
    """An IP address needs no resolver (asyncio's runs in a thread: ~100 us)."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None
    if address.version == 4:
        return [(socket.AF_INET, socket.SOCK_STREAM, 0, "", (str(address), port))]
    return [(socket.AF_INET6, socket.SOCK_STREAM, 0, "", (str(address), port, 0, 0))]


async def open_connection(
    host: str,
    port: int,
    *,
    tls: bool,
    verify: bool = True,
    cafile: str | None = None,
    alpn: tuple[str, ...] = (),
    timeout: float | None = None,
    tls_config: TLSConfig | None = None,
    proxy: Proxy | None = None,
    tunnel: bool = False,
) -> Opened:
    """Resolve, connect and (for https) handshake, timing each phase.

    ``cafile`` is a shorthand for ``tls_config=TLSConfig(cafile=...)``."""
    if tls_config is None:
        tls_config = TLSConfig(cafile=cafile)
    loop = asyncio.get_running_loop()
    t0 = perf_counter()
    dial_host, dial_port = (proxy.host, proxy.port) if proxy else (host, port)
    infos = literal_address(dial_host, dial_port)
    if infos is None:
        try:
            infos = await _phase(
                loop.getaddrinfo(dial_host, dial_port, type=socket.SOCK_STREAM), "dns", timeout
            )
        except socket.gaierror as exc:
            error = NameResolutionError(f"cannot resolve host {dial_host!r}: {exc.strerror}")
            raise (ProxyError(proxy.name, str(error)) if proxy else error) from None
    t1 = perf_counter()
    sock = None
    last: OSError | None = None
    for family, type_, proto, _, sockaddr in infos:
        sock = socket.socket(family, type_, proto)
        sock.setblocking(False)
        try:
            await _phase(loop.sock_connect(sock, sockaddr), "connect", timeout)
            break
        except OSError as exc:
            sock.close()
            sock, last = None, exc
        except BaseException:
            sock.close()
            raise
    if sock is None:
        failed = connect_failed(dial_host, dial_port, last)
        raise ProxyError(proxy.name, str(failed)) if proxy else failed
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    t2 = perf_counter()
    if proxy is not None and tunnel:
        try:
            await _phase(_tunnel(loop, sock, proxy, host, port), "tunnel", timeout)
        except BaseException:
            sock.close()
            raise
    t_tunnel = perf_counter()
    ctx = ssl_context(verify, tls_config, alpn) if tls else None
    try:
        transport, holder = await _phase(
            loop.create_connection(
                _Holding,
                sock=sock,
                ssl=ctx,
                server_hostname=host if tls else None,
                ssl_handshake_timeout=timeout if tls else None,
            ),
            "tls" if tls else "connect",
            timeout,
        )
    except (ssl.SSLError, ConnectionError) as exc:
        sock.close()
        raise tls_failed(host, port, exc) from None
    except BaseException:
        sock.close()
        raise
    t3 = perf_counter()
    tls_info = None
    alpn_result = None
    if tls:
        sslobj = transport.get_extra_info("ssl_object")
        tls_info = describe_tls(sslobj, verify, host)
        alpn_result = tls_info.alpn
    return Opened(
        transport=transport,
        sock=sock,
        dns=(t1 - t0) * 1000,
        connect=(t2 - t1) * 1000,
        tls=(t3 - t_tunnel) * 1000 if tls else 0.0,
        local=address_text(sock.getsockname()),
        remote=address_text(sock.getpeername()),
        tls_info=tls_info,
        alpn=alpn_result,
        buffered=bytes(holder.buffer),
        tunnel=(t_tunnel - t2) * 1000 if proxy is not None and tunnel else 0.0,
        proxy=proxy.name if proxy else None,
    )


async def _tunnel(
    loop: asyncio.AbstractEventLoop, sock: socket.socket, proxy: Proxy, host: str, port: int
) -> None:
    """Drive the proxy handshake on the connected non-blocking socket."""
    steps = handshake(proxy, host, port)
    out = next(steps)
    while True:
        if out:
            await loop.sock_sendall(sock, out)
        try:
            data = await loop.sock_recv(sock, 65536)
        except ConnectionError:
            data = b""
        try:
            out = steps.send(data)
        except StopIteration:
            return


def hand_over(opened: Opened, protocol: asyncio.Protocol, feed: Callable[[bytes], None]) -> None:
    """Give the connection to the protocol that will speak on it."""
    opened.transport.set_protocol(protocol)
    protocol.connection_made(opened.transport)
    if opened.buffered:
        feed(opened.buffered)
