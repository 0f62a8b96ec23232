"""``reqlab export DIR --to FORMAT [--out FILE] [--env NAME]``.

FORMAT is ``postman`` (collection v2.1), ``har``, ``http`` (one file) or
``curl``.  Requests keep their ``{{variables}}``; with ``--env`` they are
resolved first, and a secret value (from the private environment) is
written back as its ``{{name}}``, never in clear.
"""

from __future__ import annotations

import click


@click.command("export")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--to", "fmt", required=True, type=click.Choice(["postman", "har", "http", "curl"]))
@click.option(
    "--out",
    "out",
    default="-",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write here (default: stdout).",
)
@click.option("--env", "env", default=None, help="Resolve variables in this environment first.")
def export(directory: str, fmt: str, out: str, env: str | None) -> None:
    """Export a workspace's requests as a Postman collection, HAR, .http or curl."""
    from reqlab.workspace.imports import export_workspace

    text, warnings = export_workspace(directory, fmt, env)
    for warning in warnings:
        click.echo(f"reqlab: warning: {warning}", err=True)
    if out == "-":
        click.echo(text, nl=False)
    else:
        with open(out, "w", encoding="utf-8") as file:
            file.write(text)
