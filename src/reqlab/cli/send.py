"""``reqlab send``: HTTPie's command line, and the wire record on top.

    reqlab send [METHOD] URL [ITEM ...]        HTTPie's items (_send_build)
    reqlab send --file req.har|req.http|- [BASE_URL]
    reqlab send --curl 'curl -X POST ...'

The command builds a :class:`reqlab.Request` (``_send_build``), optionally
merges a session (``_session``), hands it to :class:`reqlab.client.Client`
and prints what the reader needs (``_output``: the rich view on a
terminal, the body alone in a pipe).  Errors surface through
``reqlab.cli.main`` as one line and a code from ``_exit``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import click

from reqlab.cli import fail
from reqlab.cli._auth_opts import with_flow_auth
from reqlab.cli._exit import Exit, exit_for, exit_for_status
from reqlab.cli._output import Plan, Writer, choose, wire_text
from reqlab.cli._send_build import Built, SendArgs, build
from reqlab.cli._send_opts import send_options
from reqlab.errors import (
    FormatError,
    InvalidRequest,
    RemoteProtocolError,
    RequestTimeout,
    ResponseTooLarge,
    TooManyRedirects,
)
from reqlab.model import Options, Request


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


def build_request(o: dict[str, Any], options: Options) -> Built:
    """The request the options describe (also used by ``probe`` and ``bench``)."""
    auth, auth_type = o.get("auth") or o.get("user"), o.get("auth_type")
    if o.get("bearer"):
        auth, auth_type = o["bearer"], "bearer"
    elif o.get("digest"):
        auth_type = "digest"
    if o.get("source") is not None or o.get("curl") is not None:
        args = o["args"]
        if len(args) > 1 or (args and o.get("curl") is not None):
            raise click.UsageError(
                "with --file only a base URL may follow (for a request without Host); with --curl nothing"
            )
        from reqlab.formats.httpie_items import expand_url

        base = expand_url(args[0]) if args else None
        request = _from_file(o.get("source"), o.get("curl"), base)
        from reqlab.cli._send_inputs import auth_for, curl_headers

        return Built(
            request.replace(
                headers=tuple(request.headers) + tuple(curl_headers(o.get("headers", ()))),
                version=o.get("version") or request.version,
                options=options,
                auth=auth_for(auth, auth_type) or request.auth,
            )
        )
    secrets: dict[str, str] = {}  # filled by the workspace resolver
    built = build(
        SendArgs(
            args=o["args"],
            json=o.get("as_json", False),
            form=o.get("form", False),
            multipart=o.get("multipart", False),
            raw=o.get("raw"),
            data=o.get("data", ()),
            form_parts=o.get("form_parts", ()),
            headers=o.get("headers", ()),
            ignore_stdin=o.get("ignore_stdin", False) or o.get("source") == "-",
            auth=auth,
            auth_type=auth_type,
            version=o.get("version"),
            default_scheme=o.get("default_scheme", "http"),
            options=options,
            resolvers=(_workspace_resolver(o.get("env"), o.get("var", ()), secrets),),
        )
    )._replace(secrets=secrets)
    if o.get("graphql") is None:
        if o.get("variables") is not None or o.get("operation_name") is not None:
            raise click.UsageError("--variables and --operation-name go with --graphql")
        return built
    return built._replace(request=_graphql(built.request, o))


def _graphql(request: Request, o: dict[str, Any]) -> Request:
    """--graphql QUERY_FILE: the standard JSON POST of one operation (reqlab.graphql)."""
    import json

    from reqlab import graphql

    if request.body is not None:
        raise click.UsageError("--graphql builds the body: drop the data items or --raw")
    query = _read_bytes(o["graphql"]).decode("utf-8", "replace")
    variables = None
    if o.get("variables") is not None:
        try:
            variables = json.loads(o["variables"])
        except ValueError as exc:
            raise click.UsageError(f"--variables: not JSON ({exc})") from None
    operation = graphql.request(
        request.url, query, variables, o.get("operation_name"), headers=request.headers
    )
    return request.replace(method="POST", headers=operation.headers, body=operation.body)


def _workspace_resolver(
    env: str | None, assignments: tuple[str, ...], secrets: dict[str, str]
) -> Callable[[str], Request | None]:
    """``path/file.http[#name]`` names a request of a workspace (docs/workspace.md);
    the private environment's values it used go into ``secrets``."""
    values: dict[str, str] = {}
    for text in assignments:
        name, eq, value = text.partition("=")
        if not eq or not name:
            raise click.UsageError(f"--var {text!r}: expected NAME=VALUE")
        values[name] = value

    def resolver(target: str) -> Request | None:
        path = target.partition("#")[0]
        if not path.endswith((".http", ".rest")):
            if env is not None or values:
                raise click.UsageError("--env and --var apply to a .http file argument only")
            return None
        from reqlab.client import Client
        from reqlab.workspace import resolve_cli

        with Client() as client:  # sends the requests this one's variables quote
            resolved = resolve_cli(target, env, values, client=client)
        if resolved is None:
            return None
        secrets.update(resolved.secrets)
        for warning in resolved.warnings:
            click.echo(f"reqlab: warning: {warning}", err=True)
        return resolved.request

    return resolver


def _options(o: dict[str, Any]) -> Options:
    return Options(
        timeout=o["timeout"],
        connect_timeout=o["connect_timeout"],
        follow_redirects=o["follow"],
        max_redirects=o["max_redirects"],
        total_timeout=o["total_timeout"],
        verify=not (o["insecure"] or (o["verify"] or "").lower() in ("no", "false")),
        keep_alive=not o["no_keep_alive"],
        compressed=o["compressed"],
    )


def _cafile(o: dict[str, Any]) -> str | None:
    """--cacert, or HTTPie's --verify=PATH."""
    verify = o["verify"]
    if verify is None or verify.lower() in ("yes", "no", "true", "false"):
        return o["cacert"]  # type: ignore[no-any-return]
    if not Path(verify).expanduser().is_file():
        raise click.UsageError(f"--verify {verify!r}: expected yes, no or a CA bundle file")
    return str(Path(verify).expanduser())


def _plan(o: dict[str, Any]) -> Plan:
    to_file = o["out_file"] not in (None, "-") and o["output"] == "text"
    stdout_tty = sys.stdout.isatty() and not to_file and not o["download"]
    try:
        plan = choose(
            print_=o["print_"],
            verbose=o["verbose"],
            headers=o["only_headers"],
            body=o["only_body"],
            pretty=o["pretty"],
            offline=o["offline"],
            quiet=o["quiet"],
            stdout_tty=stdout_tty,
            stderr_tty=sys.stderr.isatty(),
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    if o["download"]:  # the body goes to the file; the rest to stderr (HTTPie)
        plan = plan._replace(letters=plan.letters.replace("b", "") or "h", rich_view=False)
    return plan


@click.command(context_settings={"help_option_names": ["--help"]})
@send_options
def send(args: tuple[str, ...], **o: Any) -> None:
    """Send a request and show exactly what happened on the wire.

    \b
    Items: Header:value  Header;  Header:  name==query  field=value
           field:=json  field=@file  field:=@file  field@file[;type=mime]
           a[b][0]=nested  a[]=append
    Print letters (-p): H request headers, B request body, h response
    headers, b response body, m metadata, t timings, c connection.
    Exit codes: 1 incomplete download, 2 bad input or timeout,
    3/4/5 3xx/4xx/5xx with --check-status or --download, 6 redirects,
    7 protocol, 8 too large, 10 DNS, 11 connect, 12 TLS, 13 client
    certificate, 14 proxy, 15 authentication (an OAuth 2.0 step failed).

    \b
    reqlab send :8080/get
    reqlab send POST :8080/post name=reqlab tags:='["a","b"]' X-Trace:1
    reqlab send --http1.0 :8080/echo Connection:keep-alive 'Keep-Alive:timeout=5, max=100'
    """
    o["args"] = args
    try:
        _send(o)
    except BrokenPipeError:  # the reader went away (`| head`): HTTPie exits 0, quietly
        from reqlab.cli import quiet_stdout

        quiet_stdout()
        sys.exit(Exit.OK)


def _send(o: dict[str, Any]) -> None:
    plan = _plan(o)
    built = build_request(o, _options(o))
    for note in built.notes:
        click.echo(f"reqlab: warning: {note}", err=True)
    request = built.request
    session = None
    if o["session"] or o["session_read_only"]:
        from reqlab.cli._session import Session

        session = Session.open(o["session"] or o["session_read_only"], request)
        request = session.apply(request)
    request = with_flow_auth(o, request)  # SigV4, API key, OAuth 2.0 (docs/auth.md)
    hide = _Hider(built.secrets)
    if o["offline"]:
        from reqlab.cli._offline import offline_bytes

        if not o["quiet"]:
            head, body = offline_bytes(request, _read_bytes)
            _emit_offline((hide.bytes(head), hide.bytes(body)), plan)
        finals = []
    else:
        finals = _exchange(request, o, plan, hide)
    if session is not None:
        session.update(finals, request)  # offline too, as HTTPie does
        if o["session"]:
            session.save()
    if finals:
        _finish(finals[-1], o)


def _emit_offline(data: tuple[bytes, bytes], plan: Plan) -> None:
    head, body = data
    out = sys.stdout.buffer
    if "H" in plan.letters:
        out.write(head + b"\r\n")
    if "B" in plan.letters and body:
        out.write(body)
        if sys.stdout.isatty() and not body.endswith(b"\n"):
            out.write(b"\n")  # a pipe gets the bytes exactly; a terminal a clean prompt
    out.flush()


class _Hider:
    """A workspace's private values hidden (``••••``) in what the command shows
    of the request: the request head and body, the URL in an error, the JSON
    record.  The response is shown as it came: it is the server's."""

    def __init__(self, secrets: Mapping[str, str]) -> None:
        self.secrets = dict(secrets)

    def text(self, text: str) -> str:
        if not self.secrets:
            return text
        from reqlab.workspace import mask

        return mask(text, self.secrets)

    def bytes(self, data: bytes) -> bytes:
        """The same on the bytes of a head or body: secrets as the UTF-8 they
        were sent as; bytes that are not UTF-8 pass through unchanged."""
        if not self.secrets or not data:
            return data
        return self.text(data.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape")

    def exchange(self, exchange: Any) -> Any:
        if not self.secrets:
            return exchange
        from dataclasses import replace

        raw = exchange.request_raw
        return replace(
            exchange,
            url=self.text(exchange.url),
            request_headers=[(n, self.text(v)) for n, v in exchange.request_headers],
            request_raw=None if raw is None else self.bytes(raw),
            request_body=self.bytes(exchange.request_body),
        )


def _exchange(request: Request, o: dict[str, Any], plan: Plan, hide: _Hider) -> list[Any]:
    from reqlab.client import Client

    cert = _cert(o)
    if o["stream"] and (o["repeat"] > 1 or o["download"] or o["out_file"] not in (None, "-")):
        fail("--stream prints the body as it arrives: not with -o, -d or --repeat", Exit.BAD_INPUT)
    finals = []
    out = None if o["quiet"] or o["output"] == "json" or plan.rich_view else _stream_for(o)
    writer = Writer(out, plan, terminal=sys.stdout.isatty()) if out is not None else None
    view = None
    if plan.rich_view and o["output"] == "text":
        from reqlab.cli._render import RichView

        view = RichView(verbose=o["verbose"], repeat=o["repeat"])
    with Client(
        cafile=_cafile(o),
        cert=cert,
        proxy=o["proxy"],
        max_body=o["max_size"],
        alt_svc=o["alt_svc"],
        zero_rtt=o["zero_rtt"],
        resolve=o["resolve"],
        connect_to=o["connect_to"],
        ip_version=o["ip_version"],
    ) as client:
        if o["cookie_jar"]:
            from reqlab.auth.cookies import load_cookies

            load_cookies(client, o["cookie_jar"])
        if o["stream"]:
            finals.append(_streamed(client, request, o))
            _save_jar(client, o)
            return finals
        for n in range(o["repeat"]):
            try:
                response = (
                    _downloaded(client, request, o, writer, hide)
                    if o["download"]
                    else client.send(request)
                )
            except (RequestTimeout, RemoteProtocolError, ResponseTooLarge, TooManyRedirects) as exc:
                fail(hide.text(f"{request.method} {request.url}: {exc}"), exit_for(exc))
            finals.append(response.exchange)
            hops = [*response.history, response.exchange]
            for exchange in hops:
                final = exchange is response.exchange
                shown = hide.exchange(exchange)
                if o["output"] == "json" and not o["quiet"]:
                    from reqlab.cli._render import json_line

                    click.echo(json_line(shown))
                elif view is not None:
                    view.show(shown, first=n == 0, final=final)
                elif writer is not None and (final or o["all_hops"]) and not o["download"]:
                    if n == 0:  # each shown response with the request that got it
                        writer.request(shown, shown.request_body)
                    writer.response(exchange, final)
                if plan.wire_to_stderr:
                    sys.stderr.write(wire_text(exchange, "tc"))
        _save_jar(client, o)
    if view is not None:
        view.done(finals)
    if out is not None and out not in (sys.stdout.buffer, sys.stderr.buffer):
        out.close()
    return finals


def _save_jar(client: Any, o: dict[str, Any]) -> None:
    """--cookie-jar: the jar goes back to its file after the sends."""
    if o["cookie_jar"]:
        from reqlab.auth.cookies import save_cookies

        save_cookies(client, o["cookie_jar"])


def _cert(o: dict[str, Any]) -> str | tuple[str, str] | None:
    """--cert FILE, or (--cert, --key) when the key is a file of its own."""
    if o["key"] and not o["cert"]:
        fail("--key needs --cert", Exit.BAD_INPUT)
    cert: str | None = o["cert"]
    return (cert, o["key"]) if cert and o["key"] else cert


def _streamed(client: Any, request: Request, o: dict[str, Any]) -> Any:
    """--stream: the head, then the body as it arrives (``_stream``)."""
    from reqlab.cli._stream import stream_body

    try:
        return stream_body(client, request, o["output"] == "json")
    except (RequestTimeout, RemoteProtocolError, ResponseTooLarge, TooManyRedirects) as exc:
        fail(f"{request.method} {request.url}: {exc}", exit_for(exc))


def _downloaded(client: Any, request: Request, o: dict[str, Any], writer: Any, hide: _Hider) -> Any:
    """--download: the head (HTTPie's order), then the body written to its file as
    it arrives (``_download``)."""

    def head(response: Any) -> None:
        if writer is not None:
            for exchange in [*response.history, response.exchange][0 if o["all_hops"] else -1 :]:
                shown = hide.exchange(exchange)
                writer.request(shown, shown.request_body)
                writer.response(exchange, exchange is response.exchange)

    from reqlab.cli._download import IncompleteDownload, download

    if o["repeat"] > 1:
        fail("--download saves one response: not with --repeat", Exit.BAD_INPUT)
    if o["continue_"] and o["out_file"] in (None, "-"):
        fail("--continue resumes a file: it needs -o FILE", Exit.BAD_INPUT)
    o["check_status"] = True  # as HTTPie: an error status is an exit code, not a file
    try:
        return download(client, request, o, head)
    except IncompleteDownload as exc:
        fail(str(exc), Exit.ERROR)  # HTTPie's line and its exit 1
    except BrokenPipeError:
        raise
    except OSError as exc:  # the file: a directory, no permission, disk full
        fail(f"--download: cannot write {exc.filename or ''}: {exc.strerror or exc}", Exit.ERROR)


def _stream_for(o: dict[str, Any]) -> Any:
    if o["out_file"] not in (None, "-") and o["output"] == "text" and not o["download"]:
        return open(o["out_file"], "wb")  # noqa: SIM115 - closed at exit
    if o["download"]:
        return sys.stderr.buffer if sys.stderr.isatty() else None
    return sys.stdout.buffer


def _finish(last: Any, o: dict[str, Any]) -> None:
    if o["out_file"] and o["output"] == "json" and not o["download"]:
        from reqlab.cli._download import save_body

        save_body(last, o["out_file"])
    if o["check_status"]:
        code = exit_for_status(last.status)
        if code == Exit.HTTP_3XX and o["follow"]:
            code = Exit.OK
        if code != Exit.OK:
            click.echo(
                f"reqlab: warning: HTTP {last.status} {last.reason} (--check-status)", err=True
            )
            sys.exit(code)
