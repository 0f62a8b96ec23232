"""The request-describing options shared by ``probe`` and ``bench``.

They reuse ``reqlab send``'s request builder, so ``[METHOD] URL [ITEM ...]``,
``-H``, ``--from`` and ``--curl`` mean the same in every command.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from reqlab.model import Options, Request

_OPTIONS = [
    click.argument("args", nargs=-1),
    click.option(
        "-H", "--header", "headers", multiple=True, metavar="'Name: value'", help="Add a header."
    ),
    click.option(
        "--file",
        "--from",
        "source",
        metavar="FILE|-",
        help="Read the request from a HAR, raw HTTP or curl file.",
    ),
    click.option("--curl", metavar="COMMAND", help="Read the request from a curl command line."),
    click.option("-k", "--insecure", is_flag=True, help="Do not verify the server's certificate."),
    click.option(
        "--cacert",
        type=click.Path(exists=True, dir_okay=False),
        help="Trust the CA certificates in this PEM file.",
    ),
    click.option(
        "--output", type=click.Choice(["text", "json"]), default="text", show_default=True
    ),
]


def request_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for decorate in reversed(_OPTIONS):
        command = decorate(command)
    return command


def request_from(opts: dict[str, Any], version: str | None = None) -> Request:
    from reqlab.cli.send import build_request

    o = {**opts, "version": version, "ignore_stdin": True}
    return build_request(o, Options(verify=not opts["insecure"])).request
