"""``reqlab run``: run Hurl files as tests (see docs/run.md).

Exit status as Hurl's: 0 all passed, 2 a file could not be parsed (or
read), 3 a runtime error (connection, undefined variable...), 4 an assert
failed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from reqlab.runner import _reports, _terminal
from reqlab.runner._api import arun, loop_factory
from reqlab.runner._execute import RunConfig
from reqlab.runner._results import FileResult
from reqlab.runner._sources import SourceError
from reqlab.runner._values import from_text


def _variables(pairs: tuple[str, ...], files: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in os.environ.items():  # HURL_VARIABLE_name, and Hurl's older HURL_name
        if key.startswith("HURL_VARIABLE_"):
            out[key.removeprefix("HURL_VARIABLE_")] = from_text(value)
        elif key.startswith("HURL_") and key[5:].islower():
            out[key[5:]] = from_text(value)
    for path in files:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise click.BadParameter(
                f"{path}: {exc.strerror}", param_hint="--variables-file"
            ) from None
        for n, line in enumerate(text.splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            key, eq, value = line.partition("=")
            if not eq or not key.strip():
                raise click.BadParameter(
                    f"{path}:{n}: expected name=value", param_hint="--variables-file"
                )
            out[key.strip()] = from_text(value.strip())
    for pair in pairs:
        key, eq, value = pair.partition("=")
        if not eq or not key:
            raise click.BadParameter(f"{pair!r}: expected name=value", param_hint="--variable")
        out[key] = from_text(value)
    return out


@click.command("run")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--variable", "variable", multiple=True, metavar="NAME=VALUE", help="Define a variable."
)
@click.option("--variables-file", multiple=True, metavar="FILE", help="name=value lines.")
@click.option(
    "--jobs", type=click.IntRange(1, 256), default=1, show_default=True, help="Files run at once."
)
@click.option("--test", "test_mode", is_flag=True, help="Test mode: a line per file and a summary.")
@click.option("--report-junit", metavar="FILE", help="Write a JUnit XML report.")
@click.option("--report-json", metavar="FILE", help="Write a JSON report.")
@click.option("--report-tap", metavar="FILE", help="Write a TAP report.")
@click.option("--report-html", metavar="DIR", help="Write an HTML report into DIR.")
@click.option("--retry", type=click.IntRange(0), default=0, help="Retry a failing entry N times.")
@click.option(
    "--retry-interval", type=click.IntRange(0), default=1000, metavar="MS", help="Between retries."
)
@click.option("--fail-fast", is_flag=True, help="Start no new file after a failure.")
@click.option("--location", "-L", is_flag=True, help="Follow redirects.")
@click.option("--insecure", "-k", is_flag=True, help="Do not verify TLS certificates.")
@click.option("--http1.0", "http_version", flag_value="HTTP/1.0", help="Use HTTP/1.0.")
@click.option("--http1.1", "http_version", flag_value="HTTP/1.1", help="Use HTTP/1.1.")
@click.option("--http2", "http_version", flag_value="HTTP/2", help="Use HTTP/2.")
def run(
    paths: tuple[str, ...],
    variable: tuple[str, ...],
    variables_file: tuple[str, ...],
    jobs: int,
    test_mode: bool,
    report_junit: str | None,
    report_json: str | None,
    report_tap: str | None,
    report_html: str | None,
    retry: int,
    retry_interval: int,
    fail_fast: bool,
    location: bool,
    insecure: bool,
    http_version: str | None,
) -> None:
    """Run Hurl files (files, directories or globs) and check their asserts."""
    import asyncio

    config = RunConfig(
        variables=_variables(variable, variables_file),
        jobs=jobs,
        retry=retry,
        retry_interval_ms=retry_interval,
        fail_fast=fail_fast,
        http_version=http_version,
        follow_redirects=location,
        insecure=insecure,
    )

    def progress(f: FileResult) -> None:
        if test_mode:
            click.echo(_terminal.file_line(f))
        for block in _terminal.failures(f):
            click.echo(block, err=True)

    try:
        with asyncio.Runner(loop_factory=loop_factory()) as runner:
            result = runner.run(arun(paths, config, progress))
    except SourceError as exc:
        click.echo(f"reqlab: error: {exc}", err=True)
        sys.exit(2)
    if test_mode:
        click.echo(_terminal.summary(result))
    else:  # as hurl: print the last response body of each file that passed
        for f in result.files:
            last = f.entries[-1].exchange if f.ok and f.entries else None
            if last is not None:
                sys.stdout.buffer.write(last.body)
                sys.stdout.flush()
    _reports.write_all(
        result, junit=report_junit, json_path=report_json, tap=report_tap, html_dir=report_html
    )
    sys.exit(result.exit_code)
