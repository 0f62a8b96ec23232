"""``arun``: the runner on the asyncio engine, for callers that live in an
event loop and need it (the web page's Run button: its address guard is
the loop's).  Same rules as the blocking runner (``_execute.file_flow``);
files run concurrently, ``jobs`` at a time, each with its own client."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from contextlib import AsyncExitStack

from reqlab.client import AsyncClient
from reqlab.runner._api import Progress, prepare, write_outputs
from reqlab.runner._build import Transport
from reqlab.runner._execute import (
    Flow,
    Routed,
    RunConfig,
    client_settings,
    cookie_files,
    file_flow,
)
from reqlab.runner._results import FileResult, RunResult
from reqlab.runner._sources import expand


async def arun(
    paths: Iterable[str], config: RunConfig, progress: Progress | None = None
) -> RunResult:
    started = time.perf_counter()
    files = expand(paths) * max(config.repeat, 1)
    gate = asyncio.Semaphore(max(config.jobs, 1))
    stop = asyncio.Event()

    async def one(path: str) -> FileResult | None:
        async with gate:
            if stop.is_set():  # --fail-fast: not run, so not reported
                return None
            result = await _run_path(path, config)
            if config.fail_fast and not result.ok:
                stop.set()
            if progress is not None:
                progress(result)
            return result

    results = await asyncio.gather(*(one(p) for p in files))
    ran = [r for r in results if r is not None]
    return RunResult(ran, (time.perf_counter() - started) * 1000, not_run=len(files) - len(ran))


async def _run_path(path: str, config: RunConfig) -> FileResult:
    prepared = prepare(path, config)
    if isinstance(prepared, FileResult):
        return prepared
    hurl, maker, warnings = prepared
    async with AsyncClient(**client_settings(config)) as client, AsyncExitStack() as others:

        async def other(transport: Transport) -> AsyncClient:
            made = await others.enter_async_context(
                AsyncClient(**client_settings(config, transport))
            )
            made._share_cookies(client)
            return made

        with cookie_files(client, config):
            result = await adrive(file_flow(hurl, config, maker, client.jar), client, other)
    result.warnings.extend(warnings)
    write_outputs(result)
    return result


async def adrive(
    flow: Flow,
    client: AsyncClient,
    other: Callable[[Transport], Awaitable[AsyncClient]] | None = None,
) -> FileResult:
    """Run a flow on the asyncio client (``other`` as ``drive``'s)."""
    made: dict[Transport, AsyncClient] = {}
    try:
        step = next(flow)
        while True:
            if isinstance(step, float):
                await asyncio.sleep(step)
                step = flow.send(None)
                continue
            try:
                if isinstance(step, Routed):
                    assert other is not None, "a routed request needs a way to make its client"
                    if step.transport not in made:
                        made[step.transport] = await other(step.transport)
                    response = await made[step.transport].send(step.request)
                else:
                    response = await client.send(step)
            except Exception as exc:  # the flow decides what an error means
                step = flow.throw(exc)
            else:
                step = flow.send(response)
    except StopIteration as stop:
        result: FileResult = stop.value
        return result
