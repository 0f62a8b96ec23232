"""The pieces a family's runner works with: cases, results, runners.

A runner knows how to execute snippets of some targets with their real
runtime.  The harness hands it a batch of :class:`Case` (all fixtures of
its targets at once, so compiled languages build the batch in one go) and
expects a :class:`Result` per case id.  Every case's ``workdir`` already
holds the files its request uploads and the snippet itself (``path``); a
snippet must be run with ``cwd=case.workdir`` so relative file paths work.

Writing a runner (``tests/fidelity/runners/<family>.py``)::

    class NodeRunner(Runner):
        runtime = "node"
        def prepare(self, cache_dir):        # once per session
            require_tools("node")            # raises Unavailable -> "not executed"
        def run(self, cases):
            return run_commands([(c, ["node", str(c.path)]) for c in cases])

    RUNNERS = {"node-fetch": NodeRunner(), ...}

A runner may mark known, explained failures in ``expected_failures``
(``{fixture_id: reason}`` or ``{(target_id, fixture_id): reason}``); they
become strict xfails, so a fixed one is reported as an unexpected pass.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

# Per snippet; generous because a cold JVM or a first compile is slow.
CASE_TIMEOUT = float(os.environ.get("REQLAB_FIDELITY_TIMEOUT", "60"))
# Two cores on the test machine and the other xdist worker runs too.
PARALLEL = int(os.environ.get("REQLAB_FIDELITY_JOBS", "2"))


class Unavailable(Exception):  # noqa: N818 - reads as "runner unavailable"
    """The runtime cannot run here; the target is reported as not executed."""


@dataclass(frozen=True)
class Case:
    """One snippet to run: ``code`` for ``target`` sending fixture ``fixture``."""

    id: str  # "<target>:<fixture>", unique in a session
    target: str
    fixture: str
    code: str
    workdir: Path
    filename: str  # the target's file name, e.g. Main.java
    serial: int  # unique small number, handy for package or binary names
    style: str = "exact"  # the code style the snippet was generated in

    @property
    def path(self) -> Path:
        """Where the harness wrote ``code``: ``workdir / filename``."""
        return self.workdir / self.filename

    @property
    def ident(self) -> str:
        """``id`` as an identifier (letters, digits, underscores), for package names."""
        suffix = "" if self.style == "exact" else f"_{self.style}"
        return re.sub(r"\W", "_", f"{self.target}_{self.fixture}{suffix}").lower()


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str

    def tail(self, limit: int = 1500) -> str:
        text = (self.stderr or "") + ("\n" if self.stderr and self.stdout else "") + self.stdout
        return text if len(text) <= limit else "..." + text[-limit:]


@dataclass
class Runner:
    """Base class: run every case with one command each (override as needed)."""

    runtime: str = ""
    expected_failures: dict[str | tuple[str, str], str] = field(default_factory=dict)

    def prepare(self, cache_dir: Path) -> None:
        """Install or build what the batch needs; raise :class:`Unavailable` if impossible."""

    def run(self, cases: Sequence[Case]) -> dict[str, Result]:
        raise NotImplementedError

    def expected_failure(self, target: str, fixture: str) -> str | None:
        return self.expected_failures.get((target, fixture)) or self.expected_failures.get(fixture)

    def extra_headers(self, target: str) -> frozenset[str]:
        """Header names (lower case) ``target``'s runtime adds to every request
        beyond ``compare.ALLOWED_EXTRA`` (a browser's Origin, Sec-Fetch-*):
        allowed when the model does not set them, like the allowlist."""
        return frozenset()


@dataclass
class NotExecuted(Runner):
    """For targets whose runtime is not installable here: golden files only.

    ``syntax_check(path) -> Result`` may run a parser for the language.
    """

    reason: str = ""
    extension: str = "txt"
    syntax_check: Callable[[Path], Result] | None = None

    def prepare(self, cache_dir: Path) -> None:
        raise Unavailable(self.reason)


def require_tools(*names: str) -> dict[str, str]:
    """The full paths of ``names``; :class:`Unavailable` naming the missing ones."""
    found = {name: shutil.which(name) for name in names}
    missing = [n for n, p in found.items() if p is None]
    if missing:
        raise Unavailable(f"{', '.join(missing)} not installed (scripts/setup installs it)")
    return {n: p for n, p in found.items() if p}


def run_command(
    argv: Sequence[str],
    cwd: Path,
    *,
    timeout: float = CASE_TIMEOUT,
    env: dict[str, str] | None = None,
    stdin: bytes = b"",
) -> Result:
    """Run one process to completion; a timeout becomes returncode -9."""
    try:
        done = subprocess.run(
            list(argv),
            cwd=cwd,
            input=stdin,
            capture_output=True,
            timeout=timeout,
            env={**os.environ, **(env or {})},
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        return Result(-9, _text(exc.stdout), _text(exc.stderr) + f"\n[timed out after {timeout}s]")
    except OSError as exc:
        return Result(-1, "", f"could not start {argv[0]}: {exc}")
    return Result(done.returncode, _text(done.stdout), _text(done.stderr))


def run_commands(
    jobs: Iterable[tuple[Case, Sequence[str]]],
    *,
    timeout: float = CASE_TIMEOUT,
    env: dict[str, str] | None = None,
    parallel: int = PARALLEL,
) -> dict[str, Result]:
    """Run each case's command in its workdir, ``parallel`` at a time."""
    jobs = list(jobs)
    with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
        futures = {
            case.id: pool.submit(run_command, argv, case.workdir, timeout=timeout, env=env)
            for case, argv in jobs
        }
        return {case_id: future.result() for case_id, future in futures.items()}


def _text(data: bytes | str | None) -> str:
    if data is None:
        return ""
    return data if isinstance(data, str) else data.decode("utf-8", "replace")
