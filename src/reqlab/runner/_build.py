"""Turn a parsed entry's request into a :class:`reqlab.Request`, resolving
``{{variables}}``, plus the per-entry run settings from [Options]."""

from __future__ import annotations

import dataclasses
from dataclasses import field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote

from reqlab import __version__
from reqlab._records import record
from reqlab.formats.hurl import ast
from reqlab.model import (
    BasicAuth,
    BytesBody,
    DigestAuth,
    MultipartBody,
    MultipartField,
    MultipartFile,
    Options,
    Part,
    Request,
)
from reqlab.runner._evaluate import RunError, literal, text

_VERSIONS = {"http1.0": "HTTP/1.0", "http1.1": "HTTP/1.1", "http2": "HTTP/2", "http3": "HTTP/3"}
# [Options] that name a client setting: the field of Transport each sets
_TRANSPORT = {"cacert": "cafile", "cert": "cert", "key": "key", "proxy": "proxy"}
_DEFAULT_TYPES = {
    ast.JsonBody: "application/json",
    ast.XmlBody: "application/xml",
    ast.GraphQLBody: "application/json",
}
_LANGUAGE_TYPES = {"json": "application/json", "xml": "application/xml"}


class Transport(NamedTuple):
    """What an entry asks of its client that a request cannot carry: the CA
    file, the client certificate and key, the proxy, where to dial (the
    run's, or the entry's [Options] ``cacert``, ``cert``, ``key``, ``proxy``,
    ``resolve``, ``connect-to``, ``ipv4``, ``ipv6``).  Entries with the same
    one share a client and its connections, as curl reuses a connection only
    for a request with the same TLS and proxy settings."""

    cafile: str | None = None
    cert: str | None = None  # FILE or FILE:PASSWORD, as curl's --cert
    key: str | None = None
    proxy: str | None = None
    resolve: tuple[str, ...] = ()  # HOST:PORT:ADDRESS, as curl's --resolve
    connect_to: tuple[str, ...] = ()  # HOST1:PORT1:HOST2:PORT2
    ip_version: int | None = None  # 4 or 6: --ipv4, --ipv6


@record()
class EntrySettings:
    """How to run one entry, from the run's settings and its [Options]."""

    follow: bool = False
    max_redirects: int = 50
    verify: bool = True
    compressed: bool = False
    version: str | None = None
    timeout: float | None = None
    connect_timeout: float | None = None
    retry: int = 0
    retry_interval_ms: int = 1000
    delay_ms: int = 0
    repeat: int = 1
    skip: bool = False
    path_as_is: bool = False  # send ``/a/../b`` as written (curl squashes it to ``/b``)
    output: str | None = None  # write the response body there ("-": stdout)
    netrc: str | None = None  # a .netrc file the credentials come from ("": ~/.netrc)
    auth: BasicAuth | None = None  # the ``user`` option
    digest: bool = False  # ``user`` answers a digest challenge instead
    aws_sigv4: str | None = None  # ``user`` is an AWS key pair signing the request
    headers: list[tuple[str, str]] = field(default_factory=list)
    transport: Transport = Transport()
    local_files: bool = True  # False on a public web instance: no option reads its files


def settings(
    spec: ast.RequestSpec, base: EntrySettings, variables: dict[str, Any], root: Path
) -> EntrySettings:
    """Apply [Options]; ``variable`` options are set in ``variables`` here.
    An entry without options runs on ``base`` itself (nothing changes it)."""
    if not spec.options:
        return base
    s = dataclasses.replace(base, headers=list(base.headers))
    for opt in spec.options:
        try:
            _apply(s, opt, literal(opt.value, variables, root), variables)
        except (TypeError, ValueError):
            raise RunError(opt.pos, f"option {opt.name}: invalid value") from None
    return s


