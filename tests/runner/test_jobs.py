"""How files run: each on a blocking client of its own (entries in order on
its connections), ``jobs`` files at a time in threads, reported in file
order; ``reqlab.run()`` needs no event loop and works inside one; the
asyncio twin ``arun`` (the web page's) gives the same results."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from reqlab.echo.testing import EchoHandle
from reqlab.runner import FileResult, RunConfig, arun, run

SLOW = "GET {{base}}/delay/2\nHTTP 200\n"
REUSED = (
    "GET {{base}}/echo\nHTTP 200\n[Asserts]\nconnection reused == false\nconnection id == 1\n\n"
    "GET {{base}}/echo\nHTTP 200\n[Asserts]\nconnection reused == true\nconnection id == 1\n"
    'jsonpath "$.method" == "GET"\n'
)


def files(tmp_path: Path) -> Path:
    (tmp_path / "a_slow.hurl").write_text(SLOW)
    (tmp_path / "b_fast.hurl").write_text(REUSED)
    return tmp_path


def names(results: list[FileResult]) -> list[str]:
    return [Path(f.filename).name for f in results]


def test_jobs_run_files_at_once_each_on_its_own_client(echo: EchoHandle, tmp_path: Path) -> None:
    done: list[FileResult] = []
    result = run(str(files(tmp_path)), variables={"base": echo.url}, jobs=2, progress=done.append)
    assert result.ok, [(f.filename, f.exit_code) for f in result.files]
    # the fast file finished while the slow one waited on the server...
    assert names(done) == ["b_fast.hurl", "a_slow.hurl"]
    # ...and the run reports them in file order
    assert names(result.files) == ["a_slow.hurl", "b_fast.hurl"]
    fast = result.files[1]
    assert (fast.requests, fast.reused, fast.connections) == (2, 1, 1)  # a client of its own


def test_one_job_runs_files_in_order(echo: EchoHandle, tmp_path: Path) -> None:
    done: list[FileResult] = []
    result = run(str(files(tmp_path)), variables={"base": echo.url}, progress=done.append)
    assert result.ok
    assert names(done) == ["a_slow.hurl", "b_fast.hurl"]


def test_run_works_inside_a_running_event_loop(echo: EchoHandle, tmp_path: Path) -> None:
    """Blocking, with no loop of its own: async code may call it (in a
    worker thread, or directly when blocking the loop is acceptable)."""
    (tmp_path / "b_fast.hurl").write_text(REUSED)

    async def main() -> tuple[bool, bool]:
        direct = run(str(tmp_path), variables={"base": echo.url})
        threaded = await asyncio.to_thread(run, str(tmp_path), variables={"base": echo.url})
        return direct.ok, threaded.ok

    assert asyncio.run(main()) == (True, True)


def test_arun_gives_the_blocking_runners_results(echo: EchoHandle, tmp_path: Path) -> None:
    (tmp_path / "b_fast.hurl").write_text(REUSED)
    (tmp_path / "c_fail.hurl").write_text(
        'GET {{base}}/echo\nHTTP 200\n[Asserts]\njsonpath "$.method" == "POST"\n'
    )
    variables = {"base": echo.url}
    blocking = run(str(tmp_path), variables=variables)
    entries: list[str] = []
    config = RunConfig(variables=variables, on_entry=lambda name, e: entries.append(name))
    asynchronous = asyncio.run(arun([str(tmp_path)], config))
    for r in (blocking, asynchronous):
        assert [(Path(f.filename).name, f.exit_code, f.reused) for f in r.files] == [
            ("b_fast.hurl", 0, 1),
            ("c_fail.hurl", 4, 0),
        ]
    failed = asynchronous.files[1].entries[0].failed_asserts[0]
    assert (failed.actual, failed.expected) == ("string <GET>", "string <POST>")
    assert [Path(n).name for n in entries] == ["b_fast.hurl", "b_fast.hurl", "c_fail.hurl"]


def test_an_error_in_a_worker_thread_reaches_the_caller(echo: EchoHandle, tmp_path: Path) -> None:
    """Not a file silently counted as "not run": the caller sees the error."""
    (tmp_path / "b_fast.hurl").write_text(REUSED)
    (tmp_path / "c_fast.hurl").write_text(REUSED)

    def progress(f: FileResult) -> None:
        raise RuntimeError(f"reporting {Path(f.filename).name} failed")

    with pytest.raises(RuntimeError, match=r"reporting [bc]_fast.hurl failed"):
        run(str(tmp_path), variables={"base": echo.url}, jobs=2, progress=progress)
