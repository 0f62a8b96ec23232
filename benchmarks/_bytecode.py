"""Byte-compile reqlab before a cold-start benchmark, as an install does.

``pip install`` writes every module's ``.pyc``, so an installed command
never compiles its own source; HTTPie, click and the standard library have
theirs.  A source checkout run with PYTHONDONTWRITEBYTECODE=1 (as the
project's shells are) never writes them, and each cold ``reqlab`` would
compile its ~100 modules from source first (~40% of its start-up here).
Compiling once up front makes the comparison the one a user meets;
``--source`` on the benchmarks keeps the uncompiled figure measurable.
"""

from __future__ import annotations

import compileall
import importlib.util
import os
from pathlib import Path


def compile_reqlab(env: dict[str, str] | None = None) -> str:
    """Byte-compile the reqlab package the benchmarked commands import;
    returns a line saying what was done, for the benchmark's output."""
    spec = importlib.util.find_spec("reqlab")
    if spec is None or not spec.submodule_search_locations:
        return "bytecode: reqlab not found, nothing compiled"
    package = Path(next(iter(spec.submodule_search_locations)))
    compileall.compile_dir(package, quiet=1)
    flag = (env or dict(os.environ)).get("PYTHONDONTWRITEBYTECODE")
    note = " (PYTHONDONTWRITEBYTECODE is set: they would not be written otherwise)" if flag else ""
    return f"bytecode: compiled {package}, as an install does{note}"
