"""csharp-httpclient: mono's ``mcs`` compiles each case to its own .exe
(mcs makes one program per call; a call takes about a second), ``mono`` runs it."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fidelity.harness import PARALLEL, Case, Result, Runner, require_tools, run_command
from fidelity.runners._compiled import BUILD_TIMEOUT, run_built


class CSharpRunner(Runner):
    runtime = "mono"

    def prepare(self, cache_dir: Path) -> None:
        tools = require_tools("mcs", "mono")
        self.mcs, self.mono = tools["mcs"], tools["mono"]

    def exe(self, case: Case) -> Path:
        return case.workdir / f"{case.ident}.exe"

    def compile(self, case: Case) -> Result:
        argv = [self.mcs, "-nologo", "-r:System.Net.Http.dll", f"-out:{self.exe(case)}"]
        return run_command([*argv, str(case.path)], case.workdir, timeout=BUILD_TIMEOUT)

    def run(self, cases: Sequence[Case]) -> dict[str, Result]:
        with ThreadPoolExecutor(max_workers=max(1, PARALLEL)) as pool:
            built = dict(zip([c.id for c in cases], pool.map(self.compile, cases), strict=True))
        failed = {
            case_id: Result(r.returncode, r.stdout, "compile error:\n" + r.stderr)
            for case_id, r in built.items()
            if r.returncode != 0
        }
        return run_built(cases, failed, lambda c: [self.mono, str(self.exe(c))])


RUNNERS = {"csharp-httpclient": CSharpRunner()}
