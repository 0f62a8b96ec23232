"""``/echo`` (JSON reflection of the request) and ``/echo/raw`` (the request as text).

This is the server's hot path and the one the throughput benchmark measures,
so a bodiless request builds its dict without touching the body parsers, and
both answers are synchronous (the connection layer calls them without a
coroutine, see ``handle_sync``).
"""

from __future__ import annotations

import base64
from typing import Any, Protocol

from reqlab.echo._types import EchoRequest, EchoResponse, TLSInfo

from ._forms import media_type, parse_urlencoded
from ._http import JSON, dumps
from ._view import FORM, RequestView, wire_bytes, wire_text


def reflection(view: RequestView) -> dict[str, Any]:
    """The reflection dict: the documented shape, in the documented key order."""
    req = view.request
    body = req.body
    headers = req.headers
    if body:
        try:
            text, encoding = body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = base64.b64encode(body).decode("ascii"), "base64"
        parsed_json = view.json
        form = view.form
        parts = view.parts
        files = [p.summary() for p in view.files] if parts is not None else None
        multipart = [p.summary() for p in parts] if parts is not None else None
    else:
        text, encoding, parsed_json, form, files, multipart = "", "utf-8", None, None, None, None
        ctype = req.header("content-type") if headers else None
        if ctype is not None and media_type(ctype) == FORM:
            form = []
    raw_head = req.raw_head
    # HTTP/1.x headers were decoded from raw_head: if it is ASCII, so are they.
    if (raw_head is None or not raw_head.isascii()) and not all(
        n.isascii() and v.isascii() for n, v in headers
    ):
        headers = [(wire_text(n), wire_text(v)) for n, v in headers]
    conn = req.connection
    tls = conn.tls
    ka = req.keep_alive
    target = req.target
    path = view.raw_path
    return {
        "method": req.method,
        "target": target if target.isascii() else wire_text(target),
        "path": path if path.isascii() else wire_text(path),
        "query": view.query if view.query_string else [],
        "http_version": req.http_version,
        "headers": headers,
        "pseudo_headers": [(n, wire_text(v)) for n, v in req.pseudo_headers]
        if req.http_version == "HTTP/2"
        else None,
        "body": text,
        "body_encoding": encoding,
        "json": parsed_json,
        "form": form,
        "files": files,
        "multipart": multipart,
        "raw_head": _decode(raw_head) if raw_head is not None else None,
        "connection": {
            "id": conn.id,
            "request_number": conn.request_number,
            "client": conn.client,
            "tls": None if tls is None else _tls(tls),
        },
        "keep_alive": {
            "persistent": ka.persistent,
            "timeout": ka.timeout,
            "remaining": ka.remaining,
        },
    }


def _tls(tls: TLSInfo) -> dict[str, Any]:
    found: dict[str, Any] = {
        "version": tls.version,
        "cipher": tls.cipher,
        "alpn": tls.alpn,
        "sni": tls.sni,
    }
    if tls.client_subject is not None:  # only a server that asks (--tls-client-ca) gets one
        found["client_cert"] = {"subject": tls.client_subject, "issuer": tls.client_issuer}
    return found


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


# The reflection of the commonest request (HTTP/1.x, ASCII head, no body, no
# Content-Type) as one template: the same document dumps(reflection())
# gives, byte for byte (a test compares them), minus building and walking the
# dict.  Every string that comes from the request still goes through dumps().
_PLAIN = (
    b'{"method":"%s","target":%s,"path":%s,"query":%s,"http_version":"%s","headers":%s,'
    b'"pseudo_headers":null,"body":"","body_encoding":"utf-8","json":null,"form":null,'
    b'"files":null,"multipart":null,"raw_head":%s,"connection":{"id":%d,"request_number":%d,'
    b"%s%d}}"  # the connection's tail: "client", "tls", "keep_alive" up to "remaining"
)
# Request-line methods checked by llhttp (tokens: never a quote or a backslash).
_METHODS = {m: m.encode() for m in ("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH")}
_TAILS: dict[tuple, bytes] = {}
_VERSIONS = {"HTTP/1.1": b"HTTP/1.1", "HTTP/1.0": b"HTTP/1.0"}


