"""``reqlab send``: send a request, show exactly what happened on the wire.

    reqlab send [METHOD] URL [ITEM ...]        HTTPie-style items (see _items)
    reqlab send --file req.har|req.http|- [BASE_URL]   a request in any format reqlab reads
    reqlab send --curl 'curl -X POST ...'

The command only builds a :class:`reqlab.Request` and an options set, hands
them to :class:`reqlab.client.Client` and renders the exchange records
(``_render``).  Errors surface through ``reqlab.cli.main`` as one line and a
documented exit status.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from reqlab.auth.cookies import load_cookies, save_cookies
from reqlab.cli import fail
from reqlab.cli._auth_opts import auth_from, auth_options
from reqlab.cli._exit import Exit, exit_for
from reqlab.cli._items import Items, looks_like_method, normalise_url, parse_items
from reqlab.cli._render import json_line, show_exchange, summary
from reqlab.errors import (
    FormatError,
    InvalidRequest,
    RemoteProtocolError,
    RequestTimeout,
    ResponseTooLarge,
    TooManyRedirects,
)
from reqlab.model import (
    BasicAuth,
    BearerAuth,
    Body,
    BytesBody,
    DigestAuth,
    FormBody,
    JsonBody,
    MultipartBody,
    MultipartField,
    MultipartFile,
    Options,
    Request,
    TextBody,
)


def _positionals(args: tuple[str, ...]) -> tuple[str | None, str, list[str]]:
    if not args:
        raise click.UsageError("a URL is required (or --file / --curl)")
    if len(args) >= 2 and looks_like_method(args[0]):
        return args[0].upper(), args[1], list(args[2:])
    return None, args[0], list(args[1:])


def _body_from_items(items: Items, form: bool) -> Body | None:
    if items.files:
        parts: list[Any] = [
            MultipartField(k, v if isinstance(v, str) else json.dumps(v)) for k, v in items.data
        ]
        parts += [MultipartFile(name, Path(path).name, path=path) for name, path in items.files]
        return MultipartBody(tuple(parts))
    if not items.data:
        return None
    if form:
        return FormBody(
            tuple((k, v if isinstance(v, str) else json.dumps(v)) for k, v in items.data)
        )
    return JsonBody(dict(items.data))


def _form_parts(specs: tuple[str, ...]) -> MultipartBody:
    parts: list[Any] = []
    for spec in specs:
        name, eq, value = spec.partition("=")
        if not eq or not name:
            raise InvalidRequest(f"-F {spec!r}", "expected name=value or name=@file")
        if value.startswith("@"):
            path, _, ctype = value[1:].partition(";type=")
            if not Path(path).is_file():
                raise InvalidRequest(f"-F {spec!r}", f"no file at {path!r}")
            parts.append(MultipartFile(name, Path(path).name, ctype or None, path=path))
        else:
            parts.append(MultipartField(name, value))
    return MultipartBody(tuple(parts))


def _data(values: tuple[str, ...]) -> bytes:
    """curl's -d: values joined with '&'; '@file' reads a file (newlines dropped, as curl does)."""
    chunks = []
    for value in values:
        if value.startswith("@"):
            path = value[1:]
            try:
                raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
            except OSError as exc:
                raise InvalidRequest(
                    f"-d {value!r}", f"cannot read {path!r}: {exc.strerror}"
                ) from None
            chunks.append(raw.replace(b"\r", b"").replace(b"\n", b""))
        else:
            chunks.append(value.encode())
    return b"&".join(chunks)


def _from_file(source: str | None, curl: str | None, base_url: str | None) -> Request:
    """A request read by :func:`reqlab.formats.read`; its warnings go to stderr."""
    from reqlab import formats

    if curl is not None:
        parsed = formats.read(curl, "curl", read_file=_read_bytes)
    else:
        assert source is not None
        try:
            data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
        except OSError as exc:
            raise InvalidRequest(f"--file {source!r}", f"cannot read: {exc.strerror}") from None
        try:
            parsed = formats.read(data, read_file=_read_bytes, base_url=base_url)
        except FormatError as exc:  # say which file
            raise FormatError(exc.fmt, f"{source}, {exc.position}", exc.expected) from None
    for warning in parsed.warnings:
        click.echo(f"reqlab: warning: {warning}", err=True)
    return parsed.request


def _read_bytes(path: str) -> bytes:
    return Path(path).read_bytes()


