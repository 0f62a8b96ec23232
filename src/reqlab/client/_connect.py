"""Opening a connection: DNS, TCP connect, TLS handshake, each timed.

Low-level errors become :mod:`reqlab.errors` here, at the boundary, with a
message that says what failed and where.  TLS certificate failures name the
reason in the words a user searches for: expired, wrong host, unknown CA.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from time import perf_counter
from typing import Any

from reqlab.client._address import address_text, connect_failed, literal_address
from reqlab.client._dial import IP_VERSION, NO_DIAL, Dial, dial_target, only_family
from reqlab.client._proxy import Proxy, handshake
from reqlab.client._record import TLSInfo
from reqlab.client._tls import (
    TLSConfig,
    describe_tls,
    ssl_context,
    tls_failed,
)
from reqlab.errors import (
    NameResolutionError,
    ProxyError,
    RequestTimeout,
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


async def _phase(coro: Any, phase: str, timeout: float | None) -> Any:
    if timeout is None:
        return await coro
    try:
        # wait_for, not asyncio.timeout: the sync client steps coroutines without a Task
        return await asyncio.wait_for(coro, timeout)
    except TimeoutError:
        raise RequestTimeout(phase, timeout) from None


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
    dial: Dial = NO_DIAL,
) -> Opened:
    """Resolve, connect and (for https) handshake, timing each phase.

    ``cafile`` is a shorthand for ``tls_config=TLSConfig(cafile=...)``."""
    if tls_config is None:
        tls_config = TLSConfig(cafile=cafile)
    loop = asyncio.get_running_loop()
    t0 = perf_counter()
    if proxy is not None:  # the proxy dials the target
        dial_host, dial_port = proxy.host, proxy.port
        infos = literal_address(dial_host, dial_port)
    else:
        dial_host, dial_port, infos = dial_target(dial, host, port, socket.SOCK_STREAM)
    if infos is None:
        try:
            infos = await _phase(
                loop.getaddrinfo(dial_host, dial_port, type=socket.SOCK_STREAM), "dns", timeout
            )
        except socket.gaierror as exc:
            error = NameResolutionError(f"cannot resolve host {dial_host!r}: {exc.strerror}")
            raise (ProxyError(proxy.name, str(error)) if proxy else error) from None
        infos = only_family(infos, dial.family if proxy is None else 0)
    if not infos:  # -4 or -6, and the name has no address of that family
        raise NameResolutionError(f"host {dial_host!r} has no IPv{IP_VERSION[dial.family]} address")
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
