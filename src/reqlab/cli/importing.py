"""``reqlab import SRC... --into DIR [--from FORMAT]``: bring a collection in.

SRC is a Postman collection or environment, an OpenAPI/Swagger document, a
HAR file, an Insomnia export, a Bruno collection (its directory or one
``.bru``), a file of curl commands, a raw HTTP message or a ``.http`` file.
Several SRC are merged (a Postman collection and its environments).  The
workspace is written to a temporary directory and moved into place: a
failure leaves nothing behind.
"""

from __future__ import annotations

from pathlib import Path

import click


@click.command("import")
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--into", "into", required=True, type=click.Path(), help="The workspace directory to create."
)
@click.option("--from", "fmt", default=None, help="The format of SRC (detected when omitted).")
def import_(sources: tuple[str, ...], into: str, fmt: str | None) -> None:
    """Import collections (Postman, OpenAPI, HAR, Insomnia, Bruno, curl, raw, .http)."""
    from reqlab.workspace.imports import import_sources

    result = import_sources([Path(s) for s in sources], Path(into), fmt)
    for warning in result.warnings:
        click.echo(f"reqlab: warning: {warning}", err=True)
    envs = ", ".join(result.environments) or "none"
    click.echo(f"imported {result.requests} request(s) into {result.path} (environments: {envs})")
