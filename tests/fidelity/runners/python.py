"""Python targets: every snippet runs with this interpreter and the real
libraries (requests, httpx, aiohttp and urllib3 come with the test extra).

To keep ~200 runs quick, ``_pyfork.py`` imports the libraries once and
forks a child per snippet, which runs the file as ``__main__``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from fidelity.harness import CASE_TIMEOUT, PARALLEL, Case, Result, Runner, Unavailable

FORK = Path(__file__).with_name("_pyfork.py")


class PythonRunner(Runner):
    runtime = "python3"

    def prepare(self, cache_dir: Path) -> None:
        for module in ("requests", "httpx", "h2", "aiohttp", "urllib3", "yarl"):
            try:
                __import__(module)
            except ImportError as exc:
                raise Unavailable(f"python package {module} not installed: {exc}") from None

    def run(self, cases: Sequence[Case]) -> dict[str, Result]:
        batch = [
            {
                "id": c.id,
                "workdir": str(c.workdir),
                "path": str(c.path),
                "stdout": str(c.workdir / "stdout.txt"),
                "stderr": str(c.workdir / "stderr.txt"),
            }
            for c in cases
        ]
        done = subprocess.run(
            [sys.executable, "-I", str(FORK), str(PARALLEL), str(int(CASE_TIMEOUT))],
            input=json.dumps(batch),
            capture_output=True,
            text=True,
            timeout=CASE_TIMEOUT * len(cases) + 60,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"_pyfork.py failed: {done.stderr[-2000:]}")
        codes = json.loads(done.stdout.strip().splitlines()[-1])
        return {
            c.id: Result(
                codes.get(c.id, -1),
                (c.workdir / "stdout.txt").read_text(errors="replace"),
                (c.workdir / "stderr.txt").read_text(errors="replace"),
            )
            for c in cases
        }


# One runner for all five: their cases go out as one batch.
_PYTHON = PythonRunner()
RUNNERS: dict[str, Runner] = {
    target: _PYTHON
    for target in (
        "python-requests",
        "python-httpx",
        "python-aiohttp",
        "python-http-client",
        "python-urllib3",
    )
}
