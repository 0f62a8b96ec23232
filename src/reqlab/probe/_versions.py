"""``reqlab bench --compare-versions``: the same request over HTTP/1.1,
HTTP/2 and HTTP/3, each with connection reuse and without.

HTTP/2 and HTTP/3 need https:// (h2c is not compared: browsers never speak
it); over http:// only HTTP/1.1 runs and the others are reported skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reqlab.model import Request
from reqlab.probe._bench import BenchComparison, BenchSettings, Progress, bench

VERSIONS = ("HTTP/1.1", "HTTP/2", "HTTP/3")


@dataclass
class VersionComparison:
    url: str
    results: dict[str, BenchComparison] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # version: why

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "versions": {v: r.to_json() for v, r in self.results.items()},
            "skipped": self.skipped,
        }


async def compare_versions(
    request: Request, settings: BenchSettings, progress: Progress | None = None
) -> VersionComparison:
    report = progress or (lambda _what, _frac: None)
    out = VersionComparison(request.url)
    for index, version in enumerate(VERSIONS):
        if version != "HTTP/1.1" and request.scheme != "https":
            out.skipped[version] = "needs https://"
            continue

        def step(what: str, frac: float, i: int = index, v: str = version) -> None:
            report(f"{v} {what}", (i + frac) / len(VERSIONS))

        out.results[version] = await bench(request.replace(version=version), settings, step)
    report("done", 1.0)
    return out
