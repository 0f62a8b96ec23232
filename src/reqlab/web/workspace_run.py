"""The sidebar's Run button: ``GET /api/workspace/run?path=P&env=E`` runs a
workspace file or folder with :func:`reqlab.runner.arun` (the asyncio runner:
the address guard of a public instance is its event loop) and streams the
results as server-sent events, one per entry as it finishes:

* ``entry``: file, method, URL, status, each assert's verdict with expected
  and actual, timings, whether the connection was reused;
* ``file``: the file's verdict, requests, reuse, time;
* ``done``: the summary (files passed/failed, requests, reused, exit code);
* ``failure``: the run could not start (a bad path), with the message.

The environment picked in the page supplies the variables (its private
values too, masked as ``{{name}}`` in everything streamed back).  A public
instance offers this only when it serves a workspace at all, checks every
target with the SSRF guard as a send is checked, and bounds the run's time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from collections.abc import AsyncIterator
from dataclasses import fields
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request as HTTPRequest
from starlette.responses import Response, StreamingResponse

from reqlab.runner import EntryResult, FileResult, RunConfig, RunResult, arun
from reqlab.web.config import WebConfig
from reqlab.web.errors import APIError
from reqlab.web.guard import guarding, loop_guards
from reqlab.web.sender import guarded
from reqlab.web.workspace_host import BadPath, WorkspaceHost
from reqlab.web.workspace_send import host_of, mask_tree
from reqlab.workspace import Workspace

RUNNABLE = (".hurl", ".http", ".rest")


def hurl_files(root: Path) -> list[str]:
    """The ``.hurl`` files of a workspace (hidden directories skipped), for the tree."""
    found = []
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        rel = Path(directory).relative_to(root)
        found += [(rel / f).as_posix() for f in sorted(files) if f.endswith(".hurl")]
    return found


def target(host: WorkspaceHost, rel: str) -> str:
    """``rel`` (a file or folder; empty: the whole workspace) inside the workspace."""
    if not rel:
        return str(host.root)
    if "\\" in rel or "\0" in rel or rel.startswith("/"):
        raise BadPath(f"path {rel!r}: give a path relative to the workspace")
    if any(part in ("..", ".", "") for part in rel.split("/")):
        raise BadPath(f"path {rel!r}: '..' and empty segments are not allowed")
    full = (host.root / rel).resolve()
    if not full.is_relative_to(host.root) or not full.exists():
        raise BadPath(f"path {rel!r}: no such file or folder in the workspace")
    if full.is_file() and full.suffix not in RUNNABLE:
        raise BadPath(f"path {rel!r}: only {', '.join(RUNNABLE)} files run")
    return str(full)


def env_variables(ws: Workspace, env: str | None) -> tuple[dict[str, str], dict[str, str]]:
    """The environment's values as run variables, and its secrets (value -> name)."""
    values: dict[str, str] = {}
    secrets: dict[str, str] = {}
    for layer in reversed(ws.environments.layers(env)):  # the first layer wins
        values.update(layer.values)
        if layer.secret:
            secrets.update({v: k for k, v in layer.values.items() if v})
    return values, secrets


def run_config(values: dict[str, str], env: str | None) -> RunConfig:
    config = RunConfig(variables=dict(values), continue_on_error=False)
    if "env" in {f.name for f in fields(RunConfig)}:  # .http files read the environment too
        config.env = env  # type: ignore[attr-defined,unused-ignore]
    return config


class Events:
    """Turns run results into masked JSON events for the page."""

    def __init__(self, root: Path, secrets: dict[str, str]) -> None:
        self.root = root
        self.secrets = secrets
        self.queue: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()

    def rel(self, filename: str) -> str:
        with contextlib.suppress(ValueError):
            return Path(filename).resolve().relative_to(self.root).as_posix()
        return filename

    def put(self, kind: str, data: dict[str, Any]) -> None:
        self.queue.put_nowait((kind, mask_tree(data, self.secrets)))

    def entry(self, filename: str, er: EntryResult) -> None:
        x = er.exchange
        conn = x.connection if x is not None else None
        self.put(
            "entry",
            {
                "file": self.rel(filename),
                "index": er.index,
                "line": er.line,
                "method": er.method,
                "url": x.url if x is not None else er.url,
                "status": x.status if x is not None else None,
                "version": x.version if x is not None else None,
                "ok": er.ok,
                "skipped": er.skipped,
                "error": er.error,
                "error_pos": er.error_pos,
                "time_ms": round(er.time_ms, 3),
                "timings": x.timings.to_json() if x is not None else None,
                "reused": bool(conn and conn.reused),
                "connection": conn.id if conn is not None else None,
                "asserts": [
                    {
                        "text": a.text,
                        "line": a.pos.line,
                        "ok": a.ok,
                        "expected": a.expected,
                        "actual": a.actual,
                        "error": a.error,
                        "implicit": a.implicit,
                    }
                    for a in er.asserts
                ],
            },
        )

    def file(self, f: FileResult) -> None:
        self.put(
            "file",
            {
                "file": self.rel(f.filename),
                "ok": f.ok,
                "exit_code": f.exit_code,
                "parse_error": f.parse_error,
                "requests": f.requests,
                "reused": f.reused,
                "connections": f.connections,
                "time_ms": round(f.time_ms, 3),
            },
        )

    def done(self, run: RunResult) -> None:
        passed = sum(1 for f in run.files if f.ok)
        self.put(
            "done",
            {
                "ok": run.ok,
                "exit_code": run.exit_code,
                "files": len(run.files),
                "passed": passed,
                "failed": len(run.files) - passed,
                "entries": sum(len(f.entries) for f in run.files),
                "requests": sum(f.requests for f in run.files),
                "reused": sum(f.reused for f in run.files),
                "time_ms": round(run.time_ms, 3),
            },
        )


async def run(request: HTTPRequest) -> Response:
    host = host_of(request)
    config: WebConfig = request.app.state.config
    env = request.query_params.get("env") or None
    path = await run_in_threadpool(target, host, request.query_params.get("path", ""))
    ws = await run_in_threadpool(host.current)
    values, secrets = env_variables(ws, env)
    events = Events(host.root, {**host.secrets, **secrets})
    run_cfg = run_config(values, env)
    run_cfg.on_entry = events.entry
    run_cfg.entry.local_files = not config.public  # its [Options] read and write no file
    guard: contextlib.AbstractContextManager[None] = contextlib.nullcontext()
    if guarded(config):
        if not loop_guards():
            raise APIError(500, "this public instance runs without its address guard")
        guard = guarding(config.echo_origin)
    limit = config.public_run_max_time if config.public else None

    async def whole() -> None:
        try:
            result = await asyncio.wait_for(arun([path], run_cfg, events.file), limit)
        except TimeoutError:
            events.put("failure", {"message": f"the run took over {limit:g} s and was stopped"})
        except Exception as exc:  # e.g. no runnable file in the folder; masked as all events
            events.put("failure", {"message": str(exc) or type(exc).__name__})
        else:
            events.done(result)

    with guard:  # the task copies the context: every connection of the run is guarded
        task = asyncio.create_task(whole())
    return StreamingResponse(_stream(events, task), media_type="text/event-stream")


async def _stream(events: Events, task: asyncio.Task[None]) -> AsyncIterator[bytes]:
    try:
        while True:
            kind, data = await events.queue.get()
            line = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            yield f"event: {kind}\ndata: {line}\n\n".encode()
            if kind in ("done", "failure"):
                return
    finally:
        task.cancel()  # the page went away: stop sending
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
