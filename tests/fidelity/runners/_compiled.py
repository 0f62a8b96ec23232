"""Helpers for runners of compiled languages (Go, Rust, JVM, C#).

The pattern they share: copy every case's source into one build tree in the
cache directory, compile the whole batch with one compiler invocation (fast:
dependencies and the compiler start once), and run each program with its
case's workdir as the current directory.  When the batch does not compile,
each case is compiled on its own so the error lands on the case that caused
it rather than failing every fixture.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fidelity.harness import PARALLEL, Case, Result, run_command

# A whole batch compiles in one go; allow for a cold compiler on two busy cores.
BUILD_TIMEOUT = float(os.environ.get("REQLAB_FIDELITY_BUILD_TIMEOUT", "600"))


def cache_root(cache_dir: Path, family: str) -> Path:
    """``cache_dir/family``: kept across test runs (the session's cache dir is
    outside the repository), so dependency builds happen once per machine."""
    path = cache_dir / family
    path.mkdir(parents=True, exist_ok=True)
    return path


def build_dir(cases: Sequence[Case], name: str = "_build") -> Path:
    """A fresh build tree for this batch, next to its cases' workdirs (unique
    to the test session): concurrent test runs on one machine share the cache
    directory, and a shared source tree would let one run execute the other's
    programs."""
    return fresh_dir(cases[0].workdir.parent / name)


def fresh_dir(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def build_batch(
    cases: Sequence[Case],
    build_all: Callable[[Sequence[Case]], Result],
    build_one: Callable[[Case], Result],
) -> dict[str, Result]:
    """Compile ``cases``; return the compile failure of each case that has one."""
    if not cases:
        return {}
    result = build_all(cases)
    if result.returncode == 0:
        return {}
    with ThreadPoolExecutor(max_workers=max(1, PARALLEL)) as pool:
        singles = dict(zip([c.id for c in cases], pool.map(build_one, cases), strict=True))
    failed = {
        case_id: Result(r.returncode, r.stdout, "compile error:\n" + r.stderr)
        for case_id, r in singles.items()
        if r.returncode != 0
    }
    if not failed:  # the batch failed for a reason no single case shows
        return {c.id: Result(result.returncode, result.stdout, result.stderr) for c in cases}
    return failed


def run_built(
    cases: Sequence[Case],
    failed: dict[str, Result],
    argv: Callable[[Case], Sequence[str]],
    *,
    env: dict[str, str] | None = None,
) -> dict[str, Result]:
    """Run every case that compiled, ``PARALLEL`` at a time, in its workdir."""
    results = dict(failed)
    todo = [c for c in cases if c.id not in failed]
    with ThreadPoolExecutor(max_workers=max(1, PARALLEL)) as pool:
        runs = pool.map(lambda c: run_command(argv(c), c.workdir, env=env), todo)
        results.update(zip([c.id for c in todo], runs, strict=True))
    return results
