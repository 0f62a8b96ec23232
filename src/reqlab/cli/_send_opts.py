"""The options of ``reqlab send``, declared once (they drive parsing and --help).

Short options follow HTTPie (``-j -f -h -b -v -p -q -o -d -F -a -A -S -I``);
curl's habits keep their long names (``--data``, ``--form-part``) and ``-H``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from reqlab.cli._auth_opts import OPTIONS as AUTH_OPTIONS
from reqlab.cli._dial_opts import DIAL_OPTIONS
from reqlab.model import MAX_REDIRECTS_CEILING

_FLOAT = click.FloatRange(min=0, min_open=True)

OPTIONS: list[Callable[[Any], Any]] = [
    click.argument("args", nargs=-1, metavar="[METHOD] URL [ITEM]..."),
    # -- what to send (HTTPie)
    click.option("-j", "--json", "as_json", is_flag=True, help="Send fields as JSON (default)."),
    click.option("-f", "--form", is_flag=True, help="Send fields as a urlencoded form."),
    click.option("--multipart", is_flag=True, help="Send fields and files as multipart/form-data."),
    click.option("--raw", metavar="TEXT", help="The body, as given."),
    click.option(
        "-I", "--ignore-stdin", is_flag=True, help="Do not read a piped stdin as the body."
    ),
    click.option(
        "--offline", is_flag=True, help="Print the request as it would be sent; send nothing."
    ),
    click.option("--default-scheme", default="http", show_default=True, metavar="SCHEME"),
    # -- curl habits
    click.option("-H", "--header", "headers", multiple=True, metavar="'Name: value'"),
    click.option("--data", multiple=True, metavar="DATA", help="Body as given (curl's -d; @file)."),
    click.option("--form-part", "form_parts", multiple=True, metavar="name=value|name=@file"),
    # -- auth
    click.option("-a", "--auth", metavar="USER[:PASS]|TOKEN"),
    click.option("-A", "--auth-type", type=click.Choice(["basic", "digest", "bearer"])),
    click.option("-u", "--user", metavar="USER[:PASS]", help="Same as --auth."),
    click.option("--digest", is_flag=True, help="Same as --auth-type digest."),
    click.option("--bearer", metavar="TOKEN", help="Same as -A bearer -a TOKEN."),
    *AUTH_OPTIONS,  # --aws-sigv4, --api-key, --oauth2 ..., --cookie-jar (docs/auth.md)
    # -- sessions
    click.option("--session", metavar="NAME|PATH", help="Keep cookies, auth and headers."),
    click.option(
        "--session-read-only", metavar="NAME|PATH", help="Use a session; do not update it."
    ),
    # -- how to send
    click.option("--http1.0", "version", flag_value="HTTP/1.0", help="Send as HTTP/1.0."),
    click.option("--http1.1", "version", flag_value="HTTP/1.1", help="Send as HTTP/1.1."),
    click.option("--http2", "version", flag_value="HTTP/2", help="HTTP/2 (ALPN, or h2c)."),
    click.option(
        "--http3", "version", flag_value="HTTP/3", help="HTTP/3 over QUIC (UDP, https:// only)."
    ),
    click.option(
        "--alt-svc", is_flag=True, help="Follow an Alt-Svc h3 advertisement to HTTP/3 later."
    ),
    click.option(
        "--0rtt", "zero_rtt", is_flag=True, help="HTTP/3: idempotent requests as 0-RTT data."
    ),
    click.option(
        "--file", "--from", "source", metavar="FILE|-", help="A HAR, raw HTTP or curl file."
    ),
    click.option("--curl", metavar="COMMAND", help="Read the request from a curl command line."),
    click.option(
        "--graphql", metavar="QUERY_FILE", help="Send a GraphQL operation (the JSON POST)."
    ),
    click.option("--variables", metavar="JSON", help="GraphQL variables (a JSON object)."),
    click.option("--operation-name", metavar="NAME", help="GraphQL operationName."),
    click.option("--env", metavar="NAME", help="Workspace environment for a .http file argument."),
    click.option(
        "--var", multiple=True, metavar="NAME=VALUE", help="Set a workspace variable (repeatable)."
    ),
    click.option("-F", "--follow", is_flag=True, help="Follow redirects."),
    click.option(
        "--max-redirects",
        type=click.IntRange(0, MAX_REDIRECTS_CEILING),
        default=30,
        show_default=True,
        help=f"At most {MAX_REDIRECTS_CEILING}.",
    ),
    click.option("--timeout", type=_FLOAT, default=30.0, show_default=True, help="Seconds."),
    click.option(
        "--total-timeout", type=_FLOAT, help="Seconds for the whole send, redirects included."
    ),
    click.option("--connect-timeout", type=_FLOAT, help="Seconds for DNS, TCP and TLS."),
    click.option("-k", "--insecure", is_flag=True, help="Do not verify the certificate."),
    click.option(
        "--verify", metavar="yes|no|CA_FILE", help="HTTPie's: no is -k, a path is --cacert."
    ),
    click.option("--cacert", type=click.Path(exists=True, dir_okay=False), help="CA bundle."),
    click.option(
        "--cert",
        type=click.Path(dir_okay=False),
        help="Client certificate (PEM) to present (mTLS); it may hold the key too.",
    ),
    click.option("--key", type=click.Path(dir_okay=False), help="Private key of --cert (PEM)."),
    click.option(
        "--proxy",
        metavar="URL",
        help="Proxy: http://, socks5:// or socks5h://, user:pass@ if needed "
        "(default: HTTP_PROXY/HTTPS_PROXY/ALL_PROXY/NO_PROXY).",
    ),
    *DIAL_OPTIONS,
    click.option("--no-keep-alive", is_flag=True, help="Never reuse a connection."),
    click.option("--compressed", is_flag=True, help="Ask for a compressed response."),
    click.option("--max-size", type=click.IntRange(1), default=100 * 1024 * 1024, metavar="BYTES"),
    click.option("--repeat", type=click.IntRange(1), default=1, help="Send N times, one client."),
    # -- output
    click.option("-p", "--print", "print_", metavar="HBhbmtc", help="What to print (see below)."),
    click.option("-v", "--verbose", is_flag=True, help="Print the request and the response."),
    click.option("-h", "--headers", "only_headers", is_flag=True, help="Print response headers."),
    click.option("-b", "--body", "only_body", is_flag=True, help="Print the response body."),
    click.option("--pretty", type=click.Choice(["all", "colors", "format", "none"])),
    click.option("-q", "--quiet", is_flag=True, help="Print nothing (errors still)."),
    click.option(
        "-o", "--out", "out_file", metavar="FILE", help="Write the body to FILE (- : stdout)."
    ),
    click.option("-d", "--download", is_flag=True, help="Save the body to a file, with progress."),
    click.option(
        "-c", "--continue", "continue_", is_flag=True, help="--download: resume -o FILE (Range)."
    ),
    click.option(
        "--all", "all_hops", is_flag=True, help="Print redirect hops too, not just the last."
    ),
    click.option("-S", "--stream", is_flag=True, help="Print the body as it arrives (SSE, /drip)."),
    click.option("--check-status", is_flag=True, help="Exit 3/4/5 on a 3xx/4xx/5xx."),
    click.option(
        "--output", type=click.Choice(["text", "json"]), default="text", show_default=True
    ),
]


def send_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for decorate in reversed(OPTIONS):
        command = decorate(command)
    return command