def _apply(s: EntrySettings, opt: ast.OptionSpec, value: Any, variables: dict[str, Any]) -> None:
    name = opt.name
    if name == "variable":
        variables[opt.key] = value
    elif name == "location":
        s.follow = _bool(value)
    elif name == "max-redirs":
        s.max_redirects = int(value)
    elif name == "insecure":
        s.verify = not _bool(value)
    elif name == "compressed":
        s.compressed = _bool(value)
    elif name in _VERSIONS:
        if _bool(value):
            s.version = _VERSIONS[name]
    elif name == "max-time":
        s.timeout = int(value) / 1000
    elif name == "connect-timeout":
        s.connect_timeout = int(value) / 1000
    elif name == "retry":
        s.retry = int(value)
    elif name == "retry-interval":
        s.retry_interval_ms = int(value)
    elif name == "delay":
        s.delay_ms = int(value)
    elif name == "repeat":
        s.repeat = int(value)
    elif name == "skip":
        s.skip = _bool(value)
    elif name == "path-as-is":
        s.path_as_is = _bool(value)
    elif name == "output":
        if not s.local_files:
            raise RunError(opt.pos, "option output: this server writes no file for a run")
        s.output = str(value)
    elif name in ("netrc", "netrc-optional"):
        if _bool(value):
            s.netrc = s.netrc or ""
    elif name == "netrc-file":
        if not s.local_files:
            raise RunError(opt.pos, f"option {name}: this server reads no file for a run")
        s.netrc = str(value)
    elif name == "user":
        user, _, password = str(value).partition(":")
        s.auth = BasicAuth(user, password)
    elif name in _TRANSPORT:
        if not s.local_files and name != "proxy":
            raise RunError(opt.pos, f"option {name}: this server reads no file for a run")
        changes: dict[str, Any] = {_TRANSPORT[name]: str(value)}
        s.transport = s.transport._replace(**changes)
    elif name == "resolve":  # each line adds a rule, as curl's options do
        s.transport = s.transport._replace(resolve=(*s.transport.resolve, str(value)))
    elif name == "connect-to":
        rules = (*s.transport.connect_to, str(value))
        s.transport = s.transport._replace(connect_to=rules)
    elif name in ("ipv4", "ipv6"):
        if _bool(value):
            s.transport = s.transport._replace(ip_version=int(name[-1]))
    elif name == "digest":
        s.digest = _bool(value)
    elif name == "aws-sigv4":
        s.aws_sigv4 = str(value)
    elif name == "header":
        key, _, val = str(value).partition(":")
        s.headers.append((key.strip(), val.strip()))
    # verbose / very-verbose: reqlab always records the exchange


def _bool(value: Any) -> bool:
    """true/false, also from a {{variable}} holding "true" or "false"."""
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return bool(value == "true")
    raise ValueError(f"expected true or false, got {value!r}")


def request(
    spec: ast.RequestSpec, s: EntrySettings, variables: dict[str, Any], root: Path
) -> Request:
    url = text(spec.url, variables)
    if not s.path_as_is and "/." in url:
        url = squash_dots(url)
    if spec.query:
        pairs = [(text(kv.key, variables), text(kv.value, variables)) for kv in spec.query]
        query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)
        url += ("&" if "?" in url else "?") + query
    headers = [(text(kv.key, variables), text(kv.value, variables)) for kv in spec.headers]
    headers += s.headers
    if spec.cookies:
        cookie = "; ".join(
            f"{text(c.key, variables)}={text(c.value, variables)}" for c in spec.cookies
        )
        headers.append(("Cookie", cookie))
    names = {n.lower() for n, _ in headers}
    if "user-agent" not in names:
        headers.append(("User-Agent", f"reqlab/{__version__}"))
    if "accept" not in names:
        headers.append(("Accept", "*/*"))
    body: Any = None
    if spec.form:  # encoded as curl encodes it (a space is %20, not +)
        pairs = [(text(k.key, variables), text(k.value, variables)) for k in spec.form]
        form = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)
        body = BytesBody(data=form.encode())
        if "content-type" not in names:
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
    elif spec.multipart:
        body = MultipartBody(tuple(_part(p, variables, root) for p in spec.multipart))
    elif spec.body is not None:
        body = BytesBody(data=body_bytes(spec.body, variables, root))
        ctype = _DEFAULT_TYPES.get(type(spec.body.body))
        if isinstance(spec.body.body, ast.TextBody):  # ```json / ```xml
            ctype = _LANGUAGE_TYPES.get(spec.body.body.language or "")
        if ctype and "content-type" not in names:
            headers.append(("Content-Type", ctype))
    try:
        auth = user_auth(s, url)
        if spec.basic_auth is not None:
            auth = BasicAuth(
                text(spec.basic_auth.key, variables), text(spec.basic_auth.value, variables)
            )
        return Request(
            method=spec.method,
            url=url,
            headers=tuple(headers),
            body=body,
            auth=auth,
            version=s.version,  # type: ignore[arg-type]
            options=_options(
                s.timeout, s.connect_timeout, s.follow, s.max_redirects, s.verify, s.compressed
            ),
        )
    except ValueError as exc:
        raise RunError(spec.pos, str(exc)) from None


def _netrc_login(path: str, url: str) -> BasicAuth | None:
    """The login and password of the URL's host in a .netrc file (curl's
    ``--netrc``, ``--netrc-file``); None when it has no entry for the host."""
    import netrc  # only for a run that asks for it
    from urllib.parse import urlsplit

    where = path or str(Path.home() / ".netrc")
    try:
        found = netrc.netrc(where).authenticators(urlsplit(url).hostname or "")
    except FileNotFoundError:
        return None  # as curl: no file, no credentials from it
    except (OSError, netrc.NetrcParseError) as exc:
        raise ValueError(f"netrc file {where}: {exc}") from None
    if found is None:
        return None
    login, _, password = found
    return BasicAuth(login, password or "")


