"""Run many Python snippets fast: import the libraries once, fork per snippet.

Started as ``python _pyfork.py`` with a JSON list of cases on stdin.  The
parent imports requests, httpx, aiohttp and urllib3 (the slow part of every
snippet's start), then forks one child per case; the child changes to the
case's directory, points fds 1 and 2 at files and runs the snippet file as
``__main__`` with :mod:`runpy` - the real interpreter and libraries, the code
exactly as printed, minus ~0.5 s of imports each.  Prints ``{id: exit code}``.
"""

from __future__ import annotations

import contextlib
import json
import os
import runpy
import signal
import sys
import traceback

for _module in ("requests", "httpx", "h2", "aiohttp", "urllib3", "http.client", "json", "yarl"):
    with contextlib.suppress(ImportError):
        __import__(_module)


def child(case: dict, timeout: int) -> int:
    os.chdir(case["workdir"])
    for fd, name in ((1, "stdout"), (2, "stderr")):
        target = os.open(case[name], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(target, fd)
        os.close(target)
    sys.argv = [case["path"]]
    sys.path[0] = case["workdir"]
    signal.alarm(timeout)  # the default SIGALRM action ends a hung snippet
    try:
        runpy.run_path(case["path"], run_name="__main__")
        return 0
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        traceback.print_exc()
        return 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


def main() -> None:
    cases = json.load(sys.stdin)
    jobs, timeout = int(sys.argv[1]), int(sys.argv[2])
    running: dict[int, str] = {}
    codes: dict[str, int] = {}

    def reap() -> None:
        pid, status = os.wait()
        codes[running.pop(pid)] = os.waitstatus_to_exitcode(status)

    for case in cases:
        while len(running) >= jobs:
            reap()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = child(case, timeout)
            finally:
                os._exit(code)
        running[pid] = case["id"]
    while running:
        reap()
    print(json.dumps(codes))


if __name__ == "__main__":
    main()
