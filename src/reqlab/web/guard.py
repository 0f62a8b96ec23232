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
from typing import Any

from reqlab.errors import ConnectError, NameResolutionError

# Metadata services outside the ranges ``is_global`` already excludes.
METADATA = {
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
    ipaddress.ip_address("fd00:ec2::254"),  # AWS IPv6
}


class BlockedAddress(ConnectError):
    """The target resolves to an address a public instance may not reach."""


def refusal(address: str) -> str | None:
    """Why ``address`` may not be reached from a public instance, or None."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
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


def _own_echo(address: str, port: int | None, echo_ports: frozenset[int]) -> bool:
    """The instance's own echo server, on this machine, is always a fine target."""
    if port is None or port not in echo_ports:
        return False
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def check(
    host: str, address: str, port: int | None = None, echo_ports: frozenset[int] = frozenset()
) -> None:
    why = refusal(address)
    if why is not None and not _own_echo(address, port, echo_ports):
        raise BlockedAddress(
            f"{host} resolves to {address}, {why}; this public instance refuses it "
            "(start it with --allow-private to allow)"
        )


async def resolve_public(
    host: str, port: int, echo_ports: frozenset[int] = frozenset()
) -> list[str]:
    """Resolve ``host`` once and return its addresses, all checked.

    Raises :class:`BlockedAddress` if any address is refused (a name that
    mixes public and private answers is refused as a whole).
    """
    host = host.strip("[]")
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
        check(host, address, port, echo_ports)
    return addresses


# None: not guarding; else the loopback ports still allowed (the echo server).
_GUARDING: ContextVar[frozenset[int] | None] = ContextVar("reqlab_web_guarding", default=None)


@contextlib.contextmanager
def guarding(echo_ports: frozenset[int] = frozenset()) -> Iterator[None]:
    """Within this block, every name this task resolves is checked."""
    token = _GUARDING.set(frozenset(echo_ports))
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
        echo_ports = _GUARDING.get()
        if echo_ports is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            check(str(address[0]), str(address[0]), int(address[1]), echo_ports)
        await super().sock_connect(sock, address)

    async def getaddrinfo(self, host: Any, port: Any, **kwargs: Any) -> list[Any]:
        infos = await super().getaddrinfo(host, port, **kwargs)
        echo_ports = _GUARDING.get()
        if echo_ports is not None:
            name = host.decode() if isinstance(host, bytes) else str(host)
            for info in infos:
                check(name, str(info[4][0]), int(info[4][1]), echo_ports)
        return infos
