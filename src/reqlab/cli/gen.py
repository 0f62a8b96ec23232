"""``reqlab gen TARGET [FILE|-]``: read a request, write it as a format or code.

The input (HAR, raw HTTP or curl) is detected unless ``--from`` names it.
The targets ``har``, ``http`` and ``curl`` are the formats themselves; any
other target goes to :mod:`reqlab.codegen` when it is installed.  Only what
the chosen target needs is imported, so the command starts fast.
"""

from __future__ import annotations

import importlib.util
import os
import sys

import click

from reqlab import formats
from reqlab.errors import FormatError
from reqlab.model import Request

FORMAT_TARGETS = ("har", "http", "curl")


def _codegen_available() -> bool:
    return importlib.util.find_spec("reqlab.codegen") is not None


def _read_source(source: str) -> bytes:
    if source == "-":
        if sys.stdin.isatty():  # waiting on a terminal would look like a hang
            raise click.UsageError("no input: give a FILE, or pipe a request into reqlab gen")
        return sys.stdin.buffer.read()
    with open(source, "rb") as file:
        return file.read()


def _read_file(path: str) -> bytes:
    """Files a request names (curl -d @file) are read relative to the current directory."""
    with open(os.path.expanduser(path), "rb") as file:
        return file.read()


def _list_targets() -> None:
    rows = [
        ("har", "HAR 1.2", "a log with one entry"),
        ("http", "raw HTTP/1.x", "the message as the client sends it"),
        ("curl", "curl", "a bash command line"),
    ]
    if _codegen_available():
        try:
            from reqlab.codegen import targets

            found = targets()
        except ImportError as exc:  # list what works, say what does not
            click.echo(f"reqlab: warning: code targets are unavailable: {exc}", err=True)
            found = []
        for target in found:
            if target.id not in FORMAT_TARGETS:
                limits = "; ".join(target.limitations)
                rows.append((target.id, f"{target.language} ({target.library})", limits))
    width = max(len(r[0]) for r in rows)
    for target_id, what, note in rows:
        click.echo(f"{target_id:<{width}}  {what}" + (f"  - {note}" if note else ""))


def _generate(request: Request, target: str, style: str) -> tuple[str, list[str]]:
    if target in FORMAT_TARGETS:
        written = formats.write_with_warnings(request, target, read_file=_read_file)
        return written.text, list(written.warnings)
    if not _codegen_available():
        raise click.UsageError(
            f"unknown target {target!r}; choose one of {', '.join(FORMAT_TARGETS)}"
        )
    try:
        from reqlab.codegen import generate

        snippet = generate(request, target, style=style)  # type: ignore[arg-type]
    except ImportError as exc:  # code generation is broken or half-installed
        raise click.ClickException(f"code generation is unavailable: {exc}") from None
    except KeyError as exc:
        raise click.UsageError(str(exc.args[0]) if exc.args else str(exc)) from None
    return snippet.code, list(snippet.warnings)


@click.command(
    "gen",
    context_settings={"help_option_names": ["-h", "--help"]},
    short_help="Convert a request (HAR, raw HTTP, curl) into a format or code.",
)
@click.argument("target", required=False)
@click.argument("source", required=False, default="-", metavar="[FILE|-]")
@click.option(
    "--from",
    "fmt_in",
    type=click.Choice(FORMAT_TARGETS),
    help="Input format (default: detected).",
)
@click.option("--index", type=int, help="HAR: which log entry to read (default 0).")
@click.option(
    "--base-url",
    metavar="URL",
    help="Raw HTTP: scheme (and host, if there is no Host header) for an origin-form target.",
)
@click.option(
    "--output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json prints {target, code, warnings}.",
)
@click.option(
    "--style",
    type=click.Choice(["idiomatic", "exact"]),
    default="idiomatic",
    show_default=True,
    help="idiomatic: the code a developer of that language writes, same request by meaning;"
    " exact: the request byte for byte.  The formats (har, http, curl) are always exact.",
)
@click.option("--list", "list_targets", is_flag=True, help="List the targets and exit.")
def gen(
    target: str | None,
    source: str,
    fmt_in: str | None,
    index: int | None,
    base_url: str | None,
    output: str,
    style: str,
    list_targets: bool,
) -> None:
    """Read a request from FILE (or standard input) and write it as TARGET.

    TARGET is har, http or curl, or a code target from --list.  The input
    format (HAR, raw HTTP message, curl command) is detected.
    """
    if list_targets:
        _list_targets()
        return
    if not target:
        raise click.UsageError("missing TARGET (har, http, curl, or one from --list)")
    data = _read_source(source)
    if not data.strip():
        raise FormatError(fmt_in or "input", "line 1", "a request (the input is empty)")
    parsed = formats.read(data, fmt_in, index=index, read_file=_read_file, base_url=base_url)
    code, warnings = _generate(parsed.request, target, style)
    warnings = list(parsed.warnings) + warnings
    if output == "json":
        import json

        document = {"target": target, "code": code, "warnings": warnings}
        text = json.dumps(document, ensure_ascii=False, indent=2)
        try:
            text.encode()
        except UnicodeEncodeError:  # undecodable body bytes: keep them as \u escapes
            text = json.dumps(document, indent=2)
        click.echo(text)
        return
    for warning in warnings:
        click.echo(f"reqlab: warning: {warning}", err=True)
    out = sys.stdout.buffer
    out.write(code.encode("utf-8", "surrogateescape"))
    if target != "http" and not code.endswith("\n"):
        out.write(b"\n")  # a raw message ends where its body ends
    out.flush()
