"""Where a connection dials instead of where its URL says: curl's
``--connect-to HOST1:PORT1:HOST2:PORT2`` and ``--resolve HOST:PORT:ADDRESS``,
and ``-4``/``-6``.

The URL keeps its host: Host, ``:authority``, TLS's server name and the
certificate check all use it; only the address the socket dials changes, as
with curl (test a new server under its real name before DNS points at it).
Pure data: both engines ask :meth:`Dial.route` before they resolve a name.
Through a proxy the rules do not apply (the proxy dials).
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Sequence
from typing import Any, NamedTuple

from reqlab.errors import InvalidRequest

# HOST (a name, an address, [IPv6] or empty), then :PORT (digits or empty);
# patterns, not compiled ones: every client parses its (usually no) rules at
# start-up, and re compiles a pattern on its first use only
_HOST_PORT = r"(\[[^\]]*\]|[^:\[\]]*):(\d*)"
_CONNECT_TO = rf"{_HOST_PORT}:{_HOST_PORT}"
_RESOLVE = r"(\*|\[[^\]]*\]|[^:\[\]]+):(\d+):(.+)"


class Dial(NamedTuple):
    """The rules; the empty one changes nothing.  (A NamedTuple: immutable
    and hashable like a frozen record, at half its cost to define on every
    start-up.)"""

    # (host, port, host2, port2): "" or None matches any and keeps the URL's
    connect_to: tuple[tuple[str, int | None, str, int | None], ...] = ()
    resolve: tuple[tuple[str, int, tuple[str, ...]], ...] = ()  # "*" is any host
    family: int = 0  # socket.AF_INET for -4, AF_INET6 for -6, 0 for either

    def route(self, host: str, port: int) -> tuple[str, int, tuple[str, ...] | None]:
        """The host and port to dial, and its addresses when ``--resolve``
        gives them (no DNS lookup then).  The first matching rule wins."""
        for host1, port1, host2, port2 in self.connect_to:
            if (not host1 or _same(host1, host)) and (port1 is None or port1 == port):
                host, port = host2 or host, port2 or port
                break
        for name, at, addresses in self.resolve:
            if (name == "*" or _same(name, host)) and at == port:
                return host, port, addresses
        return host, port, None

    def __bool__(self) -> bool:  # a tuple of three is always true
        return bool(self.connect_to or self.resolve or self.family)


NO_DIAL = Dial()
IP_VERSION = {socket.AF_INET: 4, socket.AF_INET6: 6, 0: "4 or IPv6"}  # for error messages


def _same(rule: str, host: str) -> bool:
    return rule.strip("[]").lower() == host.strip("[]").lower()


def parse_dial(
    resolve: Sequence[str] = (), connect_to: Sequence[str] = (), ip_version: int | None = None
) -> Dial:
    """The rules from curl's spellings; a bad one raises InvalidRequest naming it."""
    rules = []
    for text in connect_to:
        m = re.fullmatch(_CONNECT_TO, text)
        if m is None:
            raise InvalidRequest("connect_to", f"{text!r}: expected HOST1:PORT1:HOST2:PORT2")
        host1, port1, host2, port2 = m.groups()
        rules.append((host1.strip("[]"), _port(port1, text), host2.strip("[]"), _port(port2, text)))
    found = []
    for text in resolve:
        m = re.fullmatch(_RESOLVE, text)
        if m is None:
            raise InvalidRequest("resolve", f"{text!r}: expected HOST:PORT:ADDRESS[,ADDRESS]")
        name, port, addresses = m.groups()
        found.append((name.strip("[]"), int(port), tuple(_addresses(addresses, text))))
    families = {None: 0, 4: socket.AF_INET, 6: socket.AF_INET6}
    if ip_version not in families:
        raise InvalidRequest("ip_version", f"must be 4 or 6, got {ip_version!r}")
    return Dial(tuple(rules), tuple(found), families[ip_version])


def _port(text: str, rule: str) -> int | None:
    if not text:
        return None
    port = int(text)
    if not 0 < port < 65536:
        raise InvalidRequest("connect_to", f"{rule!r}: port {port} is out of range")
    return port


def _addresses(text: str, rule: str) -> list[str]:
    out = []
    for raw in text.split(","):
        try:
            out.append(str(ipaddress.ip_address(raw.strip().strip("[]"))))
        except ValueError:
            raise InvalidRequest("resolve", f"{rule!r}: {raw!r} is not an IP address") from None
    return out


def dial_target(
    dial: Dial, host: str, port: int, kind: socket.SocketKind
) -> tuple[str, int, list[Any] | None]:
    """What to dial for ``host:port``: the host and port after ``--connect-to``,
    and getaddrinfo's answer when no lookup is needed (``--resolve``
    addresses, or an IP literal), filtered by ``-4``/``-6``."""
    host, port, addresses = dial.route(host, port)
    if addresses is None:
        try:
            addresses = (str(ipaddress.ip_address(host.strip("[]"))),)
        except ValueError:
            return host, port, None  # a name: the engine resolves it
    infos: list[Any] = []
    for address in addresses:
        if ":" in address:
            infos.append((socket.AF_INET6, kind, 0, "", (address, port, 0, 0)))
        else:
            infos.append((socket.AF_INET, kind, 0, "", (address, port)))
    return host, port, only_family(infos, dial.family)


def only_family(infos: list[Any], family: int) -> list[Any]:
    """``-4``/``-6``: the answers of that family (all when neither)."""
    return [info for info in infos if info[0] == family] if family else infos
