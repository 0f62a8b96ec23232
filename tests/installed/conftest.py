"""The product as a user meets it: the wheel, alone, in a fresh virtual environment.

The rest of the suite imports ``reqlab`` from the source tree, inside a
pytest process that has already imported half the standard library; that is
how a missing ``import importlib.util`` or an undeclared dependency once
shipped.  Here the wheel is built from this checkout, installed with only its
declared dependencies into a new venv, and driven through its console script
in subprocesses whose environment holds nothing of ours (no PYTHONPATH, a
private HOME, the working directory outside the checkout).

Every test of this tier is in one xdist group, so one worker builds the
wheel and the venv once for the run.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import venv
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.xdist_group("installed")


@dataclass(frozen=True)
class Installed:
    """A venv holding only the reqlab wheel and its declared dependencies."""

    venv: Path
    home: Path
    wheel: Path

    @property
    def reqlab(self) -> str:
        return str(self.venv / "bin" / "reqlab")

    @property
    def python(self) -> str:
        return str(self.venv / "bin" / "python")

    def env(self) -> dict[str, str]:
        """A user's environment: none of the test process's Python settings."""
        return {
            "PATH": f"{self.venv / 'bin'}:/usr/local/bin:/usr/bin:/bin",
            "HOME": str(self.home),
            "XDG_DATA_HOME": str(self.home / ".local" / "share"),
            "XDG_CONFIG_HOME": str(self.home / ".config"),
            "XDG_CACHE_HOME": str(self.home / ".cache"),
            "LANG": "C.UTF-8",
            "PYTHONUNBUFFERED": "1",
        }

    def run(
        self, *args: str, input: str | None = None, timeout: float = 60
    ) -> subprocess.CompletedProcess[str]:
        """Run ``reqlab ARGS`` to completion; no traceback may reach stderr."""
        done = subprocess.run(
            [self.reqlab, *args],
            input=input,
            capture_output=True,
            text=True,
            env=self.env(),
            cwd=self.home,
            timeout=timeout,
        )
        assert "Traceback" not in done.stderr, done.stderr
        assert "Traceback" not in done.stdout, done.stdout
        return done

    @contextmanager
    def start(self, *args: str, ready: str, lines: int) -> Iterator[list[str]]:
        """Start a long-running subcommand; yield its first ``lines`` lines of
        stdout (read until ``ready`` appears), then stop it with Ctrl-C."""
        proc = subprocess.Popen(
            [self.reqlab, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.env(),
            cwd=self.home,
        )
        seen: list[str] = []
        try:
            assert proc.stdout is not None
            for line in proc.stdout:  # the announcement, not a sleep
                seen.append(line.rstrip("\n"))
                if ready in line or len(seen) >= lines:
                    break
            assert any(ready in line for line in seen), (seen, _drain(proc))
            yield seen
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            err = proc.stderr.read() if proc.stderr else ""
            assert "Traceback" not in err, err


def _drain(proc: subprocess.Popen[str]) -> str:
    proc.kill()
    out, err = proc.communicate(timeout=10)
    return f"exit {proc.returncode}\n{out}\n{err}"


def _build_wheel(out: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    (wheel,) = out.glob("reqlab-*.whl")
    return wheel


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("installed")
    wheel = _build_wheel(base / "dist")
    env_dir = base / "venv"
    # with_pip: the venv gets its own pip; nothing of the test venv leaks in
    # (system_site_packages is off by default).
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    pip = subprocess.run(
        [str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q",
         "--disable-pip-version-check", str(wheel)],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("PYTHON")},
    )  # fmt: skip
    assert pip.returncode == 0, pip.stderr
    home = base / "home"
    home.mkdir()
    return Installed(venv=env_dir, home=home, wheel=wheel)


def announced(lines: list[str], pattern: str) -> str:
    """The first URL in ``lines`` on a line matching ``pattern``."""
    for line in lines:
        if re.search(pattern, line):
            m = re.search(r"(https?://[^\s/]+)", line)
            if m:
                return m.group(1)
    raise AssertionError(f"no line matching {pattern!r} in {lines}")
