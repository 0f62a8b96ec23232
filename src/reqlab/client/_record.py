"""The exchange record: one per request sent, the same shape everywhere.

The CLI's ``--output json``, the web UI and ``Response.exchange`` all use
:meth:`Exchange.to_json`.  Fields hold raw values (bytes, perf_counter
stamps) while sending so the hot path stays cheap; converting to JSON
happens only when somebody asks.
"""

from __future__ import annotations

import base64
from dataclasses import field
from typing import Any

from reqlab._records import record
from reqlab.model import Header

PHASES = ("dns", "connect", "tls", "send", "wait", "receive")


@record(slots=True)
class Timings:
    """Milliseconds per phase.  A reused connection has dns/connect/tls = 0."""

    dns: float = 0.0
    connect: float = 0.0
    tls: float = 0.0
    send: float = 0.0
    wait: float = 0.0
    receive: float = 0.0
    total: float = 0.0
    # Through a proxy, dns and connect are the proxy's; this is the CONNECT
    # or SOCKS5 handshake that opened the tunnel to the target.
    tunnel: float = 0.0

    def to_json(self) -> dict[str, float]:
        return {name: round(getattr(self, name), 3) for name in (*PHASES, "tunnel", "total")}


@record(slots=True)
class TLSInfo:
    version: str | None = None
    cipher: str | None = None
    alpn: str | None = None
    verified: bool = True
    server_name: str | None = None
    peer_subject: str | None = None
    peer_issuer: str | None = None
    peer_not_after: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "cipher": self.cipher,
            "alpn": self.alpn,
            "verified": self.verified,
            "server_name": self.server_name,
            "peer_cert": {
                "subject": self.peer_subject,
                "issuer": self.peer_issuer,
                "not_after": self.peer_not_after,
            },
        }


@record(slots=True)
class QuicFacts:
    """An HTTP/3 connection's QUIC terms, as negotiated and as measured."""

    version: str  # "QUIC v1"
    idle_timeout_ours: float  # seconds: our max_idle_timeout transport parameter
    idle_timeout_peer: float | None  # the server's (None: it set none)
    idle_timeout: float  # effective: the smaller
    max_streams: int  # bidirectional streams the server allows us (initial_max_streams_bidi)
    local_cid: str  # hex
    peer_cid: str
    datagrams_sent: int  # over the connection's life so far
    datagrams_received: int
    rtt_ms: float  # smoothed RTT estimate
    min_rtt_ms: float | None
    zero_rtt: bool  # this request went as 0-RTT (early) data and the server accepted it
    resumed: bool  # TLS session resumed from a ticket
    zero_rtt_note: str | None = None  # why 0-RTT was not used, when it was asked for
    packets_lost: int = 0  # declared lost by loss detection, over the connection's life so far
    packets_retransmitted: int = 0  # whose frames were sent again (losses and probe timeouts)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "idle_timeout": {
                "ours": self.idle_timeout_ours,
                "peer": self.idle_timeout_peer,
                "effective": self.idle_timeout,
            },
            "max_streams": self.max_streams,
            "connection_ids": {"local": self.local_cid, "peer": self.peer_cid},
            "datagrams": {"sent": self.datagrams_sent, "received": self.datagrams_received},
            "packets": {"lost": self.packets_lost, "retransmitted": self.packets_retransmitted},
            "rtt_ms": self.rtt_ms,
            "min_rtt_ms": self.min_rtt_ms,
            "zero_rtt": self.zero_rtt,
            "resumed": self.resumed,
            "zero_rtt_note": self.zero_rtt_note,
        }


@record(slots=True)
class ConnectionInfo:
    id: int
    reused: bool
    local: str
    remote: str
    tls: TLSInfo | None = None
    http_version: str = "HTTP/1.1"
    requests: int = 1  # how many exchanges this connection has carried, this one included
    proxy: str | None = None  # the proxy it goes through (no credentials)
    quic: QuicFacts | None = None  # HTTP/3 only

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "reused": self.reused,
            "local": self.local,
            "remote": self.remote,
            "tls": self.tls.to_json() if self.tls else None,
            "http_version": self.http_version,
            "requests": self.requests,
            "proxy": self.proxy,
            **({"quic": self.quic.to_json()} if self.quic is not None else {}),
        }


