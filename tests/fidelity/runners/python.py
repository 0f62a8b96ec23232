"""Python targets: each snippet runs with this interpreter (requests, httpx,
aiohttp and urllib3 come with the test extra)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from fidelity.harness import Case, Result, Runner, Unavailable, run_commands


class PythonRunner(Runner):
    runtime = "python3"

    def __init__(self, module: str | None) -> None:
        super().__init__()
        self.module = module

    def prepare(self, cache_dir: Path) -> None:
        if self.module:
            try:
                __import__(self.module)
            except ImportError as exc:
                raise Unavailable(f"python package {self.module} not installed: {exc}") from None

    def run(self, cases: Sequence[Case]) -> dict[str, Result]:
        # -I: isolated, so nothing from the repo or the user site shadows the libraries.
        return run_commands((c, [sys.executable, "-I", c.filename]) for c in cases)


RUNNERS: dict[str, Runner] = {
    "python-requests": PythonRunner("requests"),
    "python-httpx": PythonRunner("httpx"),
    "python-aiohttp": PythonRunner("aiohttp"),
    "python-http-client": PythonRunner(None),
    "python-urllib3": PythonRunner("urllib3"),
}
