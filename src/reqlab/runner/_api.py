"""``reqlab.run(paths, ...)``: run files and return their results.

Each file runs on a blocking client of its own, its entries in order (so
they reuse its connections); with ``jobs`` above one, that many threads
take the files in turn, or, when ``RunConfig.fork_jobs`` asks and nothing
else runs in the process (the CLI), that many forked workers
(:mod:`reqlab.runner._forked`).  No event loop is started: a run imports neither
asyncio nor its TLS and executor modules (``arun`` in ``_async`` is the
asyncio twin, for callers inside a loop).
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from reqlab.errors import FormatError
from reqlab.formats.hurl import ast
from reqlab.runner._build import EntrySettings, Transport
from reqlab.runner._execute import Bindable, RequestMaker, RunConfig, maker_for, run_file
from reqlab.runner._results import FileResult, RunResult
from reqlab.runner._sources import SourceError, expand, load

Progress = Callable[[FileResult], None]


def prepare(
    path: str, config: RunConfig
) -> tuple[ast.HurlFile, RequestMaker, list[str]] | FileResult:
    """Read and parse a file and bind it for the run; a FileResult holding
    the parse error when that fails.  The list: warnings for the report."""
    try:
        hurl = load(path)
        maker = maker_for(hurl, config)
    except (FormatError, SourceError) as exc:  # HurlSyntaxError, HttpFileError
        return FileResult(path, parse_error=str(exc))
    not_run = hurl.not_run() if isinstance(hurl, Bindable) else []  # .http scripts
    if not_run and config.strict:
        return FileResult(path, parse_error=f"{not_run[0]} (--strict)")
    return hurl, maker, not_run


def run_path(path: str, config: RunConfig) -> FileResult:
    prepared = prepare(path, config)
    if isinstance(prepared, FileResult):
        return prepared
    hurl, maker, warnings = prepared
    result = run_file(hurl, config, maker)
    result.warnings.extend(warnings)
    write_outputs(result)
    return result


def write_outputs(result: FileResult) -> None:
    """Hurl's ``output`` option: each such entry's response body to its file
    (or stdout for ``-``); a file that cannot be written fails the entry."""
    for entry in result.entries:
        exchange = entry.exchange
        if entry.output is None or exchange is None:
            continue
        if entry.output == "-":
            sys.stdout.buffer.write(exchange.body)
            sys.stdout.flush()
            continue
        try:  # no folder is made for it, as Hurl makes none
            Path(entry.output).write_bytes(exchange.body)
        except OSError as exc:
            entry.error = f"cannot write {entry.output}: {exc.strerror}"


def _in_processes(
    files: list[str],
    config: RunConfig,
    jobs: int,
    results: list[FileResult | None],
    progress: Progress | None,
) -> bool:
    """Run the files in forked workers when the config asks and it is safe; False if not."""
    if not config.fork_jobs:
        return False
    from reqlab.runner import _forked  # only for --jobs: it loads pickle and selectors

    if not _forked.can_fork():
        return False
    _forked.run_forked(files, config, jobs, run_path, _collect(results, config, progress))
    return True


def _collect(
    results: list[FileResult | None], config: RunConfig, progress: Progress | None
) -> Callable[[int, FileResult], bool]:
    """A forked run's results, put in file order and reported; False once --fail-fast stops it."""

    def on_result(index: int, result: FileResult) -> bool:
        results[index] = result
        if progress is not None:
            progress(result)
        return result.ok or not config.fail_fast

    return on_result


def run_files(
    paths: Iterable[str], config: RunConfig, progress: Progress | None = None
) -> RunResult:
    """Run files (paths, directories or globs) with ``config.jobs`` threads."""
    started = time.perf_counter()
    files = expand(paths) * max(config.repeat, 1)  # Hurl's --repeat: the sequence again
    results: list[FileResult | None] = [None] * len(files)
    todo = iter(enumerate(files))
    lock = threading.Lock()  # hands out files; serializes progress calls
    stop = threading.Event()
    crashed: list[BaseException] = []

    def worker() -> None:
        while not stop.is_set():
            with lock:
                index, path = next(todo, (-1, ""))
            if index < 0:
                return
            try:
                result = run_path(path, config)
                results[index] = result
                if progress is not None:
                    with lock:
                        progress(result)
            except BaseException as exc:  # a bug, or a progress callback's error: raised below
                crashed.append(exc)
                stop.set()
                return
            if config.fail_fast and not result.ok:
                stop.set()  # --fail-fast: files not started are not run, nor reported

    jobs = min(max(config.jobs, 1), len(files))
    if jobs <= 1:
        worker()
    elif not _in_processes(files, config, jobs, results, progress):
        threads = [threading.Thread(target=worker, daemon=True) for _ in range(jobs)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    if crashed:  # as in one thread: the caller sees the error, not a silent "not run"
        raise crashed[0]
    ran = [r for r in results if r is not None]
    return RunResult(ran, (time.perf_counter() - started) * 1000, not_run=len(files) - len(ran))


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
    cafile: str | None = None,
    cert: str | None = None,
    key: str | None = None,
    proxy: str | None = None,
    secrets: Mapping[str, str] | None = None,
) -> RunResult:
    """Run Hurl and ``.http`` files (paths, directories or globs); returns a
    :class:`RunResult`.  ``env`` selects a ``.http`` workspace's environment;
    ``strict`` fails a ``.http`` file holding scripts (they are not run).
    ``cafile``, ``cert`` (``FILE`` or ``FILE:PASSWORD``), ``key`` and
    ``proxy`` are Hurl's ``--cacert``, ``--cert``, ``--key``, ``--proxy``;
    ``secrets`` are variables whose values no report shows.
    Blocking, and safe to call from async code's worker thread.

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
        entry=EntrySettings(transport=Transport(cafile, cert, key, proxy)),
        secrets=dict(secrets or {}),
    )
    items = [paths] if isinstance(paths, str) else list(paths)
    return run_files(items, config, progress)
