"""httpbin's cookie endpoints: /cookies /cookies/set (query or /{name}/{value})
/cookies/delete.  Setting and deleting redirect to /cookies, as httpbin does."""

from __future__ import annotations

from reqlab.echo._types import EchoResponse

from ._http import error_response, json_response, redirect_response
from ._router import route
from ._view import RequestView

# Analytics cookies httpbin.org hides unless ?show_env is given.
ENV_COOKIES = frozenset(
    {
        "_gauges_unique",
        "_gauges_unique_year",
        "_gauges_unique_month",
        "_gauges_unique_day",
        "_gauges_unique_hour",
        "__utmz",
        "__utma",
        "__utmb",
    }
)
_FORBIDDEN = set('\r\n\0;,= \t"')


def _valid(name: str, value: str) -> bool:
    return bool(name) and not (_FORBIDDEN & set(name)) and not (set("\r\n\0;") & set(value))


# RFC 6265 section 4.1.1: cookie-octet, what a cookie value may hold as is.
_COOKIE_OCTET = frozenset(range(0x21, 0x7F)) - {0x22, 0x2C, 0x3B, 0x5C}


def cookie_value(value: str) -> str:
    """``value`` as RFC 6265 allows it: UTF-8, each byte outside cookie-octet
    (space, quote, comma, backslash, controls, non-ASCII) percent-encoded.
    ``/cookies/set?c=%C3%A9`` sets ``c=%C3%A9``, ``?b=x%20y`` sets ``b=x%20y``."""
    data = value.encode("utf-8", "surrogateescape")
    if all(b in _COOKIE_OCTET for b in data):
        return value
    return "".join(chr(b) if b in _COOKIE_OCTET else f"%{b:02X}" for b in data)


def set_cookie(view: RequestView, name: str, value: str) -> str:
    secure = "; Secure" if view.scheme == "https" else ""
    return f"{name}={cookie_value(value)}{secure}; Path=/"


def delete_cookie(name: str) -> str:
    return f"{name}=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"


@route("/cookies")
async def cookies(view: RequestView) -> EchoResponse:
    jar = dict(view.cookies)
    if view.arg("show_env") is None:
        for key in ENV_COOKIES:
            jar.pop(key, None)
    return json_response({"cookies": jar})


def _redirect_with(headers: list[tuple[str, str]]) -> EchoResponse:
    response = redirect_response("/cookies")
    response.headers.extend(headers)
    return response


@route("/cookies/set/{name}/{value}")
async def set_one(view: RequestView, name: str, value: str) -> EchoResponse:
    if not _valid(name, value):
        return error_response(400, "invalid cookie name or value")
    return _redirect_with([("Set-Cookie", set_cookie(view, name, value))])


@route("/cookies/set")
async def set_many(view: RequestView) -> EchoResponse:
    pairs: dict[str, str] = {}
    for n, v in view.query:
        pairs.setdefault(n, v)  # the first of a repeated name wins, as in httpbin
    if not all(_valid(n, v) for n, v in pairs.items()):
        return error_response(400, "invalid cookie name or value")
    return _redirect_with([("Set-Cookie", set_cookie(view, n, v)) for n, v in pairs.items()])


@route("/cookies/delete")
async def delete(view: RequestView) -> EchoResponse:
    names = dict.fromkeys(n for n, _ in view.query)
    if not all(_valid(n, "") for n in names):
        return error_response(400, "invalid cookie name")
    return _redirect_with([("Set-Cookie", delete_cookie(n)) for n in names])
