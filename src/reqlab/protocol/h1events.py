"""What the HTTP/1.x server core hands out (see :mod:`reqlab.protocol.h1server`).

Small plain dataclasses; ``NEED_DATA`` and ``PAUSED`` are sentinels.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class Limits:
    keep_alive_timeout: float = 5.0
    keep_alive_max: int = 100
    max_header_bytes: int = 65536
    max_body_bytes: int = 10 * 1024 * 1024
    allow_h2c: bool = True
    alt_svc: str | None = None  # an Alt-Svc value to advertise on every answer (HTTP/3)


@dataclass(slots=True)
class Request:
    method: str
    target: str
    http_version: str  # "HTTP/1.0" | "HTTP/1.1"
    headers: list[tuple[str, str]]
    raw_head: bytes
    body: bytes
    request_number: int
    persistent: bool  # the terms decided for this exchange
    remaining: int  # further requests accepted after this one
    timeout: float


@dataclass
class H2CUpgrade:
    request: Request
    settings: str  # the HTTP2-Settings header value
    data: bytes  # bytes received after the upgrade request (HTTP/2 frames)


@dataclass
class H2Preface:
    data: bytes  # everything received, preface included


@dataclass
class Rejected:
    status: int
    message: str


@dataclass
class Closed:
    pass


class Signal(Enum):
    NEED_DATA = "need-data"
    PAUSED = "paused"


NEED_DATA = Signal.NEED_DATA
PAUSED = Signal.PAUSED
Event = Request | H2CUpgrade | H2Preface | Rejected | Closed | Signal
