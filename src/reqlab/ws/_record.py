"""The record of one WebSocket connection: handshake, timings, frames, close.

Filled in by :class:`reqlab.ws.WebSocket` as things happen; ``to_json`` gives
the shape ``reqlab ws --output json`` prints.  Times are milliseconds: phase
durations for the handshake, and for frames the time since the connection
opened (the 101 arrived).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

from reqlab.client import TLSInfo

Header = tuple[str, str]


@dataclass(slots=True)
class HandshakeTimings:
    dns: float = 0.0
    connect: float = 0.0
    tls: float = 0.0
    upgrade: float = 0.0  # request written -> the 101 read

    def to_json(self) -> dict[str, float]:
        return {
            "dns": round(self.dns, 3),
            "connect": round(self.connect, 3),
            "tls": round(self.tls, 3),
            "upgrade": round(self.upgrade, 3),
        }


@dataclass(frozen=True, slots=True)
class FrameRecord:
    t: float  # ms since the connection opened
    direction: str  # "in" | "out"
    opcode: str  # text, binary, continuation, ping, pong, close
    size: int  # payload bytes (text as UTF-8), after decompression
    fin: bool
    message: str | bytes | None = None  # on a message's last frame: the whole message

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "t": round(self.t, 3),
            "direction": self.direction,
            "opcode": self.opcode,
            "size": self.size,
            "fin": self.fin,
        }
        m = self.message
        if isinstance(m, str):
            out["message"], out["encoding"] = m, "text"
        elif m is not None:
            out["message"], out["encoding"] = base64.b64encode(m).decode("ascii"), "base64"
        return out


@dataclass(frozen=True, slots=True)
class CloseRecord:
    code: int
    reason: str
    by: str  # "client" (we closed first), "server", or "transport" (no Close frame)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "reason": self.reason, "by": self.by}


@dataclass(slots=True)
class WSRecord:
    url: str
    request_headers: list[Header] = field(default_factory=list)
    status: int = 0
    response_headers: list[Header] = field(default_factory=list)
    subprotocol: str | None = None
    extensions: list[str] = field(default_factory=list)
    local: str = ""
    remote: str = ""
    tls: TLSInfo | None = None
    http_version: str = "HTTP/1.1"
    reused: bool = False  # HTTP/1.1 upgrades always take a fresh connection
    timings: HandshakeTimings = field(default_factory=HandshakeTimings)
    frames: list[FrameRecord] = field(default_factory=list)
    close: CloseRecord | None = None

    def to_json(self, secrets: bool = False) -> dict[str, Any]:
        """The record as JSON; credentials in headers show as ``***`` unless ``secrets``."""
        return {
            "url": self.url,
            "request_headers": [_shown(h, secrets) for h in self.request_headers],
            "status": self.status,
            "response_headers": [list(h) for h in self.response_headers],
            "subprotocol": self.subprotocol,
            "extensions": self.extensions,
            "connection": {
                "local": self.local,
                "remote": self.remote,
                "http_version": self.http_version,
                "reused": self.reused,
                "tls": self.tls.to_json() if self.tls else None,
            },
            "timings": self.timings.to_json(),
            "frames": [f.to_json() for f in self.frames],
            "close": self.close.to_json() if self.close else None,
        }


_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})


def _shown(header: Header, secrets: bool) -> list[str]:
    name, value = header
    if not secrets and name.lower() in _SECRET_HEADERS:
        return [name, "***"]
    return [name, value]
