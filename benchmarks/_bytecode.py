"""Byte-compile reqlab before a cold-start benchmark, as an install does.

``pip install`` writes every module's ``.pyc``, so an installed command
never compiles its own source; HTTPie, click and the standard library have
theirs.  A source checkout run with PYTHONDONTWRITEBYTECODE=1 (as the
project's shells are) never writes them, and each cold ``reqlab`` would
compile its ~100 modules from source first (~40% of its start-up here).
Compiling once up front makes the comparison the one a user meets;
``--source`` on the benchmarks removes reqlab's caches instead, to measure
the uncompiled checkout.
"""

from __future__ import annotations

import compileall
import importlib.util
import os
import shutil
from pathlib import Path


def _package() -> Path | None:
    spec = importlib.util.find_spec("reqlab")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def compile_reqlab(env: dict[str, str] | None = None, source: bool = False) -> str:
    """Byte-compile the reqlab package the benchmarked commands import (or,
    with ``source``, remove its caches); returns a line saying what was done,
    for the benchmark's output."""
    package = _package()
    if package is None:
        return "bytecode: reqlab not found, nothing compiled"
    if source:
        for cache in package.rglob("__pycache__"):
            shutil.rmtree(cache, ignore_errors=True)
        return f"bytecode: removed under {package} (--source: compiled from source on every start)"
    compileall.compile_dir(package, quiet=1)
    flag = (env or dict(os.environ)).get("PYTHONDONTWRITEBYTECODE")
    note = " (PYTHONDONTWRITEBYTECODE is set: they would not be written otherwise)" if flag else ""
    return f"bytecode: compiled {package}, as an install does{note}"
