"""The probe's findings: plain data with a JSON form."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from reqlab.protocol.probe import Recommendation


@dataclass
class Check:
    name: str
    verdict: str  # "ok" | "warn" | "fail" | "info"
    summary: str


@dataclass
class ProbeReport:
    url: str
    method: str
    limits: dict[str, Any]
    checks: list[Check] = field(default_factory=list)
    status: int | None = None
    advertised: dict[str, Any] = field(default_factory=dict)
    persistent_11: bool | None = None
    http10_keep_alive: bool | None = None
    pipelining: bool | None = None
    http2: bool | None = None
    http3: dict[str, Any] | None = None  # see probe._h3
    idle_timeout: float | None = None
    close_kind: str | None = None
    race_failed: bool | None = None
    max_requests: int | None = None
    requests_used: int = 0
    elapsed: float = 0.0
    recommendation: Recommendation | None = None

    def add(self, check: Check) -> None:
        self.checks.append(check)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["idle_timeout"] = round(self.idle_timeout, 3) if self.idle_timeout is not None else None
        out["elapsed"] = round(self.elapsed, 3)
        return out
