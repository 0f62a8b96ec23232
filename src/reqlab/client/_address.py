"""Socket addresses as both engines need them, with no event loop.

Kept apart from ``_connect`` (asyncio) so the sync engine, which shares
these, starts without importing asyncio.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from typing import Any

from reqlab.errors import ConnectError


def address_text(sockaddr: Any) -> str:
    host, port = sockaddr[0], sockaddr[1]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def connect_failed(host: str, port: int, last: OSError | None) -> ConnectError:
    reason = (os.strerror(last.errno) if last and last.errno else str(last or "no address")).lower()
    return ConnectError(f"cannot connect to {host}:{port}: {reason}")


def literal_address(host: str, port: int) -> list[Any] | None:
    """An IP address needs no resolver (asyncio's runs in a thread: ~100 us)."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None
    if address.version == 4:
        return [(socket.AF_INET, socket.SOCK_STREAM, 0, "", (str(address), port))]
    return [(socket.AF_INET6, socket.SOCK_STREAM, 0, "", (str(address), port, 0, 0))]
