"""``reqlab serve`` as a subprocess, for attacks that measure the server's
own memory (RSS) or need two processes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


@contextmanager
def serve(tmp_path: Path, *args: str) -> Iterator[tuple[subprocess.Popen[str], dict[str, str]]]:
    spool = tmp_path / "tmp"  # the server's TMPDIR, where the client spools big bodies
    spool.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "xdg"),
        "PYTHONUNBUFFERED": "1",
        "TMPDIR": str(spool),
    }
    db = ["--db", f"sqlite:///{tmp_path / 'serve.db'}"]
    cmd = [sys.executable, "-m", "reqlab", "serve", "--port", "0", "--echo-port", "0", *db, *args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    urls: dict[str, str] = {}
    try:
        assert proc.stdout is not None
        for line in proc.stdout:  # wait for the announcement, not a sleep
            m = re.match(r"(reqlab workbench|reqlab echo server|database): (\S+)", line)
            if m:
                urls[m.group(1).removeprefix("reqlab ")] = m.group(2).rstrip("/")
            if line.startswith("Press Ctrl-C"):
                break
        assert "workbench" in urls, proc.stderr.read() if proc.stderr else ""
        yield proc, urls
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


class _Client(httpx.Client):
    def __enter__(self) -> _Client:  # already opened by the session request
        return self


def new_session(url: str, **kwargs: object) -> httpx.Client:
    """A fresh browser: its own cookie jar, a session minted by the server."""
    client = _Client(base_url=url, timeout=30, **kwargs)  # type: ignore[arg-type]
    r = client.get("/api/session")
    r.raise_for_status()
    client.headers["X-CSRF-Token"] = r.json()["csrf"]
    return client


def responsive(url: str) -> bool:
    with new_session(url) as c:
        return c.get("/api/history").status_code == 200