@record(slots=True)
class KeepAliveInfo:
    persistent: bool
    server_timeout: int | float | None = None  # whole seconds by the spec; decimals kept
    server_max: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "persistent": self.persistent,
            "server_timeout": self.server_timeout,
            "server_max": self.server_max,
        }


@record(slots=True)
class Exchange:
    """Everything about one request/response exchange."""

    method: str
    url: str
    version: str  # the HTTP version actually used
    request_headers: list[Header]  # as sent, in order (HTTP/2: pseudo-headers first)
    request_raw: bytes | None  # the exact bytes written (HTTP/1.x only)
    request_body: bytes
    added: tuple[str, ...]  # headers reqlab added to what the user wrote
    status: int = 0
    reason: str = ""
    response_version: str = ""
    response_headers: list[Header] = field(default_factory=list)
    body: bytes = b""  # decoded (decompressed) body, unless it went to a file
    body_path: str | None = None
    body_size: int = 0  # bytes of the decoded body
    wire_size: int = 0  # body bytes as received (before decompression)
    content_encoding: str | None = None
    informational: list[tuple[int, str]] = field(default_factory=list)
    connection: ConnectionInfo | None = None
    timings: Timings = field(default_factory=Timings)
    keep_alive: KeepAliveInfo = field(default_factory=lambda: KeepAliveInfo(False))
    redirects: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    retried: bool = False
    version_reason: str | None = None  # why this version was used (HTTP/3 by Alt-Svc, ...)
    purpose: str | None = None  # why reqlab sent it on its own (an OAuth token request)
    # A streamed body: (ms after the request was sent, bytes) per read off the wire.
    arrivals: list[tuple[float, int]] = field(default_factory=list)

    def header(self, name: str, default: str | None = None) -> str | None:
        lower = name.lower()
        for n, v in self.response_headers:
            if n.lower() == lower:
                return v
        return default

    def to_json(self, body_limit: int | None = None) -> dict[str, Any]:
        """A JSON-ready dict.  Text bodies as text, others as base64."""
        return {
            "request": {
                "method": self.method,
                "url": self.url,
                "version": self.version,
                "headers": [list(h) for h in self.request_headers],
                "raw": _text(self.request_raw) if self.request_raw is not None else None,
                "body": _body_json(self.request_body, None, body_limit),
                "added_headers": list(self.added),
            },
            "response": {
                "status": self.status,
                "reason": self.reason,
                "version": self.response_version,
                "headers": [list(h) for h in self.response_headers],
                "informational": [list(i) for i in self.informational],
                "body": _body_json(self.body, self.body_path, body_limit),
                "body_size": self.body_size,
                "wire_size": self.wire_size,
                "content_encoding": self.content_encoding,
            },
            "connection": self.connection.to_json() if self.connection else None,
            "timings": self.timings.to_json(),
            "keep_alive": self.keep_alive.to_json(),
            "redirects": self.redirects,
            "retried": self.retried,
            **({"version_reason": self.version_reason} if self.version_reason else {}),
            "purpose": self.purpose,
            "warnings": list(self.warnings),
            **({"arrivals": [list(a) for a in self.arrivals]} if self.arrivals else {}),
        }


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _body_json(data: bytes, path: str | None, limit: int | None) -> dict[str, Any]:
    if path is not None:
        return {"path": path}
    cut = data if limit is None else data[:limit]
    out: dict[str, Any]
    try:
        out = {"text": cut.decode("utf-8")}
    except UnicodeDecodeError:
        out = {"base64": base64.b64encode(cut).decode()}
    if len(cut) < len(data):
        out["truncated"] = True
    return out
