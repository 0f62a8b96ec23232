"""``reqlab ls [DIR] [--search TEXT] [--json]``: the requests of a workspace.

One line per request: its reference (what ``reqlab send`` takes), method
and URL as written, and how many ``# @assert`` lines ``reqlab run`` checks
(when there are any).  A file that cannot be read is reported on stderr with
its path, line and column; the others are listed (exit status 0, or 2 when
nothing could be read at all).
"""

from __future__ import annotations

import json

import click

from reqlab.cli._exit import Exit


@click.command("ls")
@click.argument("directory", default=".", type=click.Path(exists=True, file_okay=False))
@click.option(
    "--search",
    "-s",
    "text",
    default="",
    help="Only requests whose method, URL or name hold every word.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per request.")
def ls(directory: str, text: str, as_json: bool) -> None:
    """List a workspace's requests (its .http files, recursively)."""
    from reqlab.workspace import Workspace

    workspace = Workspace(directory)
    for error in workspace.errors:
        click.echo(f"reqlab: warning: {error}", err=True)
    entries = workspace.search(text) if text else workspace.entries
    width = max((len(e.ref) for e in entries), default=0)
    for entry in entries:
        t = entry.template
        asserts = sum(1 for name, _ in t.tags if name == "assert")
        if as_json:
            row = {
                "ref": entry.ref,
                "method": t.method,
                "url": t.url,
                "name": t.label,
                "line": t.line,
                "asserts": asserts,
            }
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            checks = f"  ({asserts} assert{'s' * (asserts != 1)})" if asserts else ""
            click.echo(f"{entry.ref:<{width}}  {t.method:<7} {t.url}{checks}")
    if workspace.errors and not workspace.entries:
        raise SystemExit(Exit.BAD_INPUT)
