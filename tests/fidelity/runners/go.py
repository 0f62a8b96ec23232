"""go-nethttp: every case is a ``main`` package in one Go module, built by
one ``go build -o bin/ ./cases/...`` (the stdlib only: no module download;
Go's build cache makes a second run fast)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fidelity.harness import Case, Result, Runner, require_tools, run_command
from fidelity.runners._compiled import BUILD_TIMEOUT, build_batch, build_dir, fresh_dir, run_built

GO_MOD = "module reqlab.test/fidelity\n\ngo 1.24\n"


class GoRunner(Runner):
    runtime = "go"

    def prepare(self, cache_dir: Path) -> None:
        self.go = require_tools("go")["go"]

    def run(self, cases: Sequence[Case]) -> dict[str, Result]:
        self.root = build_dir(cases)
        (self.root / "go.mod").write_text(GO_MOD)
        src = fresh_dir(self.root / "cases")
        bin_dir = fresh_dir(self.root / "bin")
        for case in cases:
            (src / case.ident).mkdir()
            (src / case.ident / "main.go").write_text(case.code)

        def build_all(batch: Sequence[Case]) -> Result:
            argv = [self.go, "build", "-o", str(bin_dir) + "/", "./cases/..."]
            return run_command(argv, self.root, timeout=BUILD_TIMEOUT)

        def build_one(case: Case) -> Result:
            argv = [self.go, "build", "-o", str(bin_dir / case.ident), f"./cases/{case.ident}"]
            return run_command(argv, self.root, timeout=BUILD_TIMEOUT)

        failed = build_batch(cases, build_all, build_one)
        return run_built(cases, failed, lambda c: [str(bin_dir / c.ident)])


RUNNERS = {"go-nethttp": GoRunner()}
