"""Helpers for the auth tests: the CLI as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_reqlab(*args: str, timeout: float = 30, env: dict[str, str] | None = None) -> Run:
    """``reqlab ARGS`` in a subprocess."""
    proc = subprocess.run(
        [sys.executable, "-m", "reqlab", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1", **(env or {})},
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


@contextmanager
def reqlab_echo(*args: str) -> Iterator[str]:
    """``reqlab echo --port 0 ARGS`` as a process; yields its base URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "reqlab", "echo", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # waits for "reqlab echo listening on URL"
        assert "listening on" in line, line + (proc.stderr.read() if proc.stderr else "")
        yield line.rsplit(" ", 1)[-1].strip()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
