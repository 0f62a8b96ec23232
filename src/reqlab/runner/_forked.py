"""``--jobs`` in processes: forked workers run the files, the parent hands them out.

Python threads take turns on one core, so ``jobs`` threads run a set of
files no faster than one thread does (measured in ``benchmarks/run.py``).
From a process with no other thread alive (the CLI), the runner forks
``jobs`` workers instead, once its modules are imported: a fork costs about
a millisecond where a fresh interpreter costs a start-up.  Each worker runs
the files the parent sends it, one at a time, and sends back the pickled
:class:`~reqlab.runner._results.FileResult`; the parent keeps the results in
file order, reports each as it comes, and hands out no more files once told
to stop (``--fail-fast``).

The wire between them: the parent writes a file's index as 4 bytes (-1:
exit), the worker answers with a length-prefixed pickle of ``(True,
result)`` or ``(False, exception)``.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import selectors
import signal
import struct
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn

from reqlab.runner._execute import RunConfig
from reqlab.runner._results import FileResult

_INDEX = struct.Struct("!i")
_LENGTH = struct.Struct("!I")

RunPath = Callable[[str, RunConfig], FileResult]
OnResult = Callable[[int, FileResult], bool]  # False: hand out no more files


def can_fork() -> bool:
    """Forking is safe: POSIX, and no other thread that could hold a lock the
    child needs.  Not macOS: its system libraries may start threads of their
    own, which is why Python's multiprocessing does not fork there either."""
    return hasattr(os, "fork") and sys.platform != "darwin" and threading.active_count() == 1


@dataclass
class _Worker:
    pid: int
    to_child: int
    from_child: int
    index: int = -1  # the file it is running


def run_forked(
    files: list[str], config: RunConfig, jobs: int, run_path: RunPath, on_result: OnResult
) -> None:
    """Run ``files`` in ``jobs`` forked workers; ``on_result`` in this process, as each ends."""
    for stream in (sys.stdout, sys.stderr):  # else a child would write our buffer out again
        with contextlib.suppress(Exception):
            stream.flush()
    workers: list[_Worker] = []
    done = False
    try:
        for _ in range(jobs):
            workers.append(_fork(files, config, run_path))
        _hand_out(files, workers, on_result)
        done = True
    finally:
        _reap(workers, stop=not done)


def _hand_out(files: list[str], workers: list[_Worker], on_result: OnResult) -> None:
    todo = iter(range(len(files)))
    busy: dict[int, _Worker] = {}
    with selectors.DefaultSelector() as sel:
        for w in workers:
            if _give(w, next(todo, -1)):
                busy[w.from_child] = w
                sel.register(w.from_child, selectors.EVENT_READ)
        more = True
        while busy:
            for key, _ in sel.select():
                w = busy[key.fd]
                result = _answer(w, files)
                more = on_result(w.index, result) and more
                if not _give(w, next(todo, -1) if more else -1):
                    sel.unregister(w.from_child)
                    del busy[w.from_child]


def _give(w: _Worker, index: int) -> bool:
    """Send the worker its next file (-1: exit); True if it got one."""
    w.index = index
    try:
        os.write(w.to_child, _INDEX.pack(index))
    except OSError:  # not BrokenPipeError upwards: the CLI reads that as its reader gone
        if index < 0:
            return False  # it was to exit anyway
        raise RuntimeError(f"a --jobs worker (process {w.pid}) exited unexpectedly") from None
    return index >= 0


def _answer(w: _Worker, files: list[str]) -> FileResult:
    head = _read(w.from_child, _LENGTH.size)
    if head is None:
        raise RuntimeError(f"a --jobs worker exited while running {files[w.index]}")
    body = _read(w.from_child, _LENGTH.unpack(head)[0])
    if body is None:
        raise RuntimeError(f"a --jobs worker exited while running {files[w.index]}")
    ok, value = pickle.loads(body)
    if not ok:
        raise value  # as in one process: the caller sees the worker's error
    result: FileResult = value
    return result


def _read(fd: int, size: int) -> bytes | None:
    """Exactly ``size`` bytes, or None at end of file."""
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _fork(files: list[str], config: RunConfig, run_path: RunPath) -> _Worker:
    down_r, down_w = os.pipe()
    up_r, up_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker
        os.close(down_w)
        os.close(up_r)
        _serve(down_r, up_w, files, config, run_path)
    os.close(down_r)
    os.close(up_w)
    return _Worker(pid, down_w, up_r)


def _serve(rd: int, wr: int, files: list[str], config: RunConfig, run_path: RunPath) -> NoReturn:
    """The worker's life: run what the parent sends until -1; never returns."""
    code = 1
    try:
        # Ctrl-C reaches the whole process group: the parent reports it; a
        # worker just ends, without a traceback of its own
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        while (head := _read(rd, _INDEX.size)) is not None:
            index = _INDEX.unpack(head)[0]
            if index < 0:
                code = 0
                break
            payload = _run_one(files[index], config, run_path)
            os.write(wr, _LENGTH.pack(len(payload)))
            view = memoryview(payload)
            while view:
                view = view[os.write(wr, view) :]
    finally:
        os._exit(code)  # no atexit handlers, no buffers of the parent's flushed twice


def _run_one(path: str, config: RunConfig, run_path: RunPath) -> bytes:
    try:
        return pickle.dumps((True, run_path(path, config)), pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # a bug: raised in the parent, as one process would
        try:
            return pickle.dumps((False, exc), pickle.HIGHEST_PROTOCOL)
        except Exception:
            return pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}")))


def _reap(workers: list[_Worker], stop: bool) -> None:
    """Close the pipes (a worker waiting for a file then exits) and wait for
    every worker; ``stop``: we are leaving on an error, end the ones still running."""
    for w in workers:
        for fd in (w.to_child, w.from_child):
            with contextlib.suppress(OSError):
                os.close(fd)
    for w in workers:
        with contextlib.suppress(ChildProcessError, ProcessLookupError):
            if stop:
                os.kill(w.pid, signal.SIGTERM)
            os.waitpid(w.pid, 0)
