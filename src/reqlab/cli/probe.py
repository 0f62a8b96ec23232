"""``reqlab probe URL``: measure a server's keep-alive behaviour."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from reqlab.cli._request_opts import request_from, request_options

IDEMPOTENT = {"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"}
VERDICT_STYLE = {"ok": "green", "warn": "yellow", "fail": "red", "info": "cyan"}


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@request_options
@click.option(
    "--max-idle",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    help="Longest idle time to wait for, in seconds.",
)
@click.option(
    "--max-requests",
    type=click.IntRange(min=10),
    default=200,
    show_default=True,
    help="Most requests the probe may send in all.",
)
@click.option("--force", is_flag=True, help="Probe with a non-idempotent method anyway.")
def probe(**opts: Any) -> None:
    """Measure a server's keep-alive behaviour: protocols, persistence,
    pipelining, the real idle timeout and requests per connection.

    \b
    reqlab probe http://127.0.0.1:8081/echo
    reqlab probe --max-idle 10 --output json https://example.org/
    """
    from reqlab.probe import ProbeSettings
    from reqlab.probe import probe as run_probe

    request = request_from(opts)
    if request.method.upper() not in IDEMPOTENT and not opts["force"]:
        raise click.UsageError(
            f"{request.method} is not idempotent and the probe repeats it many times; add --force to probe anyway"
        )
    settings = ProbeSettings(
        max_idle=opts["max_idle"],
        max_requests=opts["max_requests"],
        verify=not opts["insecure"],
        cafile=opts["cacert"],
    )
    err = Console(stderr=True)
    if opts["output"] == "text":
        err.print(
            f"Probing {request.method} {request.url}: at most {settings.max_requests} requests, "
            f"idle up to {settings.max_idle:g} s"
        )
    with _progress(err, opts["output"] == "text") as update:
        report = asyncio.run(run_probe(request, settings, update))
    if opts["output"] == "json":
        click.echo(json.dumps(report.to_json()))
        return
    show_report(Console(), report)


def _progress(console: Console, enabled: bool) -> Any:
    from reqlab.cli._progress import progress_bar

    return progress_bar(console, enabled)


def show_report(console: Console, report: Any) -> None:
    table = Table(title=f"Keep-alive probe of {report.url}", show_lines=False)
    table.add_column("check")
    table.add_column("verdict")
    table.add_column("finding")
    for check in report.checks:
        style = VERDICT_STYLE.get(check.verdict, "")
        table.add_row(check.name, f"[{style}]{check.verdict}[/]", check.summary)
    console.print(table)
    adv = report.advertised
    console.print(
        f"Advertised: Connection: {adv.get('connection') or '-'}; "
        f"Keep-Alive: {adv.get('keep_alive') or '-'}"
    )
    rec = report.recommendation
    if rec is not None:
        console.print("[bold]Recommended client settings[/]")
        idle = (
            f"{rec.pool_idle_timeout:g} s" if rec.pool_idle_timeout is not None else "no limit seen"
        )
        most = rec.max_requests_per_connection or "no limit seen"
        console.print(f"  pool idle timeout: {idle}\n  max requests per connection: {most}")
        for note in rec.notes:
            console.print(f"  - {note}")
    console.print(f"[dim]{report.requests_used} requests in {report.elapsed:.1f} s[/]")
