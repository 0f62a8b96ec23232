"""A request template plus a :class:`Scope` -> a :class:`reqlab.model.Request`.

Every ``{{...}}`` is replaced (an unknown one stops with its name and
``file:line:column``), reqlab's ``# @reqlab.option`` settings become the
request's version and options, ``Authorization: Basic user pass`` becomes
basic auth as the IDE clients read it, and the body's ``< ./file`` parts are
joined.  A whole-body ``< ./file`` stays a path, read when the request is
sent; mixed bodies need ``read_file``.  Pure apart from that callable.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from urllib.parse import quote

from reqlab.errors import InvalidRequest
from reqlab.formats.httpfile._model import (
    FileChunk,
    HttpFileError,
    RequestTemplate,
    TextChunk,
)
from reqlab.formats.httpfile.variables import Scope, UnresolvedVariable, mask
from reqlab.model import (
    VERSIONS,
    BasicAuth,
    BearerAuth,
    Body,
    BytesBody,
    DigestAuth,
    Options,
    Request,
    TextBody,
)

_URL_SAFE = ":/?#[]@!$&'()*+,;=%~{}|^`\\"
ReadFile = Callable[[str], bytes]
_NOT_HTTP = ("WEBSOCKET", "GRPC")  # JetBrains request kinds that are not HTTP requests
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}
_VERSION_NAMES = {"1.0": "HTTP/1.0", "1.1": "HTTP/1.1", "2": "HTTP/2", "2.0": "HTTP/2"}


@dataclass(frozen=True)
class Resolved:
    request: Request
    secrets: dict[str, str] = field(default_factory=dict)  # value -> variable name
    warnings: list[str] = field(default_factory=list)

    def masked(self, style: str = "dots") -> Request:
        return mask_request(self.request, self.secrets, style)


class _Where:
    """Turns an offset in a template string into file:line:column."""

    def __init__(self, path: str, template: RequestTemplate) -> None:
        self.path = path
        self.template = template

    def expand(self, scope: Scope, text: str, line: int, column: int) -> str:
        try:
            return scope.expand(text)
        except UnresolvedVariable as exc:
            before = text[: exc.offset]
            if "\n" in before:
                line += before.count("\n")
                column = len(before) - before.rfind("\n")
            else:
                column += exc.offset
            raise HttpFileError(self.path, line, column, exc.message) from None


def _bool(name: str, value: str, error: Callable[[str], HttpFileError]) -> bool:
    if value.lower() in _TRUE or value == "":
        return True
    if value.lower() in _FALSE:
        return False
    raise error(f"@reqlab.{name} takes true or false, got {value!r}")


def _seconds(name: str, value: str, error: Callable[[str], HttpFileError]) -> float:
    text = value.strip().lower()
    scale = 1.0
    if text.endswith("ms"):
        text, scale = text[:-2], 0.001
    elif text.endswith("s"):
        text = text[:-1]
    try:
        seconds = float(text) * scale
    except ValueError:
        raise error(f"@reqlab.{name} takes seconds (5, 2.5s, 500ms), got {value!r}") from None
    if seconds <= 0:
        raise error(f"@reqlab.{name} must be more than 0, got {value!r}")
    return seconds


def settings(template: RequestTemplate, path: str) -> tuple[str | None, Options]:
    """The version and options the template's request line and
    ``# @reqlab.*`` lines ask for (cached: the same on every send)."""
    return _settings(template.version, template.options, template.tags, path, template.line)


@lru_cache(maxsize=4096)
def _settings(
    written: str | None,
    options: tuple[tuple[str, str], ...],
    tags: tuple[tuple[str, str], ...],
    path: str,
    line: int,
) -> tuple[str | None, Options]:
    def error(message: str) -> HttpFileError:
        return HttpFileError(path, line, 1, message)

    version = _version(written, error) if written else None
    opts: dict[str, object] = {}
    for name, value in options:
        if name == "http-version":
            version = _version(value, error)
        elif name in ("keep-alive", "follow-redirects", "verify", "compressed"):
            opts[name.replace("-", "_")] = _bool(name, value, error)
        elif name in ("timeout", "connect-timeout"):
            opts[name.replace("-", "_")] = _seconds(name, value, error)
        elif name == "auth":
            continue  # the workspace reads it (reqlab.formats.httpfile.authspec)
        elif name == "max-redirects" and value.isdigit():
            opts["max_redirects"] = int(value)
        else:
            raise error(
                f"unknown setting @reqlab.{name} {value!r} (known: auth, http-version, keep-alive,"
                " timeout, connect-timeout, follow-redirects, max-redirects, verify, compressed)"
            )
    if ("no-redirect", "") in tags:
        opts["follow_redirects"] = False
    return version, Options(**opts)  # type: ignore[arg-type]


def _version(text: str, error: Callable[[str], HttpFileError]) -> str:
    key = text.upper().removeprefix("HTTP/")
    if key in _VERSION_NAMES:
        return _VERSION_NAMES[key]
    raise error(f"HTTP version {text!r} is not one of {', '.join(VERSIONS)}")


def _auth(headers: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], object]:
    """``Authorization: Basic user pass`` (or ``user:pass``) and ``Digest user
    pass`` as the IDE clients read them; a base64 token stays a header."""
    for i, (name, value) in enumerate(headers):
        if name.lower() != "authorization":
            continue
        scheme, _, rest = value.partition(" ")
        words = rest.strip().split(" ", 1)
        auth: object = None
        if scheme.lower() in ("basic", "digest") and len(words) == 2:
            cls = BasicAuth if scheme.lower() == "basic" else DigestAuth
            auth = cls(words[0], words[1].strip())
        elif scheme.lower() in ("basic", "digest") and ":" in rest:
            user, _, password = rest.strip().partition(":")
            auth = (BasicAuth if scheme.lower() == "basic" else DigestAuth)(user, password)
        if auth is not None:
            return headers[:i] + headers[i + 1 :], auth
    return headers, None


