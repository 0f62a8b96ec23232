"""A read-only view of an :class:`EchoRequest` with the derived values endpoints share.

Everything is computed on first use and cached, so the reflection of a bare
GET never pays for body parsing it does not need.
"""

from __future__ import annotations

import json
from functools import cached_property
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit

from reqlab.echo._types import EchoRequest

from ._forms import MultipartError, Part, media_type, parse_multipart, parse_urlencoded


def wire_bytes(text: str) -> bytes:
    """The bytes a request-line or header string came from.

    The connection layer decodes the wire as latin-1 (one char per byte), so
    encoding back as latin-1 recovers the bytes; text built by hand with wider
    characters is taken as UTF-8.
    """
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def wire_text(text: str) -> str:
    """``text`` re-read as UTF-8 when its bytes are UTF-8 (what clients send), else as is.

    This is the echo server's one decoding rule for header bytes (and the
    request line): every endpoint that shows a header value as text shows it
    through here, via :meth:`RequestView.header`, :attr:`RequestView.cookies`
    or the reflection.  Values reflected back into response headers
    (``Access-Control-Allow-Origin``, say) keep their bytes instead."""
    if text.isascii():
        return text
    try:
        return wire_bytes(text).decode("utf-8")
    except UnicodeDecodeError:
        return text


FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"


class RequestView:
    def __init__(self, request: EchoRequest) -> None:
        self.request = request
        target = request.target
        if target.startswith(("http://", "https://")):  # absolute-form (proxy style)
            split = urlsplit(target)
            path, query = split.path or "/", split.query
        else:
            path, _, query = target.partition("?")
        self.raw_path = path
        self.query_string = query
        # Routing works on the decoded path, as WSGI frameworks (and httpbin) do.
        if "%" in path or not path.isascii():
            self.path = unquote_to_bytes(wire_bytes(path)).decode("utf-8", "replace")
        else:
            self.path = path

    @property
    def method(self) -> str:
        return self.request.method

    def header(self, name: str, default: str | None = None) -> str | None:
        """Header ``name`` as text, by the one rule (:func:`wire_text`)."""
        value = self.request.header(name)
        return default if value is None else wire_text(value)

    def raw_header(self, name: str) -> str | None:
        """Header ``name`` byte for byte (one char per byte), to send back in a header."""
        return self.request.header(name)

    @cached_property
    def query(self) -> list[tuple[str, str]]:
        return parse_urlencoded(wire_bytes(self.query_string)) if self.query_string else []

    def arg(self, name: str, default: str | None = None) -> str | None:
        """The first query value named ``name`` (case-insensitive, as httpbin reads them)."""
        lower = name.lower()
        for n, v in self.query:
            if n.lower() == lower:
                return v
        return default

    @cached_property
    def media_type(self) -> str:
        return media_type(self.header("content-type"))

    @cached_property
    def parts(self) -> list[Part] | None:
        """Multipart parts in order, or None when the body is not (valid) multipart."""
        if self.media_type != MULTIPART:
            return None
        try:
            return parse_multipart(self.request.body, self.header("content-type"))
        except MultipartError:
            return None

    @cached_property
    def form(self) -> list[tuple[str, str]] | None:
        """Form fields: urlencoded pairs, or the text (non-file) parts of multipart."""
        if self.media_type == FORM:
            return parse_urlencoded(self.request.body)
        if self.parts is not None:
            return [(p.name, p.text()) for p in self.parts if not p.is_file]
        return None

    @cached_property
    def files(self) -> list[Part] | None:
        if self.parts is None:
            return None
        return [p for p in self.parts if p.is_file]

    @cached_property
    def json(self) -> Any:
        """The body parsed as JSON, or None when it is empty or not JSON."""
        body = self.request.body
        if not body:
            return None
        try:
            return json.loads(body)
        except ValueError:  # includes UnicodeDecodeError and JSONDecodeError
            return None

    @cached_property
    def scheme(self) -> str:
        return self.request.connection.scheme

    @cached_property
    def host(self) -> str:
        return self.request.authority or f"127.0.0.1:{self.request.connection.server_port}"

    @cached_property
    def client_ip(self) -> str:
        client = self.request.connection.client
        ip = client.rsplit(":", 1)[0] if client.count(":") == 1 or "]" in client else client
        return ip.strip("[]")

    def base_url(self, scheme: str | None = None) -> str:
        return f"{scheme or self.scheme}://{self.host}"

    @cached_property
    def cookies(self) -> dict[str, str]:
        """The Cookie header(s) as a dict; the first of repeated names wins (as Werkzeug)."""
        out: dict[str, str] = {}
        for name, value in self.request.headers:
            if name.lower() != "cookie":
                continue
            for pair in wire_text(value).split(";"):
                key, eq, val = pair.strip().partition("=")
                if eq and key:
                    val = val.strip()
                    if len(val) >= 2 and val[0] == val[-1] == '"':
                        val = val[1:-1]
                    out.setdefault(key, val)
        return out