class PlainRequest(Protocol):
    """What plain_reflection reads: an EchoRequest, or the HTTP/1.x core's Request."""

    method: str
    target: str
    http_version: str
    headers: list[tuple[str, str]]
    raw_head: bytes | None
    body: bytes


def plain_reflection(
    req: PlainRequest,
    path: str,
    query: str,
    conn_id: int,
    request_number: int,
    client: str,
    tls: TLSInfo | None,
    persistent: bool,
    timeout: float,
    remaining: int,
) -> bytes | None:
    """``dumps(reflection())`` of a plain bodiless HTTP/1.x request; None if it is not plain.

    ``path`` and ``query`` are the target's, as RequestView splits them.  The
    one implementation behind both reflection_json (from a RequestView) and
    handle_plain (straight from the connection core's Request).
    """
    raw = req.raw_head
    method = _METHODS.get(req.method)
    target = req.target
    if raw is None or method is None or req.body or not raw.isascii() or not target.isascii():
        return None
    headers = req.headers
    for name, _ in headers:
        if len(name) == 12 and name.lower() == "content-type":  # perhaps a form: form = []
            return None
    # What follows request_number is the same for every request on a
    # connection (while it persists), so it is rendered once per connection.
    # type(timeout) is in the key: 5 (an int) must stay "5", 5.0 "5.0".
    key = (client, tls, persistent, timeout, type(timeout))
    tail = _TAILS.get(key)
    if tail is None:
        tail = b'"client":%s,"tls":%s},"keep_alive":{"persistent":%s,"timeout":%s,"remaining":' % (
            dumps(client),
            b"null" if tls is None else dumps(_tls(tls)),
            b"true" if persistent else b"false",
            dumps(timeout),
        )
        if len(_TAILS) >= 4096:  # bounded: one entry per open connection, roughly
            _TAILS.clear()
        _TAILS[key] = tail
    quoted = dumps(target)
    return _PLAIN % (
        method,
        quoted,
        quoted if path == target else dumps(path),
        dumps(parse_urlencoded(query)) if query else b"[]",  # ASCII: as wire_bytes would give
        _VERSIONS[req.http_version],
        dumps(headers),
        dumps(raw.decode("ascii")),
        conn_id,
        request_number,
        tail,
        remaining,
    )


def reflection_json(view: RequestView) -> bytes:
    """``dumps(reflection(view))``, faster for a plain bodiless HTTP/1.x request."""
    req = view.request
    conn = req.connection
    ka = req.keep_alive
    if req.http_version in _VERSIONS:
        out = plain_reflection(
            req,
            view.raw_path,
            view.query_string,
            conn.id,
            conn.request_number,
            conn.client,
            conn.tls,
            ka.persistent,
            ka.timeout,
            ka.remaining,
        )
        if out is not None:
            return out
    return dumps(reflection(view))


_CONTENT_TYPE_JSON = ("Content-Type", JSON)
JSON_HEADERS = (_CONTENT_TYPE_JSON,)  # what echo() answers with, as handle_plain's constant


def echo(view: RequestView) -> EchoResponse:
    return EchoResponse(200, [_CONTENT_TYPE_JSON], reflection_json(view))


def raw_text(req: EchoRequest) -> bytes:
    """The request as it arrived (HTTP/1.x) or as an HTTP/2 header-block rendering."""
    if req.raw_head is not None:
        return req.raw_head + req.body
    lines = [f"{n}: {v}" for n, v in req.pseudo_headers]
    lines += [f"{n}: {v}" for n, v in req.headers]
    return wire_bytes("\r\n".join(lines) + "\r\n\r\n") + req.body


def echo_raw(view: RequestView) -> EchoResponse:
    return EchoResponse(
        200, [("Content-Type", "text/plain; charset=utf-8")], raw_text(view.request)
    )