def _body(
    template: RequestTemplate,
    where: _Where,
    scope: Scope,
    base_dir: str,
    read_file: ReadFile | None,
) -> Body | None:
    chunks = template.body
    if not chunks:
        return None
    multipart = (template.header("content-type") or "").lower().startswith("multipart/")
    if len(chunks) == 1 and isinstance(chunks[0], FileChunk) and not chunks[0].substitute:
        return BytesBody(path=posixpath.normpath(posixpath.join(base_dir, chunks[0].path)))
    # Multipart lines end in CRLF on the wire, as the IDE clients send them;
    # only the text written in the file is converted, never an included file.
    newline = "\r\n" if multipart else "\n"
    parts: list[bytes] = []
    for chunk in chunks:
        if isinstance(chunk, TextChunk):
            text = where.expand(scope, chunk.text, chunk.line, 1)
            parts.append(text.replace("\r\n", "\n").replace("\n", newline).encode())
            continue
        if read_file is None:
            raise HttpFileError(
                where.path, chunk.line, 1, f"cannot read {chunk.path!r} here (no file access)"
            )
        try:
            data = read_file(posixpath.normpath(posixpath.join(base_dir, chunk.path)))
        except OSError as exc:
            raise HttpFileError(
                where.path, chunk.line, 3, f"{chunk.path}: {exc.strerror}"
            ) from None
        if chunk.substitute:
            data = where.expand(scope, data.decode("utf-8", "replace"), chunk.line, 1).encode()
        parts.append(data)
    data = newline.encode().join(parts)
    try:
        return TextBody(data.decode("utf-8"))
    except UnicodeDecodeError:
        return BytesBody(data=data)


def _graphql(body: Body | None, headers: list[tuple[str, str]]) -> Body:
    """JetBrains' ``GRAPHQL`` request: the body is the query, optionally
    followed by a blank line and a JSON object of variables; sent as the
    usual JSON POST."""
    text = body.text if isinstance(body, TextBody) else ""
    query, variables = text, None
    head, sep, tail = text.rpartition("\n\n")
    if sep and tail.lstrip().startswith("{"):
        try:
            variables = json.loads(tail)
            query = head
        except ValueError:
            pass
    if not any(n.lower() == "content-type" for n, _ in headers):
        headers.append(("Content-Type", "application/json"))
    payload = {"query": query} if variables is None else {"query": query, "variables": variables}
    return TextBody(json.dumps(payload, ensure_ascii=False))


def _url(url: str, headers: list[tuple[str, str]]) -> str:
    """``/path`` with a Host header, or ``host/path`` without a scheme, as
    the IDE clients accept them; a space or non-ASCII character a variable
    brought in is percent-encoded, as they send it."""
    if not url.isascii() or " " in url:
        url = quote(url, safe=_URL_SAFE)
    if "://" in url:
        return url
    if url.startswith("/"):
        host = next((v for n, v in headers if n.lower() == "host"), None)
        if host:
            return f"http://{host}{url}"
    return "http://" + url


def resolve_template(
    template: RequestTemplate,
    scope: Scope,
    *,
    path: str = "<text>",
    base_dir: str = "",
    read_file: ReadFile | None = None,
) -> Resolved:
    """The request ``template`` means in ``scope``.  HttpFileError (with the
    file, line and column) for an unknown variable or a refused value."""
    where = _Where(path, template)
    method = template.method
    if method in _NOT_HTTP:
        raise HttpFileError(
            path, template.line, 1, f"{method} requests are not supported by reqlab"
        )
    url = where.expand(scope, template.url, template.line, template.column)
    headers = [(h.name, where.expand(scope, h.value, h.line, h.column)) for h in template.headers]
    headers, auth = _auth(headers)
    version, options = settings(template, path)
    body = _body(template, where, scope, base_dir, read_file)
    if method == "GRAPHQL":
        method, body = "POST", _graphql(body, headers)
    warnings = []
    if template.handlers or template.pre_scripts:
        count = len(template.handlers) + len(template.pre_scripts)
        warnings.append(f"{count} script(s) kept but not run (reqlab does not run JavaScript)")
    try:
        request = Request(
            method=method,
            url=_url(url, headers),
            headers=tuple(headers),
            body=body,
            auth=auth,  # type: ignore[arg-type]
            version=version,  # type: ignore[arg-type]
            options=options,
        )
    except InvalidRequest as exc:
        message = mask(str(exc), scope.secrets)
        raise HttpFileError(path, template.line, 1, message) from None
    return Resolved(request, dict(scope.secrets), warnings)


def mask_request(request: Request, secrets: dict[str, str], style: str = "dots") -> Request:
    """``request`` with every secret value hidden (see :func:`mask`), for
    history, exports and logs."""
    if not secrets:
        return request

    def m(text: str) -> str:
        return mask(text, secrets, style)

    body = request.body
    if isinstance(body, TextBody):
        body = TextBody(m(body.text))
    auth = request.auth
    if isinstance(auth, BasicAuth | DigestAuth):
        auth = type(auth)(auth.username, m(auth.password))
    elif isinstance(auth, BearerAuth):
        auth = BearerAuth(m(auth.token))
    return replace(
        request,
        url=m(request.url),
        headers=tuple((n, m(v)) for n, v in request.headers),
        body=body,
        auth=auth,
    )
