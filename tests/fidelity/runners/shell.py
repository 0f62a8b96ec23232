"""Shell targets: each snippet is a bash script run in its case directory.

curl and wget come from Debian, ``http`` from the httpie package of the
test extra.  PowerShell is not installable from the registries this project
may use (it ships through Microsoft's own channels), so its snippets are
checked against reviewed golden files and reported as not executed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fidelity.harness import Case, NotExecuted, Result, Runner, require_tools, run_commands


class BashRunner(Runner):
    def __init__(self, tool: str) -> None:
        super().__init__(runtime=tool)

    def prepare(self, cache_dir: Path) -> None:
        require_tools("bash", self.runtime)

    def run(self, cases: Sequence[Case]) -> dict[str, Result]:
        return run_commands((c, ["bash", c.filename]) for c in cases)


RUNNERS: dict[str, Runner] = {
    "shell-curl": BashRunner("curl"),
    "shell-wget": BashRunner("wget"),
    "shell-httpie": BashRunner("http"),
    "powershell-invokewebrequest": NotExecuted(
        reason="PowerShell (pwsh) is not in Debian, PyPI or npm; golden files only",
        extension="ps1",
    ),
}
