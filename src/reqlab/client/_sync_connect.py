"""Opening a blocking connection: DNS, TCP connect, TLS handshake, each timed.

The sync engine's twin of :func:`reqlab.client.open_connection`; the TLS
context, the certificate description and the error wording are the same
functions (``_connect``), so both engines say the same thing.
"""

from __future__ import annotations

import socket
from time import perf_counter
from typing import TYPE_CHECKING, Any

from reqlab._records import record
from reqlab.client._address import address_text, connect_failed, literal_address
from reqlab.client._dial import IP_VERSION, NO_DIAL, Dial, dial_target, only_family
from reqlab.client._proxy import Proxy, handshake
from reqlab.client._record import TLSInfo
from reqlab.client._tls import TLSConfig, describe_tls, ssl_context, tls_failed
from reqlab.errors import ConnectError, NameResolutionError, ProxyError, RequestTimeout

if TYPE_CHECKING:
    import ssl


@record(slots=True)
class SyncOpened:
    sock: socket.socket  # an ssl.SSLSocket for https
    dns: float  # ms
    connect: float
    tls: float
    local: str
    remote: str
    tls_info: TLSInfo | None
    alpn: str | None
    tunnel: float = 0.0  # ms: CONNECT or the SOCKS5 handshake, through a proxy
    proxy: str | None = None


def resolve(host: str, port: int, kind: socket.SocketKind, timeout: float | None) -> list[Any]:
    """``getaddrinfo``, cut at ``timeout`` as the async engine cuts it.

    The C call cannot be interrupted (a resolver that gets no answer waits
    out resolv.conf's timeouts, 5 s a try), so with a timeout it runs in a
    daemon thread that is left to finish on its own, as curl's threaded
    resolver does."""
    if timeout is None:
        return socket.getaddrinfo(host, port, type=kind)
    import threading  # loaded already by the command line (click); not by every user

    answer: list[Any] = []
    done = threading.Event()

    def lookup() -> None:
        try:
            answer.append(socket.getaddrinfo(host, port, type=kind))
        except BaseException as exc:  # handed to the caller below
            answer.append(exc)
        finally:
            done.set()

    threading.Thread(target=lookup, name="reqlab-dns", daemon=True).start()
    if not done.wait(timeout):
        raise RequestTimeout("dns", timeout)
    if isinstance(answer[0], BaseException):
        raise answer[0]
    return answer[0]  # type: ignore[no-any-return]


def open_blocking(
    host: str,
    port: int,
    *,
    tls: bool,
    verify: bool = True,
    tls_config: TLSConfig | None = None,
    alpn: tuple[str, ...] = (),
    timeout: float | None = None,
    proxy: Proxy | None = None,
    tunnel: bool = False,
    dial: Dial = NO_DIAL,
) -> SyncOpened:
    """Resolve, connect and (for https) handshake, timing each phase.

    Through a ``proxy``, dns and connect are the proxy's, ``tunnel`` times
    the CONNECT or SOCKS5 handshake, and TLS runs inside the tunnel."""
    t0 = perf_counter()
    if proxy is not None:  # the proxy dials the target
        dial_host, dial_port = proxy.host, proxy.port
        infos = literal_address(dial_host, dial_port)
    else:
        dial_host, dial_port, infos = dial_target(dial, host, port, socket.SOCK_STREAM)
    if infos is None:
        try:
            infos = resolve(dial_host, dial_port, socket.SOCK_STREAM, timeout)
        except socket.gaierror as exc:
            error = NameResolutionError(f"cannot resolve host {dial_host!r}: {exc.strerror}")
            raise (ProxyError(proxy.name, str(error)) if proxy else error) from None
        infos = only_family(infos, dial.family if proxy is None else 0)
    if not infos:  # -4 or -6, and the name has no address of that family
        raise NameResolutionError(f"host {dial_host!r} has no IPv{IP_VERSION[dial.family]} address")
    t1 = perf_counter()
    try:
        sock = _connect(dial_host, dial_port, infos, timeout)
    except ConnectError as exc:
        raise (ProxyError(proxy.name, str(exc)) if proxy else exc) from None
    t2 = perf_counter()
    if proxy is not None and tunnel:
        _tunnel(sock, proxy, host, port, timeout)
    t_tunnel = perf_counter()
    tls_info = None
    if tls:
        tls_sock = _handshake(
            sock, host, port, ssl_context(verify, tls_config or TLSConfig(), alpn), timeout
        )
        sock, tls_info = tls_sock, describe_tls(tls_sock, verify, host)
    t3 = perf_counter()
    return SyncOpened(
        sock=sock,
        dns=(t1 - t0) * 1000,
        connect=(t2 - t1) * 1000,
        tls=(t3 - t_tunnel) * 1000 if tls else 0.0,
        local=address_text(sock.getsockname()),
        remote=address_text(sock.getpeername()),
        tls_info=tls_info,
        alpn=tls_info.alpn if tls_info else None,
        tunnel=(t_tunnel - t2) * 1000 if proxy is not None and tunnel else 0.0,
        proxy=proxy.name if proxy else None,
    )


def _tunnel(sock: socket.socket, proxy: Proxy, host: str, port: int, timeout: float | None) -> None:
    """Drive the proxy handshake on a blocking socket."""
    steps = handshake(proxy, host, port)
    try:
        out = next(steps)
        while True:
            if out:
                sock.sendall(out)
            try:
                data = sock.recv(65536)
            except ConnectionError:
                data = b""
            out = steps.send(data)
    except StopIteration:
        return
    except TimeoutError:
        sock.close()
        raise RequestTimeout("tunnel", timeout) from None
    except BaseException:
        sock.close()
        raise


def _connect(host: str, port: int, infos: list[Any], timeout: float | None) -> socket.socket:
    last: OSError | None = None
    for family, type_, proto, _, sockaddr in infos:
        sock = socket.socket(family, type_, proto)
        sock.settimeout(timeout)
        try:
            sock.connect(sockaddr)
        except TimeoutError:
            sock.close()
            raise RequestTimeout("connect", timeout) from None
        except OSError as exc:
            sock.close()
            last = exc
            continue
        except BaseException:
            sock.close()
            raise
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock
    raise connect_failed(host, port, last)


def _handshake(
    sock: socket.socket, host: str, port: int, ctx: ssl.SSLContext, timeout: float | None
) -> ssl.SSLSocket:
    import ssl  # here: a plain-http client never loads it

    try:
        tls_sock = ctx.wrap_socket(sock, server_hostname=host, do_handshake_on_connect=False)
        tls_sock.do_handshake()
    except TimeoutError:
        sock.close()
        raise RequestTimeout("tls", timeout) from None
    except (ssl.SSLError, ConnectionError) as exc:
        sock.close()
        raise tls_failed(host, port, exc) from None
    except BaseException:
        sock.close()
        raise
    return tls_sock
