"""``reqlab run``: run Hurl and ``.http`` files as tests (see docs/run.md).

Exit status as Hurl's: 0 all passed, 2 a file could not be parsed (or
read), 3 a runtime error (connection, undefined variable...), 4 an assert
failed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import click

from reqlab.cli._run_opts import OPTIONS as REQUEST_OPTIONS
from reqlab.cli._run_opts import RUN_OPTIONS, config_fields, name_value, read_pairs
from reqlab.client import Exchange
from reqlab.runner import _terminal
from reqlab.runner._api import run_files
from reqlab.runner._execute import RunConfig
from reqlab.runner._results import FileResult
from reqlab.runner._sources import SourceError, expand
from reqlab.runner._values import from_text


def _variables(pairs: tuple[str, ...], files: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in os.environ.items():  # HURL_VARIABLE_name, and Hurl's older HURL_name
        if key.startswith("HURL_VARIABLE_"):
            out[key.removeprefix("HURL_VARIABLE_")] = from_text(value)
        elif key.startswith("HURL_SECRET_"):
            continue  # a secret (cli/_run_opts.py)
        elif key.startswith("HURL_") and not key[5:].isupper():  # HURL_JOBS... are options
            out[key[5:]] = from_text(value)
    for path in files:
        for key, value in read_pairs(path, "--variables-file"):
            out[key] = from_text(value)
    for pair in pairs:
        key, value = name_value(pair, "--variable")
        out[key] = from_text(value)
    return out


@contextmanager
def _progress(wanted: bool) -> Iterator[Callable[[str, float], None]]:
    """A transient bar on a terminal (rich prints our lines above it); rich
    is imported only then, so a plain run starts faster.  The bar starts at
    the first file's end: a ``--jobs`` run forks its workers before that,
    while no thread of rich's is alive."""
    if not wanted or not sys.stderr.isatty():
        yield lambda _what, _fraction: None
        return
    with ExitStack() as stack:
        bar: Callable[[str, float], None] | None = None

        def update(what: str, fraction: float) -> None:
            nonlocal bar
            if bar is None:
                from rich.console import Console

                from reqlab.cli._progress import progress_bar

                bar = stack.enter_context(progress_bar(Console(stderr=True), True))
            bar(what, fraction)

        yield update


def _last_bodies(files: list[FileResult], output: str | None, include: bool) -> None:
    """Hurl's output: each passing file's last response body, to stdout or
    ``-o FILE``; with ``include`` (``-i``) its status line and headers first."""
    lasts = [f.entries[-1].exchange for f in files if f.ok and f.entries]
    bodies = [_head(last) + last.body if include else last.body for last in lasts if last]
    if output is None or output == "-":
        for body in bodies:
            sys.stdout.buffer.write(body)
        sys.stdout.flush()
        return
    try:
        Path(output).write_bytes(b"".join(bodies))
    except OSError as exc:
        raise click.BadParameter(f"{output}: {exc.strerror}", param_hint="--output") from None


def _write_curl(files: list[FileResult], path: str) -> None:
    """Hurl's ``--curl FILE``: every request sent, in file order, as a curl
    command (secrets masked as in every other output)."""
    commands = [_terminal.masked(f, c) for f in files for e in f.entries for c in e.curl]
    try:
        Path(path).write_text("".join(c if c.endswith("\n") else c + "\n" for c in commands))
    except OSError as exc:
        raise click.BadParameter(f"{path}: {exc.strerror}", param_hint="--curl") from None


