"""The pieces of httpbin's request dict (``get_dict``) in httpbin's shapes.

httpbin runs on Flask/Werkzeug, so its view of a request is WSGI's: header
names title-cased (``X-Custom-Header``), repeated headers joined with ",",
query and form values flattened to a string (or a list when repeated), and
files as their content (a ``data:`` URL when not UTF-8).  Reproducing those
shapes lets httpbin clients and tests run against reqlab unchanged.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from typing import Any

from ._forms import media_type
from ._view import FORM, MULTIPART, RequestView, wire_text

# Headers a hosting proxy adds; httpbin hides them unless ?show_env is given.
ENV_HEADERS = frozenset(
    h.lower()
    for h in (
        "X-Varnish",
        "X-Request-Start",
        "X-Heroku-Queue-Depth",
        "X-Real-Ip",
        "X-Forwarded-Proto",
        "X-Forwarded-Protocol",
        "X-Forwarded-Ssl",
        "X-Heroku-Queue-Wait-Time",
        "X-Forwarded-For",
        "X-Heroku-Dynos-In-Use",
        "X-Forwarded-Port",
        "X-Request-Id",
        "Via",
        "Total-Route-Time",
        "Connect-Time",
    )
)


def semiflatten(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """[(k, v), ...] -> {k: v} with repeated keys collected into a list."""
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            prev = out[k]
            if isinstance(prev, list):
                prev.append(v)
            else:
                out[k] = [prev, v]
        else:
            out[k] = v
    return out


def json_safe(data: bytes, content_type: str = "application/octet-stream") -> str:
    """UTF-8 text as is, anything else as a base64 ``data:`` URL (httpbin's rule)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def headers(view: RequestView) -> dict[str, str]:
    hide_env = view.arg("show_env") is None
    out: dict[str, str] = {}
    req = view.request
    if req.http_version in ("HTTP/2", "HTTP/3") and req.header("host") is None and req.authority:
        out["Host"] = req.authority  # what a proxy or WSGI server derives from :authority
    for name, value in req.headers:
        if hide_env and name.lower() in ENV_HEADERS:
            continue
        key = name.replace("_", "-").title()
        value = wire_text(value)
        out[key] = f"{out[key]},{value}" if key in out else value
    return out


def origin(view: RequestView) -> str:
    return view.header("x-forwarded-for") or view.client_ip


def url(view: RequestView) -> str:
    proto = view.header("x-forwarded-proto") or view.header("x-forwarded-protocol")
    if proto is None and view.header("x-forwarded-ssl") == "on":
        proto = "https"
    target = view.request.target
    if target.startswith(("http://", "https://")):
        return target
    return view.base_url(proto) + target


def _files(view: RequestView) -> dict[str, Any]:
    files = view.files or []
    return semiflatten(
        (p.name, json_safe(p.data, p.content_type or "application/octet-stream")) for p in files
    )


def _data(view: RequestView) -> str:
    # Werkzeug consumes form bodies into .form, leaving .data empty.
    if media_type(view.header("content-type")) in (FORM, MULTIPART):
        return ""
    return json_safe(view.request.body)


def _json(view: RequestView) -> Any:
    if media_type(view.header("content-type")) in (FORM, MULTIPART):
        return None
    return view.json


_GETTERS: dict[str, Callable[[RequestView], object]] = {
    "url": url,
    "args": lambda v: semiflatten(v.query),
    "form": lambda v: semiflatten(v.form or []),
    "data": _data,
    "origin": origin,
    "headers": headers,
    "files": _files,
    "json": _json,
    "method": lambda v: v.method,
}


def get_dict(view: RequestView, *keys: str, **extras: Any) -> dict[str, Any]:
    """httpbin's ``get_dict``: the named parts of the request, plus ``extras``."""
    out = {key: _GETTERS[key](view) for key in keys}
    out.update(extras)
    return out


def cors(view: RequestView) -> list[tuple[str, str]]:
    """httpbin adds these to every answer."""
    return [
        ("Access-Control-Allow-Origin", view.raw_header("origin") or "*"),
        ("Access-Control-Allow-Credentials", "true"),
    ]
