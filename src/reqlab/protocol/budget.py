"""Budgets for what a peer may make a server do for free (sans-IO: the clock is passed in).

Theory of operation
-------------------
Some HTTP/2 frames cost the server work but give it nothing to answer: a
stream opened and reset at once (rapid reset, CVE-2023-44487), PING and
SETTINGS (each must be acknowledged), PRIORITY, WINDOW_UPDATE, empty DATA.
A well-behaved client sends a few of them; a flood sends millions.  Each
kind has a token bucket: ``capacity`` tokens to start with, refilled at
``per_second``; every frame of that kind takes one.  A connection whose
bucket runs dry is out of budget: the server sends GOAWAY with
ENHANCE_YOUR_CALM and closes, as the servers fixed in 2023 do.

Useful work earns budget back: a response completed refunds a few reset and
control tokens (:meth:`FrameBudgets.earned`), a DATA frame sent refunds the
WINDOW_UPDATEs it calls for (:meth:`FrameBudgets.data_sent`), so a busy client that
cancels some requests or updates windows often is never cut off, while one
that only resets is (the per-request-completed idea of nginx and h2o).

Memory is O(1) per connection: four counters, no per-frame or per-stream record.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Bucket:
    """A token bucket; ``take`` is False once the bucket is empty."""

    capacity: float
    per_second: float
    tokens: float = -1.0
    stamp: float = 0.0

    def __post_init__(self) -> None:
        if self.tokens < 0:
            self.tokens = self.capacity

    def take(self, now: float, n: float = 1.0) -> bool:
        elapsed = now - self.stamp
        if elapsed > 0:
            self.tokens = min(self.capacity, self.tokens + elapsed * self.per_second)
            self.stamp = now
        self.tokens -= n
        return self.tokens >= 0

    def give(self, n: float) -> None:
        self.tokens = min(self.capacity, self.tokens + n)


@dataclass(frozen=True, slots=True)
class FloodLimits:
    """Per-connection budgets of an HTTP/2 server (the documented defaults)."""

    resets: tuple[float, float] = (200, 50)  # (burst, per second): streams reset before answered
    pings: tuple[float, float] = (50, 10)
    settings: tuple[float, float] = (50, 10)
    control: tuple[float, float] = (1000, 500)  # PRIORITY, WINDOW_UPDATE, empty DATA
    refund_per_response: float = 4  # tokens a completed response gives back to resets/control


KINDS = ("resets", "pings", "settings", "control")


@dataclass(slots=True)
class FrameBudgets:
    """The budgets of one connection.  ``spend`` returns the name of an
    exhausted budget (for the log and the GOAWAY debug data) or None."""

    limits: FloodLimits = field(default_factory=FloodLimits)
    buckets: dict[str, Bucket] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for kind in KINDS:
            burst, rate = getattr(self.limits, kind)
            self.buckets[kind] = Bucket(burst, rate)

    def spend(self, kind: str, now: float) -> str | None:
        return None if self.buckets[kind].take(now) else kind

    def earned(self) -> None:
        """A response was completed: useful work, some budget back."""
        refund = self.limits.refund_per_response
        self.buckets["resets"].give(refund)
        self.buckets["control"].give(refund)

    def data_sent(self) -> None:
        """A DATA frame went out: the peer owes a WINDOW_UPDATE or two for it
        (stream and connection), so a long download is never cut off."""
        self.buckets["control"].give(2)


__all__ = ["KINDS", "Bucket", "FloodLimits", "FrameBudgets"]
