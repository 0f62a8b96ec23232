"""The client engine: send any request over HTTP/1.0, 1.1 or 2 and record
exactly what happened (see ``docs/client.md``).

Public: :class:`Client`, :class:`AsyncClient`, :class:`Response` and the
record types; and, for tools that speak on a connection themselves (``reqlab
probe``), the timed connector: :func:`open_connection` (DNS, TCP, TLS, each
timed) and :func:`hand_over` (give the connection to a protocol).  The ``_``
modules are private.

Each name is imported on first use (PEP 562), so ``from reqlab.client import
Client`` loads the sync engine without asyncio, and ``AsyncClient`` the async
one without the blocking pool; ``tests/test_import_budget.py`` holds the line.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what __getattr__ returns, spelled out for type checkers
    from reqlab.client._api import AsyncClient
    from reqlab.client._base import USE_CLIENT_DEFAULT, Limits
    from reqlab.client._connect import Opened, hand_over, open_connection
    from reqlab.client._record import ConnectionInfo, Exchange, KeepAliveInfo, Timings, TLSInfo
    from reqlab.client._response import Headers, HTTPStatusError, Response
    from reqlab.client._sse import AsyncEventSource, EventSource
    from reqlab.client._sync import Client
    from reqlab.client._toplevel import delete, get, head, options, patch, post, put, request
    from reqlab.client._transport import MockTransport

# name -> private module that defines it
_LAZY = {
    "AsyncClient": "_api",
    "USE_CLIENT_DEFAULT": "_base",
    "Limits": "_base",
    "Opened": "_connect",
    "hand_over": "_connect",
    "open_connection": "_connect",
    "ConnectionInfo": "_record",
    "Exchange": "_record",
    "KeepAliveInfo": "_record",
    "Timings": "_record",
    "TLSInfo": "_record",
    "Headers": "_response",
    "HTTPStatusError": "_response",
    "Response": "_response",
    "Client": "_sync",
    "EventSource": "_sse",
    "AsyncEventSource": "_sse",
    "delete": "_toplevel",
    "get": "_toplevel",
    "head": "_toplevel",
    "options": "_toplevel",
    "patch": "_toplevel",
    "post": "_toplevel",
    "put": "_toplevel",
    "request": "_toplevel",
    "MockTransport": "_transport",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'reqlab.client' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"reqlab.client.{module}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


__all__ = [
    "AsyncClient",
    "AsyncEventSource",
    "Client",
    "ConnectionInfo",
    "EventSource",
    "Exchange",
    "HTTPStatusError",
    "Headers",
    "KeepAliveInfo",
    "Limits",
    "MockTransport",
    "Opened",
    "Response",
    "TLSInfo",
    "Timings",
    "USE_CLIENT_DEFAULT",
    "delete",
    "get",
    "hand_over",
    "head",
    "open_connection",
    "options",
    "patch",
    "post",
    "put",
    "request",
]