def _head(exchange: Exchange) -> bytes:
    lines = [f"{exchange.response_version} {exchange.status} {exchange.reason}".rstrip()]
    lines += [f"{name}: {value}" for name, value in exchange.response_headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")


def _with(options: list[Callable[[Any], Any]]) -> Callable[[Any], Any]:
    """A decorator adding ``options`` (``cli/_run_opts.py``) in their order."""

    def add(command: Any) -> Any:
        for option in reversed(options):
            command = option(command)
        return command

    return add


def _usable_cpus() -> int:
    """The CPUs this process may run on (a CI container's cpuset, not the host's count)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _export(paths: tuple[str, ...], variables: dict[str, Any], output: str | None) -> None:
    from reqlab.formats.hurl import HurlSyntaxError
    from reqlab.runner._export import locustfile
    from reqlab.runner._sources import load

    if len(paths) != 1:
        raise click.UsageError("--export takes exactly one file")
    if not paths[0].endswith(".hurl"):  # a .http file's variables follow other rules
        raise click.UsageError("--export locust takes a .hurl file")
    try:
        hurl = load(paths[0])
        code = locustfile(
            hurl, Path(paths[0]).read_text(encoding="utf-8"), variables, output or "locustfile.py"
        )
    except (HurlSyntaxError, SourceError) as exc:
        click.echo(f"reqlab: error: {exc}", err=True)
        sys.exit(2)
    if output:
        Path(output).write_text(code, encoding="utf-8")
    else:
        click.echo(code, nl=False)


@click.command("run")
@click.argument("paths", nargs=-1)
@click.option(
    "--variable", "variable", multiple=True, metavar="NAME=VALUE", help="Define a variable."
)
@click.option("--variables-file", multiple=True, metavar="FILE", help="name=value lines.")
@click.option(
    "--env",
    metavar="NAME",
    help=".http files: the environment from http-client.env.json (and its private twin).",
)
@click.option(
    "--strict", is_flag=True, help=".http files: fail a file holding scripts reqlab does not run."
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 256),
    help="Files run at once (default: the CPUs with --test or --parallel, else 1).",
)
@click.option(
    "--parallel", is_flag=True, help="Run files in parallel (the default with --test, as Hurl's)."
)
@click.option(
    "--test",
    "test_mode",
    is_flag=True,
    help="Test mode: a line per file and a summary; files in parallel (--jobs 1: in order).",
)
@click.option("--report-junit", metavar="FILE", help="Write a JUnit XML report.")
@click.option("--report-json", metavar="FILE", help="Write a JSON report.")
@click.option("--report-tap", metavar="FILE", help="Write a TAP report.")
@click.option("--report-html", metavar="DIR", help="Write an HTML report into DIR.")
@click.option("--retry", type=click.IntRange(0), default=0, help="Retry a failing entry N times.")
@click.option(
    "--retry-interval", type=click.IntRange(0), default=1000, metavar="MS", help="Between retries."
)
@click.option("--fail-fast", is_flag=True, help="Start no new file after a failure.")
@click.option(
    "--continue-on-error", is_flag=True, help="Run a file's later entries after a failure."
)
@click.option("--location", "-L", is_flag=True, help="Follow redirects.")
@click.option("--insecure", "-k", is_flag=True, help="Do not verify TLS certificates.")
@click.option("--http1.0", "http_version", flag_value="HTTP/1.0", help="Use HTTP/1.0.")
@click.option("--http1.1", "http_version", flag_value="HTTP/1.1", help="Use HTTP/1.1.")
@click.option("--http2", "http_version", flag_value="HTTP/2", help="Use HTTP/2.")
@click.option("--http3", "http_version", flag_value="HTTP/3", help="Use HTTP/3 (QUIC).")
@_with(REQUEST_OPTIONS)  # in --help after the versions
@_with(RUN_OPTIONS)
@click.option(
    "--export", type=click.Choice(["locust"]), help="Write the file as a Locust scenario."
)
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    help="Where the last response body (or --export) is written (default: stdout).",
)
def run(
    paths: tuple[str, ...],
    variable: tuple[str, ...],
    variables_file: tuple[str, ...],
    env: str | None,
    strict: bool,
    jobs: int | None,
    parallel: bool,
    test_mode: bool,
    report_junit: str | None,
    report_json: str | None,
    report_tap: str | None,
    report_html: str | None,
    retry: int,
    retry_interval: int,
    fail_fast: bool,
    continue_on_error: bool,
    location: bool,
    insecure: bool,
    http_version: str | None,
    export: str | None,
    output: str | None,
    **request_options: Any,
) -> None:
    """Run Hurl files and .http/.rest files (files, directories or globs) and
    check their asserts.  In a .http file, asserts are `# @assert <query>
    <predicate>` lines and captures `# @capture name: <query>` lines."""
    paths = (*paths, *request_options.pop("globs"))
    if not paths:
        raise click.UsageError("give the files to run (PATHS or --glob)")
    verbose, very = request_options.pop("verbose"), request_options.pop("very_verbose")
    long_errors = request_options.pop("error_format") == "long"
    include, no_output = request_options.pop("include"), request_options.pop("no_output")
    curl_file = request_options["curl"]
    json_lines = request_options.pop("json_lines")
    del request_options["color"], request_options["progress_bar"]  # Hurl's, accepted
    if export:
        _export(paths, _variables(variable, variables_file), output)
        return
    if jobs is None:  # Hurl's rule: parallel in test mode, on as many workers as CPUs
        jobs = _usable_cpus() if test_mode or parallel else 1
    config = RunConfig(
        variables=_variables(variable, variables_file),
        jobs=jobs,
        retry=retry,
        retry_interval_ms=retry_interval,
        fail_fast=fail_fast,
        continue_on_error=continue_on_error,
        http_version=http_version,
        follow_redirects=location,
        insecure=insecure,
        env=env,
        strict=strict,
        fork_jobs=True,
        **config_fields(request_options),
    )

    try:
        total = len(expand(paths)) * config.repeat
    except SourceError as exc:
        click.echo(f"reqlab: error: {exc}", err=True)
        sys.exit(2)
    if config.cookie_jar is not None and total > 1:  # as Hurl's: one session's cookies
        raise click.UsageError("--cookie-jar takes one file to run")
    done = 0
    with _progress(test_mode and total > 1) as update:

        def progress(f: FileResult) -> None:
            nonlocal done
            done += 1
            update(f"{done}/{total} files", done / total)
            if json_lines:  # as Hurl's --json: a line per file, in place of the body
                from reqlab.runner._reports import file_json_line

                click.echo(file_json_line(f))
            elif test_mode:
                click.echo(_terminal.file_line(f))
            for warning in f.warnings:
                click.echo(f"warning: {warning}", err=True)
            if verbose or very:
                click.echo(_terminal.verbose(f, bodies=very), err=True)
            for block in _terminal.failures(f):
                click.echo(block, err=True)
            if long_errors and not f.ok and not (verbose or very):
                click.echo(_terminal.verbose(_terminal.failing(f), bodies=True), err=True)

        result = run_files(paths, config, progress)
    if test_mode and not json_lines:
        click.echo(_terminal.summary(result))
    elif not no_output and not json_lines:  # as hurl: each passing file's last body
        _last_bodies(result.files, output, include)
    if curl_file is not None:
        _write_curl(result.files, curl_file)
    if report_junit or report_json or report_tap or report_html:
        from reqlab.runner import _reports  # only when asked: it loads an XML library

        _reports.write_all(
            result, junit=report_junit, json_path=report_json, tap=report_tap, html_dir=report_html
        )
    sys.exit(result.exit_code)
