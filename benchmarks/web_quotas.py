"""Issue 15's resource-exhaustion attacks on ``reqlab serve --public``, measured.

    python benchmarks/web_quotas.py                          # this tree
    python benchmarks/web_quotas.py --src /work/main/src     # another tree, side by side

Starts ``reqlab serve --public`` (a subprocess, its own TMPDIR and SQLite
file) from each source tree given, and plays the issue's two attacks:

* **bodies**: 25 sends of 8 MB (a POST to the echo server's /anything, which
  answers with it), each from a new session;
* **history**: 10 sends of a 10 MB body to a refused target (10.0.0.1).

Each attack runs against a fresh server.  Prints, per tree: RSS before and
after (and the peak, VmHWM), bytes left in the server's TMPDIR, database
size (with its WAL) before and after, and how the sends were answered.
Every request rotates ``X-Forwarded-For``, as the issue's attacker did (a
server that believes it from loopback lets it escape the rate limit); a tree
that has ``--limit`` gets a rate limit high enough for the attack instead.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

MB = 1024 * 1024


@contextmanager
def serve(src: str, tmp: Path) -> Iterator[tuple[subprocess.Popen[str], dict[str, str]]]:
    (tmp / "t").mkdir()
    env = {**os.environ, "PYTHONPATH": src, "PYTHONUNBUFFERED": "1", "TMPDIR": str(tmp / "t")}
    help_text = subprocess.run(
        [sys.executable, "-m", "reqlab", "serve", "--help"], env=env, capture_output=True, text=True
    ).stdout
    limits = ["--limit", "rate_burst=1000"] if "--limit" in help_text else []
    proc = subprocess.Popen(
        [sys.executable, "-m", "reqlab", "serve", "--public", "--port", "0", "--echo-port", "0"]
        + ["--db", f"sqlite:///{tmp / 'q.db'}", *limits],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    urls: dict[str, str] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        m = re.match(r"reqlab (workbench|echo server): (\S+)", line)
        if m:
            urls[m.group(1)] = m.group(2).rstrip("/")
        if line.startswith("Press Ctrl-C"):
            break
    try:
        yield proc, urls
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def status(pid: int, key: str) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def tree_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def db_bytes(tmp: Path) -> int:
    return sum(p.stat().st_size for p in tmp.glob("q.db*") if p.suffix != ".lock")


def send(web: str, n: int, request: dict[str, object]) -> int:
    """One send from a new session; the answer's status (or the session's refusal)."""
    xff = {"X-Forwarded-For": f"198.51.100.{n % 250}"}
    with httpx.Client(base_url=web, timeout=120, headers=xff) as c:
        r = c.get("/api/session")
        if r.status_code != 200:
            return r.status_code
        c.headers["X-CSRF-Token"] = r.json()["csrf"]
        return c.post("/api/send", json={"request": request}).status_code


def attack(src: str, name: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        with serve(src, tmp) as (proc, urls):
            web, echo = urls["workbench"], urls["echo server"]
            send(web, 0, {"url": echo + "/get"})  # warm up: imports, first session
            rss0, db0 = status(proc.pid, "VmRSS"), db_bytes(tmp)
            if name == "bodies":
                body = {"kind": "text", "text": "a" * (8 * MB)}
                req = {"method": "POST", "url": echo + "/anything", "body": body}
                codes = [send(web, i + 1, req) for i in range(25)]
            else:
                body = {"kind": "text", "text": "b" * (10 * MB - 4096)}
                req = {"method": "POST", "url": "http://10.0.0.1/", "body": body}
                codes = [send(web, 1, req) for _ in range(10)]
            rss1, peak = status(proc.pid, "VmRSS"), status(proc.pid, "VmHWM")
            left = tree_bytes(tmp / "t")
            db1 = db_bytes(tmp)
        answered = ", ".join(f"{n}x{c}" for c, n in sorted(collections.Counter(codes).items()))
        print(
            f"  {name:7} RSS {rss0:6.1f} -> {rss1:6.1f} MB (peak {peak:6.1f})"
            f"  TMPDIR {left / MB:6.1f} MB  db {db0 / MB:5.1f} -> {db1 / MB:6.1f} MB"
            f"  answers: {answered}"
        )


def main() -> None:
    here = str(Path(__file__).resolve().parents[1] / "src")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", action="append", help="a source tree (default: this one)")
    args = parser.parse_args()
    for src in args.src or [here]:
        print(src)
        attack(src, "bodies")
        attack(src, "history")


if __name__ == "__main__":
    main()
