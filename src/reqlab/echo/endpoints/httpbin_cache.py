"""httpbin's caching and response-header endpoints: /cache /cache/{n}
/etag/{etag} (If-None-Match / If-Match) /response-headers."""

from __future__ import annotations

import re
import uuid
from email.utils import formatdate
from typing import Any

from reqlab.echo._types import EchoResponse

from ._http import JSON, dumps_pretty, empty_response, error_response, header_safe, json_response
from ._httpbin import get_dict, semiflatten
from ._router import route
from ._view import RequestView

# Framing and connection headers belong to the connection layer; a client
# cannot make the server lie about them through /response-headers.
_RESERVED = frozenset(
    {"content-length", "transfer-encoding", "connection", "keep-alive", "upgrade"}
)
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")


def _get_json(view: RequestView, *headers: tuple[str, str]) -> EchoResponse:
    return json_response(get_dict(view, "url", "args", "headers", "origin"), headers=headers)


@route("/cache")
async def cache(view: RequestView) -> EchoResponse:
    if view.header("if-modified-since") or view.header("if-none-match"):
        return empty_response(304)
    return _get_json(view, ("Last-Modified", formatdate(usegmt=True)), ("ETag", uuid.uuid4().hex))


@route("/cache/{seconds:int}")
async def cache_for(view: RequestView, seconds: int) -> EchoResponse:
    return _get_json(view, ("Cache-Control", f"public, max-age={seconds}"))


def etag_list(header: str | None) -> list[str]:
    """``W/"a", "b", *`` -> ["a", "b", "*"] (httpbin ignores weakness)."""
    if not header:
        return []
    out = []
    for part in header.split(","):
        item = part.strip()
        item = item.removeprefix("W/")
        out.append(item.strip('"'))
    return [i for i in out if i]


@route("/etag/{etag}")
async def etag(view: RequestView, etag: str) -> EchoResponse:
    if not header_safe(etag):
        return error_response(400, "invalid etag")
    if_none_match = etag_list(view.header("if-none-match"))
    if_match = etag_list(view.header("if-match"))
    if if_none_match:
        if etag in if_none_match or "*" in if_none_match:
            return empty_response(304, [("ETag", etag)])
    elif if_match and etag not in if_match and "*" not in if_match:
        return empty_response(412)
    return _get_json(view, ("ETag", etag))


@route("/response-headers", methods=("GET", "POST"))
async def response_headers(view: RequestView) -> EchoResponse:
    extra = [(n, v) for n, v in view.query if n.lower() not in _RESERVED]
    for name, value in extra:
        if not _TOKEN.match(name) or not header_safe(value):
            return error_response(400, f"cannot send header {name!r}")
    ctype = next((v for n, v in extra if n.lower() == "content-type"), JSON)
    extra = [(n, v) for n, v in extra if n.lower() != "content-type"]
    # The body lists the response's own headers, Content-Length included, so
    # iterate until the length written in the body is the body's length.
    body = b""
    for _ in range(10):
        listed: dict[str, Any] = {"Content-Length": str(len(body)), "Content-Type": ctype}
        listed.update(semiflatten(extra))
        new = dumps_pretty(listed)
        if new == body:
            break
        body = new
    return EchoResponse(200, [("Content-Type", ctype), *extra], body)
