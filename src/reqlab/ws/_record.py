"""The record of one WebSocket connection: handshake, timings, frames, close.

Filled in by :class:`reqlab.ws.WebSocket` as things happen; ``to_json`` gives
the shape ``reqlab ws --output json`` prints.  Times are milliseconds: phase
durations for the handshake, and for frames the time since the connection
opened (the 101 arrived).
"""

from __future__ import annotations

import base64
from collections import deque
from dataclasses import dataclass, field
from time import perf_counter
from typing import Any

from reqlab.client import TLSInfo
from reqlab.protocol.ws import FrameInfo

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
    connection_id: int | None = None  # the client pool's id of the HTTP/2 connection carrying it
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
                "id": self.connection_id,
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


_DATA = frozenset({"text", "binary", "continuation"})


class Recorder:
    """Stamps a connection's frame log into its record as frames pass.

    Each message (sent or received) is attached to its last frame, so the
    record shows what was said as well as how it was framed.
    """

    def __init__(self, record: WSRecord) -> None:
        self.record = record
        self.opened_at = perf_counter()
        self.carried: dict[str, deque[str | bytes]] = {"in": deque(), "out": deque()}

    def opened(self) -> None:
        self.opened_at = perf_counter()

    def message(self, direction: str, data: str | bytes) -> None:
        self.carried[direction].append(data)

    def stamp(self, frames: list[FrameInfo] | None) -> None:
        """Record ``frames`` (the WSConnection's log since the last call) and empty it."""
        if not frames:
            return
        t = (perf_counter() - self.opened_at) * 1000
        for f in frames:
            carried = self.carried[f.direction]
            last = f.fin and f.opcode in _DATA and carried
            message = carried.popleft() if last else None
            self.record.frames.append(FrameRecord(t, f.direction, f.opcode, f.size, f.fin, message))
        frames.clear()
