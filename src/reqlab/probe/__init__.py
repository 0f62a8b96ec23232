"""``reqlab probe`` and ``reqlab bench``: measure keep-alive behaviour and
what connection reuse saves.  See ``docs/probe.md``."""

from __future__ import annotations

from reqlab.probe._bench import BenchComparison, BenchResult, BenchSettings, bench
from reqlab.probe._probe import ProbeSettings, probe
from reqlab.probe._report import Check, ProbeReport

__all__ = [
    "BenchComparison",
    "BenchResult",
    "BenchSettings",
    "Check",
    "ProbeReport",
    "ProbeSettings",
    "bench",
    "probe",
]
