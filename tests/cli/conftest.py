"""A real ``reqlab echo`` process, and ``reqlab send`` run as a user runs it:
through the console script, with stdout a pipe or a terminal (a pty)."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
REQLAB = shutil.which("reqlab", path=str(BIN)) or shutil.which("reqlab") or "reqlab"
ENV = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "xterm"}


@dataclass
class Run:
    code: int
    out: bytes
    err: str


@pytest.fixture(scope="session")
def echo_url() -> Iterator[str]:
    proc = subprocess.Popen(
        [REQLAB, "echo", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()  # "reqlab echo listening on http://127.0.0.1:PORT"
    assert "listening on" in line, line
    yield line.split("listening on", 1)[1].split()[0]
    proc.terminate()
    proc.wait(timeout=10)


def send(
    *args: str,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    cwd: str | None = None,
) -> Run:
    proc = subprocess.run(
        [REQLAB, "send", *args],
        input=stdin,
        stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True,
        timeout=60,
        env=env or ENV,
        cwd=cwd,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace"))


def send_tty(
    *args: str,
    stdout_tty: bool = True,
    stderr_tty: bool = False,
    env: dict[str, str] | None = None,
    cwd: str | None = None,
) -> tuple[int, str, str]:
    """Run with stdout and/or stderr on a pseudo-terminal; (code, stdout, stderr)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [REQLAB, "send", *args],
        stdin=subprocess.DEVNULL,
        stdout=slave if stdout_tty else subprocess.PIPE,
        stderr=slave if stderr_tty else subprocess.PIPE,
        env=env or ENV,
        cwd=cwd,
    )
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    piped = proc.stdout or proc.stderr
    other = piped.read().decode() if piped is not None else ""
    code = proc.wait(timeout=30)
    tty_text = seen.decode("utf-8", "replace").replace("\r\n", "\n")
    return (code, tty_text, other) if stdout_tty else (code, other, tty_text)
