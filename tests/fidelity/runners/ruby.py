"""Ruby target: Net::HTTP from Ruby's standard library."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fidelity.harness import Case, Result, Runner, require_tools, run_commands


class RubyRunner(Runner):
    runtime = "ruby"

    def prepare(self, cache_dir: Path) -> None:
        self.ruby = require_tools("ruby")["ruby"]

    def run(self, cases: Sequence[Case]) -> dict[str, Result]:
        return run_commands((c, [self.ruby, c.filename]) for c in cases)


RUNNERS: dict[str, Runner] = {"ruby-nethttp": RubyRunner()}