def graphql_json(body: ast.GraphQLBody, variables: dict[str, Any]) -> str:
    """The JSON Hurl sends for a ```graphql body: the query, trimmed, as a JSON
    string; the variables object as written with the whitespace between its
    tokens removed (numbers and string escapes kept as written)."""
    import json  # loaded already by every run that reads a JSON body

    query = json.dumps(text(body.query, variables).strip(), ensure_ascii=False)
    if body.variables is None:
        return f'{{"query":{query}}}'
    return f'{{"query":{query},"variables":{_minified(text(body.variables, variables))}}}'


def _minified(source: str) -> str:
    """JSON without the whitespace outside its strings."""
    out: list[str] = []
    in_string = escaped = False
    for ch in source:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch in " \t\r\n":
            continue
        elif ch == '"':
            in_string = True
        out.append(ch)
    return "".join(out)


def squash_dots(url: str) -> str:
    """The URL with its path's ``.`` and ``..`` segments removed (RFC 3986
    section 5.2.4), as curl, and so Hurl, sends it unless ``path-as-is``:
    ``/a/../b/./c`` goes out as ``/b/c``.  The query and fragment are kept."""
    scheme, sep, rest = url.partition("://")
    start = rest.find("/") if sep else -1
    if start < 0:
        return url
    end = min(
        (i for i in (rest.find("?", start), rest.find("#", start)) if i >= 0), default=len(rest)
    )
    path = rest[start:end]
    return f"{scheme}://{rest[:start]}{remove_dot_segments(path)}{rest[end:]}"


def remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4, step by step."""
    out: list[str] = []
    rest = path
    while rest:
        if rest.startswith(("../", "./")):
            rest = rest[rest.index("/") + 1 :]
        elif rest.startswith("/./") or rest == "/.":
            rest = "/" + rest[3:]
        elif rest.startswith("/../") or rest == "/..":
            rest = "/" + rest[4:]
            if out:
                out.pop()
        elif rest in (".", ".."):
            rest = ""
        else:
            cut = rest.find("/", 1)
            cut = len(rest) if cut < 0 else cut
            out.append(rest[:cut])
            rest = rest[cut:]
    return "".join(out)


def user_auth(s: EntrySettings, url: str) -> Any:
    """The ``user`` option as curl reads it: basic, digest with ``digest``,
    the access and secret keys of an AWS signature with ``aws-sigv4``; with
    no ``user``, the URL host's login in the ``.netrc`` file if one is named."""
    user = s.auth
    if user is None and s.netrc is not None:
        user = _netrc_login(s.netrc, url)
    if s.aws_sigv4 is not None:
        from reqlab.auth._aws import from_curl  # only for a file that signs

        credentials = f"{user.username}:{user.password}" if user is not None else None
        return from_curl(s.aws_sigv4, credentials, url)
    if s.digest and user is not None:
        return DigestAuth(user.username, user.password)
    return user


@lru_cache(maxsize=64)  # immutable, and the same for nearly every entry of a run
def _options(
    timeout: float | None,
    connect_timeout: float | None,
    follow: bool,
    max_redirects: int,
    verify: bool,
    compressed: bool,
) -> Options:
    return Options(
        timeout=timeout,
        connect_timeout=connect_timeout,
        follow_redirects=follow,
        max_redirects=max_redirects,
        verify=verify,
        compressed=compressed,
    )


def _part(p: ast.KeyValue | ast.FilePart, variables: dict[str, Any], root: Path) -> Part:
    name = text(p.key, variables)
    if isinstance(p, ast.KeyValue):
        return MultipartField(name, text(p.value, variables))
    written = text(p.path, variables)
    path = root / written
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RunError(p.path.pos, f"cannot read {path}: {exc.strerror}") from None
    import mimetypes  # only for a file part without a content type

    ctype = p.content_type or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return MultipartFile(name, written, ctype, data=data)  # the name as written, as Hurl sends it


def body_bytes(spec: ast.BodySpec, variables: dict[str, Any], root: Path) -> bytes:
    b = spec.body
    if isinstance(b, ast.JsonBody | ast.TextBody):
        return text(b.text, variables).encode()
    if isinstance(b, ast.XmlBody):
        return b.text.encode()
    if isinstance(b, ast.GraphQLBody):
        return graphql_json(b, variables).encode()
    if isinstance(b, ast.BytesBody):
        return b.data
    path = root / text(b.path, variables)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise RunError(spec.pos, f"cannot read {path}: {exc.strerror}") from None
