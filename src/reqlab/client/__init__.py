"""The client engine: send any request over HTTP/1.0, 1.1 or 2 and record
exactly what happened (see ``docs/client.md``).

Public: :class:`Client`, :class:`AsyncClient`, :class:`Response` and the
record types; and, for tools that speak on a connection themselves (``reqlab
probe``), the timed connector: :func:`open_connection` (DNS, TCP, TLS, each
timed) and :func:`hand_over` (give the connection to a protocol).  The ``_``
modules are private.
"""

from __future__ import annotations

from reqlab.client._api import AsyncClient
from reqlab.client._base import USE_CLIENT_DEFAULT, Limits
from reqlab.client._connect import Opened, hand_over, open_connection
from reqlab.client._record import ConnectionInfo, Exchange, KeepAliveInfo, Timings, TLSInfo
from reqlab.client._response import Headers, HTTPStatusError, Response
from reqlab.client._sync import Client
from reqlab.client._toplevel import delete, get, head, options, patch, post, put, request
from reqlab.client._transport import MockTransport

__all__ = [
    "AsyncClient",
    "Client",
    "ConnectionInfo",
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
