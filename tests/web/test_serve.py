"""``reqlab serve`` as a user runs it: a subprocess, Ctrl-C, kill -9."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


@contextmanager
def serve(
    tmp_path: Path, *args: str, db: bool = True
) -> Iterator[tuple[subprocess.Popen[str], dict[str, str]]]:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "xdg"), "PYTHONUNBUFFERED": "1"}
    db_args = ["--db", f"sqlite:///{tmp_path / 'serve.db'}"] if db else []
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "reqlab",
            "serve",
            "--port",
            "0",
            "--echo-port",
            "0",
            *db_args,
            *args,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
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


@contextmanager
def session(url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=url, timeout=10) as client:
        client.headers["X-CSRF-Token"] = client.get("/api/session").json()["csrf"]
        yield client


def test_serve_prints_both_urls_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    with serve(tmp_path) as (proc, urls):
        assert urls["workbench"].startswith("http://127.0.0.1:")
        assert urls["echo server"].startswith("http://127.0.0.1:")
        with session(urls["workbench"]) as api:
            r = api.post("/api/send", json={"request": {"url": urls["echo server"] + "/get"}})
            assert r.status_code == 200 and r.json()["response"]["status"] == 200
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
        assert proc.returncode == 0, err
        assert "stopped" in out and "Traceback" not in err
        for url in (urls["workbench"], urls["echo server"]):  # both listeners are gone
            try:
                httpx.get(url + "/", timeout=2)
            except httpx.ConnectError:
                continue
            raise AssertionError(f"{url} still answers")


def test_no_echo_starts_only_the_workbench(tmp_path: Path) -> None:
    with serve(tmp_path, "--no-echo") as (proc, urls):
        assert "echo server" not in urls
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
        assert proc.returncode == 0


def test_kill_9_while_saving_loses_nothing_acknowledged(tmp_path: Path) -> None:
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()
    with serve(tmp_path) as (proc, urls):
        api_url = urls["workbench"]

        def saver(n: int) -> None:
            with session(api_url) as api:
                i = 0
                while not stop.is_set():
                    i += 1
                    try:
                        r = api.post(
                            "/api/requests",
                            json={
                                "name": f"w{n}-{i}",
                                "request": {"url": f"http://example.org/{n}/{i}"},
                            },
                        )
                    except httpx.HTTPError:
                        return  # the server died mid-request: not acknowledged
                    if r.status_code == 201:
                        with lock:
                            acknowledged.append(r.json()["id"])

        threads = [threading.Thread(target=saver, args=(n,)) for n in range(3)]
        for t in threads:
            t.start()
        # Kill while saves are in flight: wait until plenty were acknowledged.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with lock:
                if len(acknowledged) >= 60:
                    break
            if proc.poll() is not None or not any(t.is_alive() for t in threads):
                raise AssertionError("server or savers stopped early")
            threading.Event().wait(0.005)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        stop.set()
        for t in threads:
            t.join(timeout=10)
    with sqlite3.connect(tmp_path / "serve.db") as db:
        stored = {row[0] for row in db.execute("SELECT id FROM saved_requests")}
    missing = set(acknowledged) - stored
    assert not missing, f"{len(missing)} acknowledged saves lost"
    assert len(acknowledged) >= 60


def test_history_and_saved_survive_a_restart_in_the_xdg_database(tmp_path: Path) -> None:
    """No --db: SQLite in $XDG_DATA_HOME/reqlab/; the browser's cookie finds
    its history again after a restart (with a fresh CSRF token)."""
    with serve(tmp_path, db=False) as (proc, urls):
        assert urls["database"] == f"sqlite:///{tmp_path}/xdg/reqlab/reqlab.db"
        with session(urls["workbench"]) as api:
            api.post("/api/send", json={"request": {"url": urls["echo server"] + "/get?first=1"}})
            saved = api.post(
                "/api/requests", json={"name": "kept", "request": {"url": "http://a.example/"}}
            )
            cookies = dict(api.cookies)
            old_token = api.headers["X-CSRF-Token"]
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
    assert (tmp_path / "xdg" / "reqlab" / "reqlab.db").exists()
    with (
        serve(tmp_path, db=False) as (proc, urls),
        httpx.Client(base_url=urls["workbench"], cookies=cookies) as again,
    ):
        stale = again.get("/api/history", headers={"X-CSRF-Token": old_token})
        assert stale.status_code == 403  # the page refreshes its token from /api/session
        again.headers["X-CSRF-Token"] = again.get("/api/session").json()["csrf"]
        assert [h["url"].rsplit("/", 1)[1] for h in again.get("/api/history").json()] == [
            "get?first=1"
        ]
        assert [s["id"] for s in again.get("/api/requests").json()] == [saved.json()["id"]]


def test_startup_errors_are_one_line_each(tmp_path: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        cases = [
            (["--port", str(port)], f"cannot listen on 127.0.0.1 port {port}"),
            (["--port", "0", "--echo-port", str(port)], f"cannot listen on 127.0.0.1 port {port}"),
            (
                ["--db", "mysql://x@y/z"],
                "--db 'mysql://x@y/z': use sqlite:///PATH or postgresql://",
            ),
            (["--allow-private"], "--allow-private only makes sense with --public"),
        ]
        for args, expected in cases:
            db = [] if "--db" in args else ["--db", f"sqlite:///{tmp_path / 'e.db'}"]
            cmd = [sys.executable, "-m", "reqlab", "serve", *args, *db]
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
            assert r.returncode == 2, (args, r.stderr)
            lines = r.stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("reqlab: error: "), r.stderr
            assert expected in lines[0], (expected, lines[0])
