"""``reqlab.run(paths, ...)``: run files and return their results.

Files run concurrently (``jobs`` at a time) on one event loop, each with its
own client; entries within a file run in order.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from reqlab.errors import FormatError
from reqlab.runner._execute import Bindable, RunConfig, maker_for, run_file
from reqlab.runner._results import FileResult, RunResult
from reqlab.runner._sources import SourceError, expand, load

Progress = Callable[[FileResult], None]


async def arun(
    paths: Iterable[str], config: RunConfig, progress: Progress | None = None
) -> RunResult:
    started = time.perf_counter()
    files = expand(paths)
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
    try:
        hurl = load(path)
        maker = maker_for(hurl, config)
    except (FormatError, SourceError) as exc:  # HurlSyntaxError, HttpFileError
        return FileResult(path, parse_error=str(exc))
    not_run = hurl.not_run() if isinstance(hurl, Bindable) else []  # .http scripts
    if not_run and config.strict:
        return FileResult(path, parse_error=f"{not_run[0]} (--strict)")
    result = await run_file(hurl, config, maker)
    result.warnings.extend(not_run)
    return result


def run(
    paths: str | Iterable[str],
    *,
    variables: Mapping[str, Any] | None = None,
    jobs: int = 1,
    retry: int = 0,
    retry_interval_ms: int = 1000,
    fail_fast: bool = False,
    http_version: str | None = None,
    insecure: bool = False,
    env: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
) -> RunResult:
    """Run Hurl and ``.http`` files (paths, directories or globs); returns a
    :class:`RunResult`.  ``env`` selects a ``.http`` workspace's environment;
    ``strict`` fails a ``.http`` file holding scripts (they are not run).

    result = reqlab.run("tests/api/", variables={"host": "127.0.0.1:8081"})
    assert result.ok, result.exit_code
    """
    config = RunConfig(
        variables=dict(variables or {}),
        jobs=jobs,
        retry=retry,
        retry_interval_ms=retry_interval_ms,
        fail_fast=fail_fast,
        http_version=http_version,
        insecure=insecure,
        env=env,
        strict=strict,
    )
    items = [paths] if isinstance(paths, str) else list(paths)
    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        return runner.run(arun(items, config, progress))


def loop_factory() -> Callable[[], asyncio.AbstractEventLoop]:
    """uvloop's loop when installed (the ``speed`` extra), else asyncio's."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop
    return uvloop.new_event_loop
