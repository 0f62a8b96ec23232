"""The request ``reqlab send``'s command line describes.

HTTPie's rules (see :mod:`reqlab.formats.httpie_items`), plus reqlab's
curl-style options, merged by one rule:

- ``-H 'Name: value'`` is a header item placed before the items.
- ``--form-part name=value|name=@file`` are multipart items placed before
  the items (the body is multipart/form-data; ``--json`` is refused).
- ``--data DATA`` (curl's ``-d``; ``@file`` reads a file), ``--raw TEXT``,
  an ``@file`` item and a piped stdin each give the whole body: at most
  one of them, and never together with field items; otherwise one line
  names both and the command exits 2 (HTTPie's rule).

A URL argument goes through :data:`RESOLVERS` first (a function that takes
the argument and returns a base :class:`Request`, or None to pass), then
through HTTPie's shorthands.  Files and stdin are read by ``_send_inputs``;
the item language itself is parsed without I/O in ``formats``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

import click

from reqlab.cli._send_inputs import (
    auth_for,
    curl_data,
    curl_headers,
    curl_parts,
    guess_type,
    read_body_file,
    read_file,
    stdin_has_body,
)
from reqlab.errors import InvalidRequest
from reqlab.formats.httpie_items import (
    Items,
    Mode,
    Upload,
    expand_url,
    has_data_items,
    is_item,
    parse_items,
    split_item,
)
from reqlab.model import (
    Body,
    BytesBody,
    FormBody,
    JsonBody,
    MultipartBody,
    MultipartField,
    MultipartFile,
    Options,
    Request,
)

# Hooks that turn a URL argument into a base request (workspaces: 'file.http#name').
RESOLVERS: list[Callable[[str], Request | None]] = []

JSON_ACCEPT = "application/json, */*;q=0.5"
FORM_TYPE = "application/x-www-form-urlencoded; charset=utf-8"
METHODS = frozenset(
    ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"]
)
# headers the engine adds whatever the command line says
ALWAYS_SENT = frozenset({"host", "content-length"})


class SendArgs(NamedTuple):
    """The request-describing part of ``reqlab send``'s options."""

    args: tuple[str, ...]
    json: bool = False
    form: bool = False
    multipart: bool = False
    raw: str | None = None
    data: tuple[str, ...] = ()
    form_parts: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    ignore_stdin: bool = False
    auth: str | None = None
    auth_type: str | None = None
    version: str | None = None
    default_scheme: str = "http"
    options: Options = Options()  # frozen: one shared default is safe
    # Tried before RESOLVERS: per-invocation ones (a workspace with --env/--var).
    resolvers: tuple[Callable[[str], Request | None], ...] = ()


class Built(NamedTuple):
    request: Request
    notes: tuple[str, ...] = ()  # warnings for stderr
    # value -> variable name: what a workspace's private environment put in
    # the request, hidden wherever the command shows the request
    secrets: Mapping[str, str] = MappingProxyType({})


def split_positionals(args: tuple[str, ...]) -> tuple[str | None, str, list[str]]:
    """``[METHOD] URL [ITEM ...]``: the first of two or more is a method when
    it is letters only (HTTPie's rule)."""
    if not args:
        raise click.UsageError("missing URL: reqlab send [METHOD] URL [ITEM ...]")
    if len(args) == 1 and args[0].upper() in METHODS and args[0].isupper():
        raise click.UsageError(f"missing URL after {args[0]}")
    if args[0][:1] in "{[" and len(args) > 1:
        raise click.UsageError(
            "--json is a flag (as in HTTPie); give a JSON body with --raw TEXT or items"
        )
    if len(args) >= 2 and args[0].isalpha():
        method, url, rest = args[0].upper(), args[1], list(args[2:])
    else:
        method, url, rest = None, args[0], list(args[1:])
    _refuse_item_as_url(url)
    return method, url, rest


def _refuse_item_as_url(url: str) -> None:
    """'a=1 :8081/post' (or curl's '-d a=1 URL', -d being --download) would
    otherwise try a host named 'a=1'."""
    if "://" in url or not is_item(url):
        return
    item = split_item(url)
    if (
        item.sep in ("=", ":=", "==", "=@", ":=@", "==@")
        and "/" not in item.key
        and "." not in item.key
    ):
        raise click.UsageError(
            f"{url!r} is not a URL: the URL comes first ([METHOD] URL [ITEM ...]);"
            " -d is --download as in HTTPie, curl's -d is --data"
        )


def resolve(
    target: str, default_scheme: str, first: tuple[Callable[[str], Request | None], ...] = ()
) -> tuple[Request, bool]:
    """The base request a URL argument names, and whether a resolver named it."""
    for resolver in (*first, *RESOLVERS):
        found = resolver(target)
        if found is not None:
            return found, True
    return Request(url=expand_url(target, default_scheme)), False


def _mode(a: SendArgs, uploads: bool) -> Mode:
    if a.multipart or a.form_parts:
        return "multipart"
    if a.form or uploads:
        return "form"
    return "json"


