"""Pieces every format reader and writer shares.

Kept apart from the formats so that the body classification rules (when is
a body text, bytes, a form or JSON) are written once and read the same way
by the raw, HAR and curl readers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias
from urllib.parse import parse_qsl

from reqlab.body import form_text, json_text
from reqlab.errors import FormatError, InvalidRequest
from reqlab.model import (
    BytesBody,
    MultipartBody,
    MultipartFile,
    Request,
    TextBody,
)

Format: TypeAlias = Literal["har", "http", "curl"]
FORMATS: tuple[str, ...] = ("har", "http", "curl")
ReadFile: TypeAlias = Callable[[str], bytes]


@dataclass(frozen=True)
class Parsed:
    """What a reader found: the request, what it could not carry over, the format."""

    request: Request
    warnings: list[str] = field(default_factory=list)
    fmt: str = ""


@dataclass(frozen=True)
class Written:
    """What a writer produced, and what of the request it could not express."""

    text: str
    warnings: list[str] = field(default_factory=list)


def text_or_bytes(data: bytes) -> TextBody | BytesBody:
    """Bytes kept exactly: text when they are valid UTF-8, else bytes."""
    try:
        return TextBody(data.decode("utf-8"))
    except UnicodeDecodeError:
        return BytesBody(data=data)


def to_bytes(text: str) -> bytes:
    """Text that may carry undecodable bytes as surrogate escapes, back to bytes."""
    return text.encode("utf-8", "surrogateescape")


def from_bytes(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def mime_of(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_json_type(content_type: str | None) -> bool:
    mime = mime_of(content_type)
    return mime == "application/json" or mime.endswith("+json")


def is_form_type(content_type: str | None) -> bool:
    return mime_of(content_type) == "application/x-www-form-urlencoded"


def exact_form(text: str) -> tuple[tuple[str, str], ...] | None:
    """The fields of ``text`` if re-encoding them gives back ``text`` exactly."""
    fields = tuple(parse_qsl(text, keep_blank_values=True))
    return fields if form_text(fields) == text else None


_NO_VALUE = object()


def exact_json(text: str) -> Any:
    """The JSON value of ``text`` if reqlab's compact form of it is ``text``
    exactly (so sending it changes no byte); else the marker ``_NO_VALUE``."""
    try:
        value = json.loads(text)
    except ValueError:
        return _NO_VALUE
    return value if json_text(value) == text else _NO_VALUE


def is_value(value: Any) -> bool:
    return value is not _NO_VALUE


def stable_boundary(body: MultipartBody) -> str:
    """A boundary derived from the parts, so written output is reproducible."""
    import hashlib  # only multipart needs it; keep `reqlab gen` start-up small

    digest = hashlib.sha256()
    for part in body.parts:
        digest.update(part.name.encode("utf-8", "surrogatepass") + b"\0")
        if isinstance(part, MultipartFile):
            digest.update(part.filename.encode("utf-8", "surrogatepass") + b"\0")
            digest.update(part.data if part.data is not None else (part.path or "").encode())
        else:
            digest.update(part.value.encode("utf-8", "surrogatepass"))
    return "----reqlab" + digest.hexdigest()[:24]


def build(fmt: str, where: str, **fields: Any) -> Request:
    """Make the Request, turning a refused value into a FormatError at ``where``."""
    try:
        return Request(**fields)
    except InvalidRequest as exc:
        raise FormatError(fmt, where, f"{exc.field}: {exc.message}") from None


def line_col(text: str, offset: int) -> str:
    """``line L, column C`` (both from 1) of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


_DOT_SEGMENT = re.compile(r"(^|/)\.\.?(/|$)")


def url_path_span(url: str) -> tuple[int, int]:
    """Where the path of an absolute URL starts and ends."""
    start = url.find("://") + 3
    ends = [i for i in (url.find(c, start) for c in "/?#") if i >= 0]
    start = min(ends) if ends else len(url)
    stops = [i for i in (url.find(c, start) for c in "?#") if i >= 0]
    return start, min(stops) if stops else len(url)


def has_dot_segments(url: str) -> bool:
    start, end = url_path_span(url)
    return bool(_DOT_SEGMENT.search(url[start:end]))


def remove_dot_segments(url: str) -> str:
    """``url`` with '.' and '..' path segments resolved (RFC 3986 5.2.4), as
    curl sends it unless told --path-as-is."""
    start, end = url_path_span(url)
    path, out = url[start:end], list[str]()
    for segment in path.split("/")[1:]:
        if segment == "..":
            if out:
                out.pop()
        elif segment != ".":
            out.append(segment)
    last = path.rsplit("/", 1)[-1]
    resolved = "/" + "/".join(out) + ("/" if last in (".", "..") and out else "")
    return url[:start] + resolved + url[end:]
