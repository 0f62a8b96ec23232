"""Small response builders shared by every endpoint module.

JSON goes through orjson when it is installed (the reflection path is the
server's hot path and orjson is several times faster than the stdlib), with
the standard library as the fallback so nothing breaks without it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from reqlab.echo._types import EchoResponse


def stdlib_dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def stdlib_dumps_pretty(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


dumps: Callable[[Any], bytes] = stdlib_dumps
dumps_pretty = stdlib_dumps_pretty

try:
    import orjson
except ImportError:  # pragma: no cover - orjson is optional
    pass
else:
    _OPT_PRETTY = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS

    dumps = orjson.dumps  # no options: compact, like stdlib_dumps

    def dumps_pretty(value: Any) -> bytes:
        return orjson.dumps(value, option=_OPT_PRETTY) + b"\n"


JSON = "application/json"
TEXT = "text/plain; charset=utf-8"
HTML = "text/html; charset=utf-8"

Headers = Iterable[tuple[str, str]]


def json_response(
    value: Any, status: int = 200, headers: Headers = (), *, pretty: bool = True
) -> EchoResponse:
    """A JSON answer.  ``pretty`` matches httpbin's indented, key-sorted output."""
    body = dumps_pretty(value) if pretty else dumps(value)
    return EchoResponse(status=status, headers=[("Content-Type", JSON), *headers], body=body)


def text_response(
    text: str | bytes, content_type: str = TEXT, status: int = 200, headers: Headers = ()
) -> EchoResponse:
    body = text.encode() if isinstance(text, str) else text
    return EchoResponse(
        status=status, headers=[("Content-Type", content_type), *headers], body=body
    )


def empty_response(status: int, headers: Headers = ()) -> EchoResponse:
    return EchoResponse(status=status, headers=list(headers), body=b"")


def redirect_response(location: str, status: int = 302) -> EchoResponse:
    """A redirect with the small HTML body Werkzeug (and so httpbin) sends."""
    html = (
        "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n"
        "<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: "
        f'<a href="{_escape(location)}">{_escape(location)}</a>. '
        "If not, click the link.\n"
    )
    return text_response(html, HTML, status, [("Location", location)])


def error_response(status: int, message: str, headers: Headers = ()) -> EchoResponse:
    return json_response({"error": message, "status": status}, status, headers)


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def parse_int(text: str | None, default: int) -> int:
    """An integer query parameter; ``ValueError`` when present but not a number."""
    if text is None or text == "":
        return default
    return int(text)


def parse_float(text: str | None, default: float) -> float:
    if text is None or text == "":
        return default
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"not a finite number: {text!r}")
    return value


def header_safe(text: str) -> bool:
    """True when ``text`` can go into a header value (no line breaks or NULs)."""
    return not any(c in text for c in "\r\n\0")
