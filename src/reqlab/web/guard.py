"""Which target addresses a ``--public`` instance refuses to connect to.

A shared instance must not become a way into the network it runs in
(server-side request forgery): loopback, private, link-local (which holds
the cloud metadata service at 169.254.169.254), carrier-grade NAT,
multicast, reserved and unspecified addresses are refused, as are the
metadata addresses some clouds put elsewhere.

The check is made on the *address actually connected to*.  The client
engine resolves a name once (``loop.getaddrinfo``, skipped for IP literals)
and connects with ``loop.sock_connect`` to the socket addresses that call
returned; :class:`GuardedEventLoop` checks the addresses both when they are
resolved and when they are connected to, inside :func:`guarding` only (a
context variable scopes it to the page's send).  A name that answers
differently the second time (DNS rebinding) cannot slip through, and
redirects are checked the same way.  The client has no resolver hook of its
own yet; this loop is that hook, kept in the web layer.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from reqlab.errors import ConnectError, NameResolutionError

# Metadata services outside the ranges ``is_global`` already excludes.
METADATA = {
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
    ipaddress.ip_address("fd00:ec2::254"),  # AWS IPv6
}
# Deprecated IPv6 site-local addresses: Python 3.11 calls them global.
SITE_LOCAL = ipaddress.ip_network("fec0::/10")
# NAT64's well-known prefix: the last 32 bits are the IPv4 address reached.
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class BlockedAddress(ConnectError):
    """The target resolves to an address a public instance may not reach."""


def _embedded_v4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (mapped, 6to4, NAT64, Teredo's
    server), which is where a packet may end up: it must pass the same test."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def refusal(address: str) -> str | None:
    """Why ``address`` may not be reached from a public instance, or None."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in SITE_LOCAL:
            return "a site-local address"
        inner = _embedded_v4(ip)
        if inner is not None:
            why = refusal(str(inner))
            return None if why is None else f"{why} (embedded in {ip})"
    if ip in METADATA:
        return "a cloud metadata address"
    for test, label in (
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address (cloud metadata lives here)"),
        ("is_private", "a private address"),
        ("is_multicast", "a multicast address"),
        ("is_unspecified", "an unspecified address"),
        ("is_reserved", "a reserved address"),
    ):
        if getattr(ip, test):
            return label
    if not ip.is_global:
        return "a non-public address"
    return None


@dataclass(frozen=True)
class EchoOrigin:
    """The co-hosted echo server, the one loopback target a public instance
    allows: exactly the origin it announced (scheme, host literal, port) and
    the addresses that host literal stands for - not any service that shares
    the port on another loopback address or name."""

    scheme: str
    host: str  # as in the announced URL, without brackets
    port: int
    addresses: frozenset[str]

    @classmethod
    def of(cls, url: str) -> EchoOrigin:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or 80
        try:
            addresses = {str(ipaddress.ip_address(host))}
        except ValueError:  # bound by name (localhost): what it resolved to at start
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            addresses = {str(info[4][0]) for info in infos}
        return cls(parts.scheme.lower(), host.lower(), port, frozenset(addresses))

    def is_url(self, scheme: str, host: str, port: int) -> bool:
        return (scheme, host.lower(), port) == (self.scheme, self.host, self.port)

    def is_address(self, address: str, port: int | None) -> bool:
        if port != self.port:
            return False
        return str(ipaddress.ip_address(address.split("%", 1)[0])) in self.addresses


def check(host: str, address: str, port: int | None = None, echo: EchoOrigin | None = None) -> None:
    why = refusal(address)
    if why is not None and not (echo is not None and echo.is_address(address, port)):
        raise BlockedAddress(
            f"{host} resolves to {address}, {why}; this public instance refuses it "
            "(start it with --allow-private to allow)"
        )


async def resolve_public(
    host: str, port: int, echo: EchoOrigin | None = None, scheme: str = "http"
) -> list[str]:
    """Resolve ``host`` once and return its addresses, all checked.

    Raises :class:`BlockedAddress` if any address is refused (a name that
    mixes public and private answers is refused as a whole).  The echo
    server passes only when the URL names exactly its announced origin.
    """
    host = host.strip("[]")
    if echo is not None and not echo.is_url(scheme, host, port):
        echo = None
    try:
        ipaddress.ip_address(host)
        addresses = [host]
    except ValueError:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise NameResolutionError(f"cannot resolve {host}: {exc.strerror}") from None
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    for address in addresses:
        check(host, address, port, echo)
    return addresses


class _Guard:
    """Marks a guarded send; ``echo`` is the one loopback origin still allowed."""

    def __init__(self, echo: EchoOrigin | None) -> None:
        self.echo = echo


_GUARDING: ContextVar[_Guard | None] = ContextVar("reqlab_web_guarding", default=None)


@contextlib.contextmanager
def guarding(echo: EchoOrigin | None = None) -> Iterator[None]:
    """Within this block, every name this task resolves is checked."""
    token = _GUARDING.set(_Guard(echo))
    try:
        yield
    finally:
        _GUARDING.reset(token)


def loop_guards() -> bool:
    return isinstance(asyncio.get_running_loop(), GuardedEventLoop)


class GuardedEventLoop(asyncio.SelectorEventLoop):
    """asyncio's loop, which refuses blocked addresses while :func:`guarding`
    is active (the run loop of a ``--public`` instance).

    ``sock_connect`` is the decisive check: it sees the very socket address
    the client connects to, whether it came from DNS or was an IP literal in
    the URL (the client skips the resolver for those).  ``getaddrinfo`` checks
    too, so a refused name fails before any socket is made.
    """

    async def sock_connect(self, sock: socket.socket, address: Any) -> None:
        guard = _GUARDING.get()
        if guard is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            check(str(address[0]), str(address[0]), int(address[1]), guard.echo)
        await super().sock_connect(sock, address)

    async def getaddrinfo(self, host: Any, port: Any, **kwargs: Any) -> list[Any]:
        infos = await super().getaddrinfo(host, port, **kwargs)
        guard = _GUARDING.get()
        if guard is not None:
            name = host.decode() if isinstance(host, bytes) else str(host)
            for info in infos:
                check(name, str(info[4][0]), int(info[4][1]), guard.echo)
        return infos