def build_request(
    args: tuple[str, ...],
    *,
    source: str | None,
    curl: str | None,
    headers: tuple[str, ...],
    data: tuple[str, ...],
    json_text: str | None,
    form_specs: tuple[str, ...],
    form: bool,
    user: str | None,
    digest: bool,
    bearer: str | None,
    version: str | None,
    options: Options,
) -> Request:
    """The request the command line describes."""
    extra_headers = []
    for spec in headers:
        name, colon, value = spec.partition(":")
        if not colon:
            raise InvalidRequest(f"-H {spec!r}", "expected 'Name: value'")
        extra_headers.append((name.strip(), value.strip()))
    if source is not None or curl is not None:
        if len(args) > 1 or (args and curl is not None):
            raise click.UsageError(
                "with --file only a base URL may follow (for a request without Host); with --curl nothing"
            )
        base = normalise_url(args[0]) if args else None
        request = _from_file(source, curl, base)
        return request.replace(
            headers=tuple(request.headers) + tuple(extra_headers),
            version=version or request.version,
            options=options,
            auth=_auth(user, digest, bearer) or request.auth,
        )
    method, url, rest = _positionals(args)
    items = parse_items(rest)
    url = normalise_url(url)
    if items.params:
        from urllib.parse import urlencode

        url += ("&" if "?" in url else "?") + urlencode(items.params)
    header_list = extra_headers + items.headers
    body: Body | None
    if data:
        body = BytesBody(data=_data(data))
        if not any(n.lower() == "content-type" for n, _ in header_list):
            header_list.append(("Content-Type", "application/x-www-form-urlencoded"))
    elif json_text is not None:
        body = TextBody(json_text)
        if not any(n.lower() == "content-type" for n, _ in header_list):
            header_list.append(("Content-Type", "application/json"))
        if not any(n.lower() == "accept" for n, _ in header_list):
            header_list.append(("Accept", "application/json"))
    elif form_specs:
        body = _form_parts(form_specs)
    else:
        body = _body_from_items(items, form)
    if method is None:
        method = "POST" if body is not None else "GET"
    return Request(
        method=method,
        url=url,
        headers=tuple(header_list),
        body=body,
        auth=_auth(user, digest, bearer),
        version=version,  # type: ignore[arg-type]
        options=options,
    )


def _save_body(exchange: Any, path: str) -> None:
    import shutil

    if exchange.body_path:
        shutil.move(exchange.body_path, path)
    else:
        Path(path).write_bytes(exchange.body)


def _auth(user: str | None, digest: bool, bearer: str | None) -> Any:
    if bearer:
        return BearerAuth(bearer)
    if user is None:
        return None
    name, _, password = user.partition(":")
    return DigestAuth(name, password) if digest else BasicAuth(name, password)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("args", nargs=-1, metavar="[METHOD] URL [ITEM]...")