def build(a: SendArgs) -> Built:
    """The request, or InvalidRequest / UsageError naming what is wrong."""
    method, target, texts = split_positionals(a.args)
    if a.json and (a.form or a.multipart or a.form_parts):
        raise click.UsageError("--json cannot be combined with --form, --multipart or -F")
    texts = curl_parts(a.form_parts) + texts
    mode = _mode(a, uploads=False)
    items = parse_items(texts, mode, read_file)
    if items.uploads and mode == "json":
        # HTTPie asks for --form here; reqlab sends the upload as multipart
        mode = "form"
        items = parse_items(texts, mode, read_file)
    for upload in items.uploads:
        if not Path(upload.path).expanduser().is_file():
            raise InvalidRequest(
                f"item {upload.field}@{upload.path}", f"no file at {upload.path!r}"
            )
    raw, raw_from = _raw_body(a, items)
    if raw_from and (items.has_data or a.form_parts):
        raise click.UsageError(
            f"a body from {raw_from} and field items cannot be mixed"
            + (" (pass --ignore-stdin to send the items)" if raw_from == "stdin" else "")
        )
    base, resolved = resolve(target, a.default_scheme, a.resolvers)
    notes: list[str] = []
    headers = _headers(a, items, mode, raw_from, notes)
    body = _body(items, mode, raw, headers)
    if (
        body is not None
        and isinstance(body, JsonBody | FormBody)
        and "content-type" in _removed(headers)
    ):
        body = BytesBody(data=_encoded(body))
    url = base.url
    if items.params:
        from urllib.parse import urlencode

        url += ("&" if "?" in url else "?") + urlencode(items.params)
    if method is None:
        has_body = raw_from is not None or has_data_items(texts)
        method = base.method if resolved else ("POST" if has_body else "GET")
    sent = [(n, v) for n, v in headers if v is not None]
    request = Request(
        method=method,
        url=url,
        headers=tuple(base.headers) + tuple(sent),
        body=body if body is not None else base.body,
        auth=auth_for(a.auth, a.auth_type) or base.auth,
        version=a.version or base.version,  # type: ignore[arg-type]
        # A workspace request's own `# @reqlab.option` settings win over the
        # command line's defaults.
        options=base.options if resolved and base.options != Options() else a.options,
    )
    return Built(request, tuple(notes))


def _raw_body(a: SendArgs, items: Items) -> tuple[bytes | None, str | None]:
    sources: list[tuple[str, Callable[[], bytes]]] = []
    if a.raw is not None:
        sources.append(("--raw", lambda: (a.raw or "").encode()))
    if a.data:
        sources.append(("--data", lambda: curl_data(a.data)))
    if items.body_file is not None:
        path = items.body_file
        sources.append((f"@{path}", lambda: read_body_file(path)))
    if not a.ignore_stdin and "@-" not in a.data and stdin_has_body():
        sources.append(("stdin", lambda: sys.stdin.buffer.read()))
    if len(sources) > 1:
        names = " and ".join(name for name, _ in sources)
        hint = " (pass --ignore-stdin to leave stdin alone)" if sources[-1][0] == "stdin" else ""
        raise click.UsageError(f"two request bodies given: {names}{hint}")
    if not sources:
        return None, None
    name, read = sources[0]
    if items.has_data or a.form_parts:
        return None, name  # refused by the caller before reading
    return read(), name


def _headers(
    a: SendArgs, items: Items, mode: Mode, raw_from: str | None, notes: list[str]
) -> list[tuple[str, str | None]]:
    """HTTPie's defaults, then -H headers, then header items (a later one replaces
    a default of the same name; None marks a removal)."""
    defaults: list[tuple[str, str | None]] = []
    has_data = items.has_data or raw_from is not None
    if mode == "json" and (a.json or has_data):
        defaults.append(("Accept", JSON_ACCEPT))
        defaults.append(("Content-Type", "application/json"))
    elif mode == "form" and not items.uploads:
        defaults.append(("Content-Type", FORM_TYPE))
    if raw_from == "--data" and mode == "json" and not a.json:
        defaults = [("Content-Type", "application/x-www-form-urlencoded")]  # as curl -d
    if raw_from and raw_from.startswith("@") and items.body_file:
        guessed = guess_type(items.body_file)
        if guessed:
            defaults = [h for h in defaults if h[0] != "Content-Type"] + [("Content-Type", guessed)]
    user: list[tuple[str, str | None]] = [*curl_headers(a.headers), *items.headers]
    given = {n.lower() for n, _ in user}
    out = [h for h in defaults if h[0].lower() not in given] + user
    for name, value in user:
        if value is None and name.lower() in ALWAYS_SENT:
            notes.append(f"'{name}:' has no effect: reqlab always sends {name}")
    return out


def _removed(headers: list[tuple[str, str | None]]) -> set[str]:
    return {n.lower() for n, v in headers if v is None}


def _body(
    items: Items, mode: Mode, raw: bytes | None, headers: list[tuple[str, str | None]]
) -> Body | None:
    if raw is not None:
        return BytesBody(data=raw)
    if mode == "multipart" or items.uploads:
        parts = tuple(_part(name, value) for name, value in items.parts)
        return MultipartBody(parts, boundary=_boundary_for(headers))
    if mode == "form":
        return FormBody(tuple(items.fields)) if items.fields else None
    if items.json is None or items.json == {}:
        return None
    return JsonBody(items.json)


def _boundary_for(headers: list[tuple[str, str | None]]) -> str | None:
    """A Content-Type the user gave for a multipart body gets the boundary
    appended when it has none, as HTTPie does (``headers`` is updated)."""
    for i, (name, value) in enumerate(headers):
        if name.lower() == "content-type" and value is not None and "boundary=" not in value:
            from reqlab.body import new_boundary

            boundary = new_boundary()
            headers[i] = (name, f"{value}; boundary={boundary}")
            return boundary
    return None


def _part(name: str, value: str | Upload) -> MultipartField | MultipartFile:
    if isinstance(value, str):
        return MultipartField(name, value)
    path = str(Path(value.path).expanduser())
    mime = value.mime or guess_type(path)
    return MultipartFile(name, os.path.basename(value.path), mime, path=path)


def _encoded(body: JsonBody | FormBody) -> bytes:
    from reqlab.body import body_bytes

    return body_bytes(body)
