"""Route table: path patterns to handlers, with httpbin's method rules.

A route is declared with :func:`route` next to its handler.  Patterns use
``{name}`` for one path segment, ``{name:int}`` for digits and
``{name:path}`` for the rest of the path, like Flask's converters, so the
httpbin routes read as they do in httpbin.  Fixed paths are looked up in a
dict; only parametrised ones go through the (short) regex list.

Method rules follow Flask: a route lists its methods; GET implies HEAD, and
OPTIONS is answered for every route with its Allow list.  A path that
matches with the wrong method gets 405 and Allow.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from reqlab.echo._types import EchoResponse

from ._http import error_response
from ._view import RequestView

RouteHandler = Callable[..., Awaitable[EchoResponse]]

HTTPBIN_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "TRACE")

_CONVERTERS = {"": r"[^/]+", "int": r"\d+", "path": r".+"}
_PARAM = re.compile(r"\{(\w+)(?::(\w+))?\}")


@dataclass(frozen=True)
class Route:
    pattern: str
    regex: re.Pattern[str] | None  # None for fixed paths
    ints: frozenset[str]
    methods: frozenset[str]
    handler: RouteHandler

    @property
    def allow(self) -> str:
        return ", ".join(sorted(self.methods))


_fixed: dict[str, Route] = {}
_patterns: list[Route] = []


def _compile(pattern: str) -> tuple[re.Pattern[str] | None, frozenset[str]]:
    if "{" not in pattern:
        return None, frozenset()
    ints: set[str] = set()
    out, pos = [], 0
    for m in _PARAM.finditer(pattern):
        out.append(re.escape(pattern[pos : m.start()]))
        name, conv = m.group(1), m.group(2) or ""
        if conv == "int":
            ints.add(name)
        out.append(f"(?P<{name}>{_CONVERTERS[conv]})")
        pos = m.end()
    out.append(re.escape(pattern[pos:]))
    return re.compile("".join(out) + r"\Z"), frozenset(ints)


def route(
    *patterns: str, methods: tuple[str, ...] = ("GET",)
) -> Callable[[RouteHandler], RouteHandler]:
    """Register the decorated handler for ``patterns`` (httpbin-style method list)."""
    allowed = set(methods) | {"OPTIONS"}
    if "GET" in allowed:
        allowed.add("HEAD")

    def register(handler: RouteHandler) -> RouteHandler:
        for pattern in patterns:
            regex, ints = _compile(pattern)
            r = Route(pattern, regex, ints, frozenset(allowed), handler)
            if regex is None:
                _fixed[pattern] = r
            else:
                _patterns.append(r)
        return handler

    return register


def match(path: str) -> tuple[Route, dict[str, Any]] | None:
    """The route for ``path`` and its parameters, or None."""
    fixed = _fixed.get(path)
    if fixed is not None:
        return fixed, {}
    for r in _patterns:
        assert r.regex is not None
        m = r.regex.match(path)
        if m:
            params: dict[str, Any] = m.groupdict()
            for name in r.ints:
                params[name] = int(params[name])
            return r, params
    return None


async def dispatch(view: RequestView) -> EchoResponse | None:
    """Run the route for ``view``; None when no route matches the path."""
    found = match(view.path)
    if found is None:
        return None
    r, params = found
    if view.method not in r.methods:
        return error_response(405, f"method {view.method} not allowed", [("Allow", r.allow)])
    if view.method == "OPTIONS":
        return _preflight(view, r)
    return await r.handler(view, **params)


def _preflight(view: RequestView, r: Route) -> EchoResponse:
    # httpbin (Flask) answers OPTIONS itself, with CORS preflight headers.
    headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Allow", r.allow),
        ("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, PATCH, OPTIONS"),
        ("Access-Control-Max-Age", "3600"),
    ]
    requested = view.raw_header("access-control-request-headers")
    if requested is not None:
        headers.append(("Access-Control-Allow-Headers", requested))
    return EchoResponse(status=200, headers=headers, body=b"")
