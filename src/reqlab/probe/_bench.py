"""``reqlab bench``: the same request with connection reuse and without.

Each of ``concurrency`` workers owns one client and sends its share of the
requests one after another, so with reuse a worker opens one connection
and without it opens one per request.  Connections opened are counted from
the exchange records (``connection.reused`` is False for a new one), not
assumed.
"""

from __future__ import annotations

import asyncio
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from time import perf_counter
from typing import Any

from reqlab.client import AsyncClient
from reqlab.errors import ReqlabError
from reqlab.model import Request

Progress = Callable[[str, float], None]


@dataclass
class BenchSettings:
    requests: int = 200  # per mode; ignored when duration is set
    concurrency: int = 4
    duration: float | None = None  # seconds per mode
    verify: bool = True
    cafile: str | None = None
    timeout: float = 10.0


@dataclass
class BenchResult:
    mode: str  # "reuse" | "no-reuse"
    latencies: list[float] = field(default_factory=list)  # ms, successful requests
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    connections: int = 0
    elapsed: float = 0.0  # s

    @property
    def completed(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        return self.completed / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float | None:
        if not self.latencies:
            return None
        data = sorted(self.latencies)
        rank = max(0, min(len(data) - 1, round(p / 100 * len(data) + 0.5) - 1))
        return data[rank]

    def to_json(self) -> dict[str, Any]:
        def ms(value: float | None) -> float | None:
            return round(value, 3) if value is not None else None

        return {
            "mode": self.mode,
            "requests": self.completed + self.errors,
            "completed": self.completed,
            "errors": self.errors,
            "error_kinds": self.error_kinds,
            "connections_opened": self.connections,
            "elapsed_s": round(self.elapsed, 3),
            "throughput_rps": round(self.throughput, 1),
            "latency_ms": {
                "p50": ms(self.percentile(50)),
                "p90": ms(self.percentile(90)),
                "p99": ms(self.percentile(99)),
                "max": ms(max(self.latencies, default=None)),
                "mean": ms(statistics.fmean(self.latencies) if self.latencies else None),
            },
        }


@dataclass
class BenchComparison:
    url: str
    concurrency: int
    reuse: BenchResult
    fresh: BenchResult

    def saving(self) -> dict[str, float | None]:
        """How much reuse saves: latency ratio (no-reuse / reuse) and throughput ratio."""
        p50_fresh, p50_reuse = self.fresh.percentile(50), self.reuse.percentile(50)
        latency = p50_fresh / p50_reuse if p50_fresh and p50_reuse else None
        throughput = (
            self.reuse.throughput / self.fresh.throughput if self.fresh.throughput else None
        )
        return {
            "p50_latency_ratio": round(latency, 2) if latency else None,
            "throughput_ratio": round(throughput, 2) if throughput else None,
            "connections_saved": self.fresh.connections - self.reuse.connections,
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "concurrency": self.concurrency,
            "reuse": self.reuse.to_json(),
            "no_reuse": self.fresh.to_json(),
            "saving": self.saving(),
        }


async def _run_mode(
    request: Request, settings: BenchSettings, reuse: bool, progress: Progress, offset: float
) -> BenchResult:
    result = BenchResult("reuse" if reuse else "no-reuse")
    request = request.replace(options=replace(request.options, keep_alive=reuse))
    total = settings.requests
    counter = iter(range(total))
    started = perf_counter()
    deadline = started + settings.duration if settings.duration else None

    def more() -> bool:
        if deadline is not None:
            return perf_counter() < deadline
        return next(counter, None) is not None

    async def worker() -> None:
        async with AsyncClient(
            verify=settings.verify, cafile=settings.cafile, timeout=settings.timeout, cookies=False
        ) as client:
            while more():
                t0 = perf_counter()
                try:
                    response = await client.send(request)
                except ReqlabError as exc:
                    result.errors += 1
                    kind = type(exc).__name__
                    result.error_kinds[kind] = result.error_kinds.get(kind, 0) + 1
                    continue
                result.latencies.append((perf_counter() - t0) * 1000)
                conn = response.exchange.connection
                if conn is not None and not conn.reused:
                    result.connections += 1
                done = result.completed + result.errors
                if settings.duration:  # as deadline is set
                    fraction = (perf_counter() - started) / settings.duration
                else:
                    fraction = done / total
                progress(f"{result.mode}: {done} requests", offset + min(fraction, 1.0) / 2)

    await asyncio.gather(*(worker() for _ in range(settings.concurrency)))
    result.elapsed = perf_counter() - started
    return result


async def bench(
    request: Request, settings: BenchSettings | None = None, progress: Progress | None = None
) -> BenchComparison:
    """Send the request with reuse, then without, and compare."""
    settings = settings or BenchSettings()
    report = progress or (lambda _what, _frac: None)
    reuse = await _run_mode(request, settings, True, report, 0.0)
    fresh = await _run_mode(request, settings, False, report, 0.5)
    report("done", 1.0)
    return BenchComparison(request.url, settings.concurrency, reuse, fresh)
