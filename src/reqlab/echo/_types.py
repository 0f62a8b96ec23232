"""The contract between the echo server's connection layer and its endpoints.

The connection layer (HTTP/1.x via httptools, HTTP/2 via h2) reads a whole
request, decides the persistent-connection terms, and hands the endpoints an
:class:`EchoRequest`.  An endpoint returns an :class:`EchoResponse` whose
headers carry no framing or connection headers: Content-Length,
Transfer-Encoding, Connection and Keep-Alive are the connection layer's
business, so HTTP/1.0, HTTP/1.1 and HTTP/2 each get them right in one place.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TLSInfo:
    version: str
    cipher: str
    alpn: str | None
    sni: str | None
    client_subject: str | None = None  # the client certificate's, with --tls-client-ca
    client_issuer: str | None = None


@dataclass(frozen=True)
class ConnectionInfo:
    id: int
    request_number: int  # 1 for the first request on the connection
    client: str  # "ip:port"
    server_port: int
    scheme: str  # "http" or "https"
    tls: TLSInfo | None = None


@dataclass(frozen=True)
class KeepAliveInfo:
    """The terms the connection layer decided for this exchange."""

    persistent: bool
    timeout: float
    remaining: int  # further requests the server accepts after this one


@dataclass
class EchoRequest:
    method: str
    target: str  # as on the request line (HTTP/2: the :path pseudo-header)
    http_version: str  # "HTTP/1.0" | "HTTP/1.1" | "HTTP/2"
    headers: list[tuple[str, str]]  # exact case, order, duplicates
    body: bytes
    connection: ConnectionInfo
    keep_alive: KeepAliveInfo
    pseudo_headers: list[tuple[str, str]] = field(default_factory=list)  # HTTP/2 only
    raw_head: bytes | None = None  # HTTP/1.x: request line + header block as received

    def header(self, name: str, default: str | None = None) -> str | None:
        lower = name.lower()
        for n, v in self.headers:
            if n.lower() == lower:
                return v
        return default

    @property
    def authority(self) -> str:
        for n, v in self.pseudo_headers:
            if n == ":authority":
                return v
        return self.header("host", "") or ""


@dataclass
class EchoResponse:
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    # bytes, or an async iterator of chunks for streamed answers (/drip, /stream)
    body: bytes | AsyncIterator[bytes] = b""
    reason: str | None = None
    # Set to force the connection closed after this response (e.g. a 400).
    close: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


Handler = Callable[[EchoRequest], Awaitable[EchoResponse]]
# Answers without awaiting, or None: "ask the async handler" (see server.sync_handler).
SyncHandler = Callable[[EchoRequest], EchoResponse | None]
# (core Request, connection id, client, TLS) -> (status, headers, body) or None
# (see server.plain_handler).  The first argument is reqlab.protocol.h1events.Request.
PlainHandler = Callable[
    [Any, int, str, "TLSInfo | None"], tuple[int, Sequence[tuple[str, str]], bytes] | None
]
