"""``reqlab bench --compare-versions``: run and show the table."""

from __future__ import annotations

import asyncio
import json

import click
from rich.console import Console
from rich.table import Table

from reqlab.model import Request
from reqlab.probe._bench import BenchSettings
from reqlab.probe._versions import VersionComparison, compare_versions


def run_compare_versions(request: Request, settings: BenchSettings, as_json: bool) -> None:
    from reqlab.cli._progress import progress_bar

    with progress_bar(Console(stderr=True), not as_json) as update:
        result = asyncio.run(compare_versions(request, settings, update))
    if as_json:
        click.echo(json.dumps(result.to_json()))
    else:
        show_versions(Console(), result)


def show_versions(console: Console, result: VersionComparison) -> None:
    table = Table(title=f"{result.url}: the same request over each version")
    for name in ("version", "reuse", "req/s", "p50 ms", "p99 ms", "connections", "errors"):
        table.add_column(name, justify="left" if name in ("version", "reuse") else "right")
    for version, comparison in result.results.items():
        data = comparison.to_json()
        for mode, label in (("reuse", "yes"), ("no_reuse", "no")):
            row = data[mode]
            lat = row["latency_ms"]
            table.add_row(
                version,
                label,
                f"{row['throughput_rps']:.1f}",
                "-" if lat["p50"] is None else f"{lat['p50']:.2f}",
                "-" if lat["p99"] is None else f"{lat['p99']:.2f}",
                str(row["connections_opened"]),
                str(row["errors"]),
            )
    console.print(table)
    for version, why in result.skipped.items():
        console.print(f"{version}: skipped ({why})")
