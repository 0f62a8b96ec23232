"""``reqlab bench URL``: what connection reuse saves, in numbers."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from reqlab.cli._request_opts import request_from, request_options


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@request_options
@click.option(
    "-n",
    "--requests",
    "count",
    type=click.IntRange(min=1),
    default=200,
    show_default=True,
    help="Requests per mode (with reuse, then without).",
)
@click.option(
    "-c",
    "--concurrency",
    type=click.IntRange(min=1, max=1000),
    default=4,
    show_default=True,
    help="Workers sending at once; each owns one client.",
)
@click.option(
    "--duration",
    type=click.FloatRange(min=0.1),
    help="Run each mode this many seconds instead of -n.",
)
@click.option(
    "--plot",
    type=click.Path(dir_okay=False),
    help="Draw both latency distributions to this PNG (needs matplotlib).",
)
@click.option(
    "--export",
    type=click.Choice(["locust"]),
    help="Write a load-test file for this request instead of running.",
)
@click.option(
    "-o",
    "--out",
    "out_path",
    type=click.Path(dir_okay=False),
    help="Where --export writes (default: stdout).",
)
@click.option(
    "--compare-versions",
    is_flag=True,
    help="Run over HTTP/1.1, HTTP/2 and HTTP/3 (https://), each with and without reuse.",
)
def bench(**opts: Any) -> None:
    """Send a request N times with connection reuse and without, and compare
    throughput, latency percentiles and connections opened.

    \b
    reqlab bench -n 1000 -c 8 http://127.0.0.1:8081/echo
    reqlab bench --duration 5 --output json https://example.org/
    reqlab bench --export locust -o locustfile.py http://127.0.0.1:8081/get
    """
    request = request_from(opts)
    if opts["export"] == "locust":
        from reqlab.probe._locust import locustfile

        code = locustfile(request)
        if opts["out_path"]:
            Path(opts["out_path"]).write_text(code)
            click.echo(
                f"wrote {opts['out_path']}: run it with `locust -f {opts['out_path']}`", err=True
            )
        else:
            click.echo(code, nl=False)
        return
    from reqlab.cli._progress import progress_bar
    from reqlab.probe import BenchSettings
    from reqlab.probe import bench as run_bench

    if opts["plot"]:
        _require_matplotlib()
    settings = BenchSettings(
        requests=opts["count"],
        concurrency=opts["concurrency"],
        duration=opts["duration"],
        verify=not opts["insecure"],
        cafile=opts["cacert"],
    )
    if opts["compare_versions"]:
        from reqlab.cli._bench_versions import run_compare_versions

        run_compare_versions(request, settings, opts["output"] == "json")
        return
    with progress_bar(Console(stderr=True), opts["output"] == "text") as update:
        result = asyncio.run(run_bench(request, settings, update))
    if opts["plot"]:
        from reqlab.probe._plot import plot_latencies

        plot_latencies(result, opts["plot"])
    if opts["output"] == "json":
        click.echo(json.dumps(result.to_json()))
        return
    show_comparison(Console(), result)


def _require_matplotlib() -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise click.UsageError("--plot needs matplotlib: pip install 'reqlab[plot]'") from None


def show_comparison(console: Console, result: Any) -> None:
    data = result.to_json()
    table = Table(title=f"{result.url}, concurrency {result.concurrency}")
    table.add_column("")
    table.add_column("with reuse", justify="right")
    table.add_column("without reuse", justify="right")
    reuse, fresh = data["reuse"], data["no_reuse"]

    def row(label: str, key: str, fmt: str = "{}") -> None:
        table.add_row(label, fmt.format(reuse[key]), fmt.format(fresh[key]))

    row("requests", "requests")
    row("errors", "errors")
    row("connections opened", "connections_opened")
    row("throughput (req/s)", "throughput_rps", "{:.1f}")
    for p in ("p50", "p90", "p99", "max"):
        a, b = reuse["latency_ms"][p], fresh["latency_ms"][p]
        table.add_row(f"latency {p} (ms)", _ms(a), _ms(b))
    console.print(table)
    saving = data["saving"]
    console.print(
        f"Reuse: {saving['throughput_ratio']}x the throughput, p50 latency "
        f"{saving['p50_latency_ratio']}x lower, {saving['connections_saved']} fewer connections."
    )


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"
