"""The cookie editor's routes: the cookies a page session's client holds.

    GET    /api/cookies                 {"domains": [{"domain", "cookies": [...]}]}
    PUT    /api/cookies                 add or replace one (same domain, path, name)
    DELETE /api/cookies                 {"domain", "path", "name"} one; {"domain"} all of a domain
    POST   /api/cookies/import          {"text": "<Netscape cookie file>"} -> {"added": N}
    GET    /api/cookies/export          the Netscape file (what curl -b/-c reads)

A cookie is ``{"domain", "path", "name", "value", "secure", "http_only",
"expires"}`` (``expires``: epoch seconds, null for a session cookie).  Bad
input is a 422 naming the field (or the file's line); nothing here touches
a file on the server.  The session's cookies are its own: each page session
has its client and so its jar (see :mod:`sessions`).
"""

from __future__ import annotations

import re
import time
from typing import Any

from starlette.requests import Request as HTTPRequest
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from reqlab.auth.cookies import _cookie, format_netscape, parse_netscape
from reqlab.errors import InvalidRequest
from reqlab.web.cookies import rotated, writer
from reqlab.web.endpoint import contained
from reqlab.web.errors import APIError, field_of, json_body

_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")  # an RFC 6265 token
_DOMAIN = re.compile(r"^\.?[A-Za-z0-9_.:\[\]-]+$")
_BAD_VALUE = re.compile(r"[\x00-\x1f\x7f;]")
MAX_COOKIES = 3000  # what a browser keeps, about


def _jar(request: HTTPRequest, owner: str) -> Any:
    state = request.app.state
    client = state.sessions.client_of(state.sessions.get(owner))
    if client.jar is None:
        raise APIError(409, "this session's client keeps no cookies")
    return client.jar.jar


def _as_json(c: Any) -> dict[str, Any]:
    return {
        "domain": c.domain,
        "path": c.path,
        "name": c.name,
        "value": c.value or "",
        "secure": bool(c.secure),
        "http_only": c.has_nonstandard_attr("HttpOnly"),
        "expires": c.expires,
    }


def _listing(jar: Any) -> dict[str, Any]:
    now = int(time.time())
    domains: dict[str, list[dict[str, Any]]] = {}
    for c in sorted(jar, key=lambda c: (c.domain.lstrip("."), c.path, c.name)):
        if not c.is_expired(now):
            domains.setdefault(c.domain, []).append(_as_json(c))
    return {"domains": [{"domain": d, "cookies": cs} for d, cs in domains.items()]}


async def list_cookies(request: HTTPRequest) -> Response:
    return JSONResponse(_listing(_jar(request, request.scope["state"]["sid"])))


def _text(data: Any, key: str, pattern: re.Pattern[str] | None, what: str) -> str:
    value = field_of(data, key, str)
    if pattern is not None and not pattern.match(value):
        raise APIError(422, f"{key}: {value[:60]!r} is not {what}", field=key)
    return str(value)


def cookie_of(data: Any) -> Any:
    """A cookiejar Cookie from the editor's JSON; 422 naming the bad field."""
    domain = _text(data, "domain", _DOMAIN, "a host name").lower()
    name = _text(data, "name", _NAME, "a cookie name (a token: no spaces, ';', ',' or '=')")
    value = field_of(data, "value", str, required=False) or ""
    if _BAD_VALUE.search(value) or len(value) > 4096:
        raise APIError(422, "value: no ';' or control characters, at most 4096", field="value")
    path = field_of(data, "path", str, required=False) or "/"
    if not path.startswith("/") or _BAD_VALUE.search(path):
        raise APIError(422, f"path: {path[:60]!r} must start with '/'", field="path")
    expires = data.get("expires")
    if expires is not None and (
        isinstance(expires, bool) or not isinstance(expires, int) or not 0 < expires < 2**40
    ):
        raise APIError(422, "expires: epoch seconds, or null for a session cookie", field="expires")
    secure = bool(field_of(data, "secure", bool, required=False))
    cookie = _cookie(domain, path, secure, expires, name, value)
    if field_of(data, "http_only", bool, required=False):
        cookie.set_nonstandard_attr("HttpOnly", "")
    return cookie


async def put_cookie(request: HTTPRequest) -> Response:
    data = await json_body(request)
    cookie = cookie_of(data)
    owner = await writer(request)
    jar = _jar(request, owner)
    if len(jar) >= MAX_COOKIES:
        raise APIError(429, f"this session keeps {MAX_COOKIES} cookies at most; delete some")
    jar.set_cookie(cookie)
    return rotated(request, JSONResponse(_listing(jar)))


async def delete_cookie(request: HTTPRequest) -> Response:
    data = await json_body(request)
    domain = _text(data, "domain", _DOMAIN, "a host name")
    name = field_of(data, "name", str, required=False)
    path = field_of(data, "path", str, required=False) or "/"
    jar = _jar(request, await writer(request))
    try:
        if name is None:
            jar.clear(domain)
        else:
            jar.clear(domain, path, name)
    except KeyError:
        what = f"cookie {name!r} at {domain}{path}" if name is not None else f"cookie for {domain}"
        raise APIError(404, f"no {what}") from None
    return rotated(request, JSONResponse(_listing(jar)))


async def import_cookies(request: HTTPRequest) -> Response:
    data = await json_body(request)
    text = field_of(data, "text", str)
    try:
        cookies = parse_netscape(text, "text")
    except InvalidRequest as exc:
        message = f"text: not a Netscape cookie file ({exc.message})"
        raise APIError(422, message, field="text") from None
    for c in cookies:
        if not _DOMAIN.match(c.domain) or not _NAME.match(c.name):
            raise APIError(422, f"text: {c.domain} {c.name!r} is not a valid cookie", field="text")
    jar = _jar(request, await writer(request))
    if len(jar) + len(cookies) > MAX_COOKIES:
        raise APIError(429, f"this session keeps {MAX_COOKIES} cookies at most")
    now = int(time.time())
    kept = [c for c in cookies if not c.is_expired(now)]
    for c in kept:
        jar.set_cookie(c)
    return rotated(request, JSONResponse({"added": len(kept), **_listing(jar)}))


async def export_cookies(request: HTTPRequest) -> Response:
    jar = _jar(request, request.scope["state"]["sid"])
    return Response(
        format_netscape(list(jar)),
        media_type="text/plain; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="cookies.txt"'},
    )


routes = [
    Route("/api/cookies", contained(list_cookies), methods=["GET"]),
    Route("/api/cookies", contained(put_cookie), methods=["PUT"]),
    Route("/api/cookies", contained(delete_cookie), methods=["DELETE"]),
    Route("/api/cookies/import", contained(import_cookies), methods=["POST"]),
    Route("/api/cookies/export", contained(export_cookies), methods=["GET"]),
]
