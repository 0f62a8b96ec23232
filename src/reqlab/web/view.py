"""What the page is shown of one exchange: the record, lint, a capped body.

The full body can be tens of megabytes; the page gets at most
``display_cap`` bytes of it (as text, or base64 for images and binary) and a
download link for the rest, so the browser never has to swallow a body it
cannot show.  The body's kind decides the viewer: json / xml / html (source,
highlighted; html also previewed in a sandboxed iframe), image, text, binary
(hex).
"""

from __future__ import annotations

import base64
from typing import Any

from reqlab.model import Request
from reqlab.protocol.keepalive import lint, lint_response

HEX_CAP = 64 * 1024  # binary bodies: bytes shown as hex


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def body_kind(ctype: str, head: bytes) -> str:
    if ctype.startswith("image/"):
        return "image"
    if ctype in ("application/json", "text/json") or ctype.endswith("+json"):
        return "json"
    if ctype in ("text/html", "application/xhtml+xml"):
        return "html"
    if ctype in ("application/xml", "text/xml") or ctype.endswith("+xml"):
        return "xml"
    if ctype.startswith("text/") or ctype in (
        "application/javascript",
        "application/x-www-form-urlencoded",
    ):
        return "text"
    if b"\x00" in head[:1024]:
        return "binary"
    try:
        head[:4096].decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head[:4096]) - 4:  # not just a character cut at the edge
            return "binary"
    stripped = head[:64].lstrip()
    if stripped[:1] in (b"{", b"["):
        return "json"
    if stripped[:1] == b"<":
        return "html" if stripped[:15].lower().startswith((b"<!doctype html", b"<html")) else "xml"
    return "text"


def body_view(
    head: bytes, size: int, ctype_header: str | None, cap: int, download: str | None
) -> dict[str, Any]:
    """``head`` holds the first ``cap`` bytes (or all) of a ``size``-byte body."""
    ctype = media_type(ctype_header)
    kind = body_kind(ctype, head)
    out: dict[str, Any] = {
        "kind": kind,
        "media_type": ctype or None,
        "size": size,
        "download": download,
    }
    if kind == "binary":
        shown = head[:HEX_CAP]
        out["base64"] = base64.b64encode(shown).decode()
    elif kind == "image":
        shown = head if size <= cap else b""  # a cut image is useless: offer the download
        out["base64"] = base64.b64encode(shown).decode()
    else:
        shown = head[:cap]
        out["text"] = shown.decode("utf-8", errors="replace")
    out["shown"] = len(shown)
    out["truncated"] = len(shown) < size
    return out


def lint_json(request: Request, exchange: dict[str, Any]) -> list[dict[str, str]]:
    response = exchange.get("response") or {}
    headers = [tuple(h) for h in response.get("headers") or []]
    found = lint(request) + lint_response(response.get("version") or "HTTP/1.1", headers)
    return [{"code": w.code, "message": w.message} for w in found]


def exchange_view(
    request: Request,
    exchange: dict[str, Any],
    head: bytes,
    size: int,
    cap: int,
    download: str | None,
) -> dict[str, Any]:
    """The /api/send answer: the exchange record with the body swapped for a view."""
    response = dict(exchange.get("response") or {})
    ctype = next((v for n, v in response.get("headers") or [] if n.lower() == "content-type"), None)
    response["body"] = body_view(head, size, ctype, cap, download)
    out = dict(exchange)
    out["response"] = response
    req = dict(exchange.get("request") or {})
    req.pop("body", None)  # the page has the request it sent
    out["request"] = req
    out["lint"] = lint_json(request, exchange)
    return out
