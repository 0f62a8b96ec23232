"""Request formats: HAR 1.2, raw HTTP/1.x messages and curl command lines.

    detect(text)                 -> "har" | "http" | "curl"
    read(text, fmt=None, ...)    -> Parsed(request, warnings, fmt)
    write(request, fmt)          -> str
    write_with_warnings(...)     -> Written(text, warnings)

Collections (many requests: ``.http`` files, Postman, OpenAPI, HAR with
every entry, Insomnia, Bruno) are in :mod:`reqlab.formats.httpfile` and
:mod:`reqlab.formats.collections`.

Readers and writers are pure: a file a request names (curl's ``-d @file``)
is read through the ``read_file`` callable the caller passes; without one,
paths are kept in the model or reported in the warnings.  Each format's
module is imported only when it is used, and so are the shared types: a
format module imported alone (``reqlab send`` needs only ``httpie_items``)
does not load them.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from reqlab.errors import FormatError
from reqlab.model import Request

if TYPE_CHECKING:  # what __getattr__ returns, spelled out for type checkers
    from reqlab.formats._common import FORMATS, Format, Parsed, ReadFile, Written

_SHARED = frozenset({"FORMATS", "Format", "Parsed", "ReadFile", "Written"})


def __getattr__(name: str) -> Any:
    if name not in _SHARED:
        raise AttributeError(f"module 'reqlab.formats' has no attribute {name!r}")
    return getattr(importlib.import_module("reqlab.formats._common"), name)


# Any first line ending in a version: the raw reader then says what is wrong with it.
_REQUEST_LINE = re.compile(r"^\S.*[ \t]HTTP/\d(\.\d)?[ \t]*\r?$")
_CURL = re.compile(r"^(\$\s+)?(\S*[/\\])?curl(\.exe)?(\s|$)")
_PRINTF_CURL = re.compile(r"^printf\s[^\n]*\|\s*curl\s")  # a body on stdin (see curl_write)


def detect(text: str | bytes) -> Format:
    """Which format ``text`` is in; FormatError when it is none of them."""
    if isinstance(text, bytes):
        text = text[:4096].decode("utf-8", "replace")
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith(("{", "[")):
        return "har"
    if _CURL.match(head) or _PRINTF_CURL.match(head):
        return "curl"
    first = head.split("\n", 1)[0]
    if _REQUEST_LINE.match(first):
        return "http"
    raise FormatError(
        "input",
        "line 1",
        "a HAR document ('{...}'), a request line like 'GET /path HTTP/1.1', "
        "or a command starting with 'curl'",
    )


def read(
    text: str | bytes,
    fmt: str | None = None,
    *,
    index: int | None = None,
    read_file: ReadFile | None = None,
    base_url: str | None = None,
) -> Parsed:
    """Read a request in ``fmt`` (detected when None)."""
    fmt = fmt or detect(text)
    if fmt == "http":
        from reqlab.formats.raw import read_raw

        return read_raw(text, base_url=base_url)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FormatError(fmt, f"byte {exc.start}", "UTF-8 text") from None
    text = text.lstrip("\ufeff")
    if fmt == "har":
        from reqlab.formats.har import read_har

        return read_har(text, index=index)
    if fmt == "curl":
        from reqlab.formats.curl import read_curl

        return read_curl(text, read_file=read_file)
    from reqlab.formats._common import FORMATS

    raise FormatError(fmt, "", f"a format among {', '.join(FORMATS)}")


_WRITERS = {
    "har": ("reqlab.formats.har_write", "write_har"),
    "http": ("reqlab.formats.raw", "write_raw"),
    "curl": ("reqlab.formats.curl_write", "write_curl"),
}


def write_with_warnings(
    request: Request, fmt: str, *, read_file: ReadFile | None = None
) -> Written:
    """``request`` in ``fmt``, with what the format could not express."""
    if fmt not in _WRITERS:
        from reqlab.formats._common import FORMATS

        raise FormatError(fmt, "", f"a format among {', '.join(FORMATS)}")
    module, name = _WRITERS[fmt]
    writer: Callable[..., Written] = getattr(importlib.import_module(module), name)
    if fmt == "har":
        return writer(request)
    return writer(request, read_file=read_file)


def write(request: Request, fmt: str, *, read_file: ReadFile | None = None) -> str:
    """``request`` as text in ``fmt`` ("har", "http" or "curl")."""
    return write_with_warnings(request, fmt, read_file=read_file).text


__all__ = [
    "FORMATS",
    "Format",
    "Parsed",
    "Written",
    "detect",
    "read",
    "write",
    "write_with_warnings",
]