@click.option(
    "-H",
    "--header",
    "headers",
    multiple=True,
    metavar="'Name: value'",
    help="Add a header (curl style).",
)
@click.option(
    "-d",
    "--data",
    multiple=True,
    metavar="DATA",
    help="Body as given (curl's -d; @file reads a file).",
)
@click.option(
    "--json",
    "json_text",
    metavar="JSON",
    help="A JSON body as given; sets Content-Type and Accept.",
)
@click.option(
    "-F",
    "--form-part",
    "form_specs",
    multiple=True,
    metavar="name=value|name=@file",
    help="A multipart part (curl's -F).",
)
@click.option(
    "-f", "--form", is_flag=True, help="Send field=value items as a urlencoded form, not JSON."
)
@click.option("-u", "--user", metavar="USER[:PASS]", help="Basic auth (digest with --digest).")
@click.option("--digest", is_flag=True, help="Use HTTP Digest auth for --user.")
@click.option("--bearer", metavar="TOKEN", help="Authorization: Bearer TOKEN.")
@auth_options
@click.option("--http1.0", "version", flag_value="HTTP/1.0", help="Send as HTTP/1.0.")
@click.option("--http1.1", "version", flag_value="HTTP/1.1", help="Send as HTTP/1.1.")
@click.option(
    "--http2",
    "version",
    flag_value="HTTP/2",
    help="HTTP/2 (ALPN over TLS, prior knowledge over http://).",
)
@click.option(
    "--file",
    "--from",
    "source",
    metavar="FILE|-",
    help="Read the request from a HAR, raw HTTP or curl file.",
)
@click.option("--curl", metavar="COMMAND", help="Read the request from a curl command line.")
@click.option("--follow", is_flag=True, help="Follow redirects.")
@click.option("--max-redirects", type=click.IntRange(0), default=10, show_default=True)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    help="Seconds allowed per exchange.",
)
@click.option(
    "--connect-timeout",
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds allowed to connect (DNS, TCP, TLS).",
)
@click.option("-k", "--insecure", is_flag=True, help="Do not verify the server's certificate.")
@click.option(
    "--cacert",
    type=click.Path(exists=True, dir_okay=False),
    help="Trust the CA certificates in this PEM file.",
)
@click.option(
    "--cert",
    type=click.Path(dir_okay=False),
    help="Client certificate (PEM) to present (mTLS); it may hold the key too.",
)
@click.option("--key", type=click.Path(dir_okay=False), help="Private key of --cert (PEM).")
@click.option(
    "--proxy",
    metavar="URL",
    help="Send through this proxy: http://, socks5:// or socks5h://, with user:pass@ if needed "
    "(default: HTTP_PROXY/HTTPS_PROXY/ALL_PROXY/NO_PROXY from the environment).",
)
@click.option(
    "--stream", is_flag=True, help="Print the body as it arrives (server-sent events, /drip)."
)
@click.option("--no-keep-alive", is_flag=True, help="Never reuse a connection.")
@click.option("--compressed", is_flag=True, help="Ask for a compressed response (Accept-Encoding).")
@click.option(
    "--max-size",
    type=click.IntRange(1),
    default=100 * 1024 * 1024,
    show_default=True,
    help="Largest response body accepted, in bytes.",
)
@click.option(
    "--repeat",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    help="Send N times through one client.",
)
@click.option("--output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "-o",
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, writable=True),
    help="Also write the (last) response body to this file.",
)
@click.option("-v", "--verbose", is_flag=True, help="Also show the request exactly as sent.")
@click.option("--check-status", is_flag=True, help="Exit 14 on a 4xx, 15 on a 5xx response.")
def send(args: tuple[str, ...], **opts: Any) -> None:
    """Send a request and show exactly what happened on the wire.

    \b
    Items: Header:value  name==query  field=value  field:=json
           field=@file  field:=@file  field@file (upload)
    Exit codes: 2 bad input, 3 DNS, 4 connect, 5 TLS, 6 timeout,
    7 protocol, 8 too large, 9 redirects, 10 client certificate,
    11 proxy, 12 OAuth, 14/15 with --check-status.

    \b
    reqlab send example.org/get
    reqlab send POST :8080/post name=reqlab tags:='["a","b"]' X-Trace:1
    reqlab send --http1.0 :8080/echo Connection:keep-alive 'Keep-Alive:timeout=5, max=100'
    reqlab send --repeat 3 --output json https://example.org/
    """
    from reqlab.client import Client

    options = Options(
        timeout=opts["timeout"],
        connect_timeout=opts["connect_timeout"],
        follow_redirects=opts["follow"],
        max_redirects=opts["max_redirects"],
        verify=not opts["insecure"],
        keep_alive=not opts["no_keep_alive"],
        compressed=opts["compressed"],
    )
    request = build_request(
        args,
        source=opts["source"],
        curl=opts["curl"],
        headers=opts["headers"],
        data=opts["data"],
        json_text=opts["json_text"],
        form_specs=opts["form_specs"],
        form=opts["form"],
        user=opts["user"],
        digest=opts["digest"],
        bearer=opts["bearer"],
        version=opts["version"],
        options=options,
    )
    auth = auth_from(opts, request.url)  # SigV4, API key, OAuth 2.0
    if auth is not None:
        request = request.replace(auth=auth)
    console = Console(highlight=False, soft_wrap=False)
    as_json = opts["output"] == "json"
    finals = []
    seen: set[str] = set()  # warnings already shown once
    cert = (opts["cert"], opts["key"]) if opts["key"] and opts["cert"] else opts["cert"]
    if opts["key"] and not opts["cert"]:
        fail("--key needs --cert", Exit.BAD_INPUT)
    with Client(
        cafile=opts["cacert"], cert=cert, proxy=opts["proxy"], max_body=opts["max_size"]
    ) as client:
        if opts["cookie_jar"]:
            load_cookies(client, opts["cookie_jar"])
        if opts["stream"]:
            from reqlab.cli._stream import stream_body

            if opts["out_file"] or opts["repeat"] > 1:
                fail(
                    "--stream prints the body as it arrives: not with -o or --repeat",
                    Exit.BAD_INPUT,
                )
            try:
                finals.append(stream_body(client, request, as_json))
            except (RequestTimeout, RemoteProtocolError, ResponseTooLarge, TooManyRedirects) as exc:
                fail(f"{request.method} {request.url}: {exc}", exit_for(exc))
        for n in range(0 if opts["stream"] else opts["repeat"]):
            try:
                response = client.send(request)
            except (RequestTimeout, RemoteProtocolError, ResponseTooLarge, TooManyRedirects) as exc:
                # these messages do not say where: add the request
                fail(f"{request.method} {request.url}: {exc}", exit_for(exc))
            finals.append(response.exchange)
            for exchange in [*response.history, response.exchange]:
                if as_json:
                    click.echo(json_line(exchange))
                else:
                    final = exchange is response.exchange
                    show_exchange(
                        console,
                        exchange,
                        verbose=opts["verbose"] and n == 0,
                        full=final and n == 0,
                        seen=seen,
                    )
            if not as_json and opts["repeat"] > 1 and n < opts["repeat"] - 1:
                console.print()
        if opts["cookie_jar"]:
            save_cookies(client, opts["cookie_jar"])
    if not as_json and opts["repeat"] > 1:
        s = summary(finals)
        console.print(
            f"\n{s['requests']} requests: {s['reused']} on a reused connection, {s['new']} on a new one"
        )
    if opts["out_file"]:
        _save_body(finals[-1], opts["out_file"])
    status = finals[-1].status
    if opts["check_status"] and status >= 400:
        sys.exit(Exit.HTTP_5XX if status >= 500 else Exit.HTTP_4XX)
