"""Which proxy a request goes through, and the handshake that opens a tunnel.

``proxy=`` on a client names one (``http://``, ``socks5://``,
``socks5h://``, with ``user:password@`` if it wants credentials); with
``trust_env`` (the default) the environment is read as curl and httpx read
it: ``http_proxy``/``HTTP_PROXY`` for http URLs, ``https_proxy``/
``HTTPS_PROXY`` for https, ``all_proxy``/``ALL_PROXY`` for both, and
``no_proxy``/``NO_PROXY`` (host names, domain suffixes, ``*``) to go direct.

Through an HTTP proxy a plain-HTTP request is forwarded in absolute form;
HTTPS and HTTP/2 go through a CONNECT tunnel.  SOCKS always tunnels;
``socks5`` resolves the target here, ``socks5h`` lets the proxy resolve it.
:func:`handshake` is written once for both engines: a generator that yields
bytes to write and is sent the bytes read, until the tunnel is open.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Generator, Mapping
from urllib.parse import unquote, urlsplit

from reqlab._records import record
from reqlab.errors import InvalidRequest, ProxyError, RemoteProtocolError
from reqlab.model import Header
from reqlab.protocol.socks5 import Socks5Client, SocksError
from reqlab.protocol.tunnel import TunnelReply, basic_credentials, connect_request

SCHEMES = {"http": 8080, "socks5": 1080, "socks5h": 1080}
Handshake = Generator[bytes, bytes, None]


@record(frozen=True, slots=True)
class Proxy:
    scheme: str
    host: str
    port: int
    username: str | None = None
    password: str | None = None

    @property
    def name(self) -> str:
        """The proxy as the record and errors show it: no credentials."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"

    @property
    def socks(self) -> bool:
        return self.scheme != "http"

    def tunnels(self, tls: bool, version: str | None) -> bool:
        """A tunnel for SOCKS, HTTPS and HTTP/2; plain HTTP/1.x is forwarded."""
        return self.socks or tls or version == "HTTP/2"

    def authorization(self) -> Header | None:
        if self.scheme != "http" or self.username is None:
            return None
        return ("Proxy-Authorization", basic_credentials(self.username, self.password or ""))


def parse_proxy(url: str) -> Proxy:
    parts = urlsplit(url if "://" in url else f"http://{url}")
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise InvalidRequest(
            "proxy", f"{parts.scheme}:// proxies are not supported (use http, socks5 or socks5h)"
        )
    if not parts.hostname:
        raise InvalidRequest("proxy", f"no host in {url!r}")
    return Proxy(
        scheme,
        parts.hostname,
        parts.port or SCHEMES[scheme],
        unquote(parts.username) if parts.username is not None else None,
        unquote(parts.password) if parts.password is not None else None,
    )


def _env(environ: Mapping[str, str], name: str) -> str | None:
    return environ.get(name.lower()) or environ.get(name.upper()) or None


def _bypassed(host: str, no_proxy: str | None) -> bool:
    if not no_proxy:
        return False
    host = host.strip("[]").lower()
    for entry in no_proxy.replace(" ", "").split(","):
        entry = entry.lower().rsplit(":", 1)[0] if entry.count(":") == 1 else entry.lower()
        entry = entry.strip("[]")
        if entry == "*" or (
            entry and (host == entry.lstrip(".") or host.endswith("." + entry.lstrip(".")))
        ):
            return True
    return False


class ProxyChoice:
    """The proxy (or none) for each target, fixed when the client is made."""

    def __init__(
        self, proxy: str | None, trust_env: bool, environ: Mapping[str, str] | None = None
    ) -> None:
        self.explicit = parse_proxy(proxy) if proxy else None
        env = (os.environ if environ is None else environ) if trust_env and not proxy else {}
        every = _env(env, "all_proxy")
        by_scheme = {s: _env(env, f"{s}_proxy") or every for s in ("http", "https")}
        self.env = {s: parse_proxy(u) for s, u in by_scheme.items() if u}
        self.no_proxy = _env(env, "no_proxy")

    def __bool__(self) -> bool:
        return self.explicit is not None or bool(self.env)

    def for_target(self, scheme: str, host: str) -> Proxy | None:
        if self.explicit is not None:
            return self.explicit
        proxy = self.env.get(scheme)
        if proxy is None or _bypassed(host, self.no_proxy):
            return None
        return proxy


def handshake(proxy: Proxy, host: str, port: int) -> Handshake:
    """Open a tunnel to host:port: yields bytes to write, is sent what was read."""
    try:
        if proxy.socks:
            yield from _socks(proxy, host, port)
        else:
            yield from _connect(proxy, host, port)
    except SocksError as exc:
        raise ProxyError(proxy.name, f"SOCKS5 handshake for {host}:{port} failed: {exc}") from None
    except RemoteProtocolError as exc:
        raise ProxyError(proxy.name, str(exc)) from None


def _connect(proxy: Proxy, host: str, port: int) -> Handshake:
    auth = proxy.authorization()
    reply = TunnelReply()
    data = yield connect_request(host, port, [auth] if auth else None)
    while not reply.receive(data):
        data = yield b""
    if reply.status == 407:
        wanted = (
            "wrong credentials"
            if auth
            else "it requires credentials (user:password@ in the proxy URL)"
        )
        raise ProxyError(proxy.name, f"407 {reply.reason}: {wanted}", 407)
    if not reply.open:
        raise ProxyError(
            proxy.name,
            f"CONNECT {host}:{port} refused: {reply.status} {reply.reason}",
            reply.status,
        )
    if reply.rest:
        raise ProxyError(
            proxy.name, "bytes after the answer to CONNECT, before the tunnel was used"
        )


def _socks(proxy: Proxy, host: str, port: int) -> Handshake:
    target = host
    if proxy.scheme == "socks5":  # resolve here; socks5h leaves it to the proxy
        try:
            target = str(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][4][0])
        except socket.gaierror as exc:
            raise SocksError(f"cannot resolve {host!r}: {exc.strerror}") from None
    client = Socks5Client(target, port, proxy.username, proxy.password, remote_dns=True)
    data = yield client.start()
    while True:
        out = client.receive(data)
        if client.done:
            return
        data = yield out
