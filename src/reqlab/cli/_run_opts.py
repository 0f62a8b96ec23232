"""Hurl's options for ``reqlab run``, declared once (parsing and --help).

They are Hurl's command-line options with Hurl's names and letters, so a
CI script written for ``hurl`` keeps its flags.  The request options set
every entry's default, which an entry's own ``[Options]`` overrides; the
run options choose files and entries and what is printed (docs/run.md).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from reqlab.cli._dial_opts import DIAL_OPTIONS
from reqlab.client._dial import parse_dial
from reqlab.errors import InvalidRequest
from reqlab.model import MAX_REDIRECTS_CEILING, BasicAuth
from reqlab.runner._build import EntrySettings, Transport

_SECONDS = click.FloatRange(min=0, min_open=True)

OPTIONS: list[Callable[[Any], Any]] = [
    click.option("--cacert", metavar="FILE", help="CA certificates (PEM) to verify the server."),
    click.option(
        "-E", "--cert", metavar="CERTIFICATE[:PASSWORD]", help="Client certificate (PEM), mTLS."
    ),
    click.option("--key", metavar="FILE", help="Private key of --cert (PEM)."),
    click.option(
        "-x",
        "--proxy",
        metavar="[PROTOCOL://]HOST[:PORT]",
        help="Proxy: http://, socks5:// or socks5h:// (default: HTTP_PROXY, NO_PROXY...).",
    ),
    *DIAL_OPTIONS,
    click.option("--path-as-is", is_flag=True, help="Send '/./' and '/../' in paths as written."),
    click.option("-n", "--netrc", is_flag=True, help="Logins from ~/.netrc by host."),
    click.option("--netrc-file", metavar="FILE", help="Logins from this .netrc file."),
    click.option("--netrc-optional", is_flag=True, help="As --netrc (a missing file is no error)."),
    click.option("-u", "--user", metavar="USER:PASSWORD", help="Basic auth for every entry."),
    click.option("--digest", is_flag=True, help="--user answers a digest challenge."),
    click.option(
        "--aws-sigv4",
        metavar="PROVIDER1[:PROVIDER2[:REGION[:SERVICE]]]",
        help="Sign with AWS SigV4; --user is ACCESS_KEY:SECRET_KEY.",
    ),
    click.option("-H", "--header", "headers", multiple=True, metavar="NAME:VALUE"),
    click.option("-A", "--user-agent", metavar="NAME", help="The User-Agent header."),
    click.option("--compressed", is_flag=True, help="Ask for a compressed response, decode it."),
    click.option("-m", "--max-time", type=_SECONDS, metavar="SECONDS", help="Per request."),
    click.option("--connect-timeout", type=_SECONDS, metavar="SECONDS"),
    click.option(
        "--max-redirs",
        type=click.IntRange(0, MAX_REDIRECTS_CEILING),
        default=50,
        show_default=True,
        help="With --location.",
    ),
    click.option("--delay", type=click.IntRange(0), default=0, metavar="MS", help="Before each."),
    click.option(
        "--max-filesize",
        type=click.IntRange(1),
        metavar="BYTES",
        help="Largest response body accepted (a larger one is a runtime error).",
    ),
    click.option(
        "--secret",
        "secrets",
        multiple=True,
        metavar="NAME=VALUE",
        help="A variable whose value no output or report shows.",
    ),
    click.option(
        "--secrets-file", multiple=True, metavar="FILE", help="name=value lines, as --secret."
    ),
]


RUN_OPTIONS: list[Callable[[Any], Any]] = [
    click.option(
        "--glob", "globs", multiple=True, metavar="GLOB", help="Run the files matching GLOB too."
    ),
    click.option(
        "--file-root", metavar="DIR", help="Where file bodies are read (default: the file's)."
    ),
    click.option("--from-entry", type=click.IntRange(1), metavar="N", help="Start at entry N."),
    click.option("--to-entry", type=click.IntRange(1), metavar="N", help="Stop after entry N."),
    click.option(
        "--repeat", type=click.IntRange(1), default=1, metavar="N", help="Run the files N times."
    ),
    click.option(
        "--no-assert",
        "no_assert",
        is_flag=True,
        help="Ignore every assert (status ones too); captures still run.",
    ),
    click.option(
        "-b", "--cookie", "cookie_file", metavar="FILE", help="Start with a Netscape cookie file."
    ),
    click.option(
        "-c", "--cookie-jar", metavar="FILE", help="Write the file's cookies there (one file)."
    ),
    click.option(
        "-v", "--verbose", is_flag=True, help="Each exchange's request and response heads."
    ),
    click.option("--very-verbose", is_flag=True, help="--verbose with the bodies."),
    click.option(
        "-i", "--include", is_flag=True, help="The last response's status line and headers too."
    ),
    click.option("--no-output", is_flag=True, help="Print no response body."),
    click.option(
        "--json", "json_lines", is_flag=True, help="Each file's result as a line of JSON."
    ),
    click.option("--curl", metavar="FILE", help="Write each request sent as a curl command."),
    click.option(
        "--error-format",
        type=click.Choice(["short", "long"]),
        default="short",
        help="long: a failing entry's whole exchange after its error.",
    ),
    click.option(
        "--color/--no-color",
        default=None,
        help="Accepted as Hurl's: reqlab's report has no colour.",
    ),
    click.option(
        "--progress-bar", is_flag=True, help="Accepted as Hurl's: --test shows one on a terminal."
    ),
]


def config_fields(opts: dict[str, Any]) -> dict[str, Any]:
    """The :class:`~reqlab.runner._execute.RunConfig` fields the options set."""
    headers = [_header(h) for h in opts["headers"]]
    if opts["user_agent"] is not None:
        headers.append(("User-Agent", opts["user_agent"]))
    if opts["aws_sigv4"] is not None and opts["user"] is None:
        raise click.BadParameter("needs --user ACCESS_KEY:SECRET_KEY", param_hint="--aws-sigv4")
    try:  # a bad rule is named before any file runs
        parse_dial(opts["resolve"], opts["connect_to"], opts["ip_version"])
    except InvalidRequest as exc:
        hint = f"--{exc.field.replace('_', '-')}"
        raise click.BadParameter(exc.message, param_hint=hint) from None
    user = None
    if opts["user"] is not None:
        name, _, password = opts["user"].partition(":")
        user = BasicAuth(name, password)
    entry = EntrySettings(
        max_redirects=opts["max_redirs"],
        compressed=opts["compressed"],
        timeout=opts["max_time"],
        connect_timeout=opts["connect_timeout"],
        delay_ms=opts["delay"],
        path_as_is=opts["path_as_is"],
        auth=user,
        digest=opts["digest"],
        aws_sigv4=opts["aws_sigv4"],
        netrc=_netrc(opts),
        headers=headers,
        transport=Transport(
            opts["cacert"],
            opts["cert"],
            opts["key"],
            opts["proxy"],
            tuple(opts["resolve"]),
            tuple(opts["connect_to"]),
            opts["ip_version"],
        ),
    )
    return {
        "entry": entry,
        "secrets": {  # as Hurl's: HURL_SECRET_name, then --secrets-file, then --secret
            **{k[12:]: v for k, v in os.environ.items() if k.startswith("HURL_SECRET_")},
            **_secrets_files(opts["secrets_file"]),
            **dict(name_value(s, "--secret") for s in opts["secrets"]),
        },
        "max_body": opts["max_filesize"],
        "curl": opts["curl"] is not None,
        "file_root": opts["file_root"],
        "from_entry": opts["from_entry"],
        "to_entry": opts["to_entry"],
        "repeat": opts["repeat"],
        "no_assert": opts["no_assert"],
        "cookie_file": opts["cookie_file"],
        "cookie_jar": opts["cookie_jar"],
    }


def _secrets_files(paths: tuple[str, ...]) -> dict[str, str]:
    return {name: value for path in paths for name, value in read_pairs(path, "--secrets-file")}


def read_pairs(path: str, hint: str) -> list[tuple[str, str]]:
    """A file's ``name=value`` lines (``#`` comments): --variables-file, --secrets-file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise click.BadParameter(f"{path}: {exc.strerror}", param_hint=hint) from None
    pairs = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, eq, value = line.partition("=")
        if not eq or not name.strip():
            raise click.BadParameter(f"{path}:{n}: expected name=value", param_hint=hint)
        pairs.append((name.strip(), value.strip()))
    return pairs


def _netrc(opts: dict[str, Any]) -> str | None:
    """The .netrc file the logins come from: "" for ~/.netrc, None for none."""
    if opts["netrc_file"] is not None:
        return str(opts["netrc_file"])
    return "" if opts["netrc"] or opts["netrc_optional"] else None


def _header(text: str) -> tuple[str, str]:
    name, colon, value = text.partition(":")
    if not colon or not name.strip():
        raise click.BadParameter(f"{text!r}: expected NAME:VALUE", param_hint="--header")
    return name.strip(), value.strip()


def name_value(text: str, hint: str) -> tuple[str, str]:
    """``NAME=VALUE`` from the command line (--variable, --secret)."""
    name, eq, value = text.partition("=")
    if not eq or not name:
        raise click.BadParameter(f"{text!r}: expected name=value", param_hint=hint)
    return name, value
