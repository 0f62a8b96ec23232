"""HTTPie's request-item language (HTTPie 3.x), read without I/O.

    Header:value    a header          Header:       remove a default header
    Header;         an empty header   Header:@file  the value from a file
    name==value     a query parameter name==@file   the value from a file
    name=value      a string field    name=@file    the text of a file
    name:=json      a raw JSON field  name:=@file   JSON from a file
    name@file       a file upload     name@file;type=mime

Splitting (as HTTPie): the separator that starts first wins, the longest
one at that position; a backslash before one of ``: ; = @`` makes it
literal (and is dropped), any other backslash is kept for the nested-JSON
key reader (``a\\[b\\]=1`` is the key "a[b]").

Fields become JSON (nested keys, see :mod:`httpie_json`) unless the mode
is ``form`` or ``multipart``: then they are ordered pairs, repeated names
grouped at the first one's place as HTTPie does, and a ``:=`` value must be
a string, number or boolean.  Files named in items are read through the
caller's ``read_file``; upload paths are kept for the sender to read.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Literal, NamedTuple, TypeVar

from reqlab.errors import InvalidRequest
from reqlab.formats import httpie_json

Mode = Literal["json", "form", "multipart"]
ReadFile = Callable[[str], bytes]
V = TypeVar("V")

# Longest first, so that at one position the longest separator is found first.
SEPARATORS = (":=@", "==@", ":=", "==", "=@", ":@", "=", ":", ";", "@")
_SPECIAL = frozenset(":;=@")
DATA_SEPARATORS = frozenset({"=", ":=", "=@", ":=@", "@"})


class Item(NamedTuple):
    key: str
    sep: str
    value: str
    text: str  # the item as typed, for messages


class Upload(NamedTuple):
    field: str
    path: str
    mime: str | None  # from ';type=', else None (the sender guesses)


class Items:
    """What a list of items asks for.  ``headers`` values of None remove a
    header the sender would add; ``json`` is set in JSON mode when fields
    were given, ``fields`` in form and multipart modes; ``parts`` keeps
    fields and uploads in HTTPie's multipart order; ``body_file`` is the
    path of an ``@file`` item without a name (the file is the body).
    (Plain classes here: a dataclass costs a millisecond at start-up.)"""

    def __init__(self) -> None:
        self.headers: list[tuple[str, str | None]] = []
        self.params: list[tuple[str, str]] = []
        self.json: Any = None
        self.fields: list[tuple[str, str]] = []
        self.uploads: list[Upload] = []
        self.parts: list[tuple[str, str | Upload]] = []
        self.body_file: str | None = None

    @property
    def has_data(self) -> bool:
        return bool(self.json or self.fields or self.uploads)


def _segments(text: str) -> list[tuple[str, bool]]:
    """Text runs and escaped characters: [(text, escaped), ...]."""
    out: list[tuple[str, bool]] = [("", False)]
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if nxt in _SPECIAL and nxt:
                out += [(nxt, True), ("", False)]
            else:
                out[-1] = (out[-1][0] + "\\" + nxt, False)
            i += 2
            continue
        out[-1] = (out[-1][0] + ch, False)
        i += 1
    return out


def split_item(text: str) -> Item:
    """Key, separator and value of one item, as HTTPie splits it."""
    segments = _segments(text)
    for i, (run, escaped) in enumerate(segments):
        if escaped:
            continue
        best: tuple[int, str] | None = None
        for sep in SEPARATORS:
            pos = run.find(sep)
            if pos != -1 and (best is None or pos < best[0]):
                best = (pos, sep)
        if best is not None:
            pos, sep = best
            key = "".join(s for s, _ in segments[:i]) + run[:pos]
            value = run[pos + len(sep) :] + "".join(s for s, _ in segments[i + 1 :])
            return Item(key, sep, value, text)
    raise InvalidRequest(
        f"item {text!r}",
        "not a request item (Header:value, name==value, name=value, name:=json, name@file)",
    )


def has_data_items(texts: list[str]) -> bool:
    """Whether any item is a field or a file (HTTPie then defaults to POST)."""
    return any(split_item(t).sep in DATA_SEPARATORS for t in texts)


def is_item(text: str) -> bool:
    try:
        split_item(text)
    except InvalidRequest:
        return False
    return True


def _text_of(item: Item, read_file: ReadFile) -> str:
    try:
        data = read_file(item.value)
    except OSError as exc:
        raise InvalidRequest(
            f"item {item.text!r}", f"cannot read {item.value!r}: {exc.strerror or exc}"
        ) from None
    try:
        return data.decode()
    except UnicodeDecodeError:
        raise InvalidRequest(
            f"item {item.text!r}", f"{item.value!r} is not a UTF-8 text file"
        ) from None


def _json_of(item: Item, text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        msg = getattr(exc, "msg", str(exc))
        raise InvalidRequest(f"item {item.text!r}", f"not valid JSON ({msg})") from None


def _field_value(item: Item, read_file: ReadFile) -> Any:
    if item.sep == "=":
        return item.value
    if item.sep == "=@":
        return _text_of(item, read_file)
    text = _text_of(item, read_file) if item.sep == ":=@" else item.value
    return _json_of(item, text)


def _as_form_text(item: Item, value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return str(value)  # HTTPie's str(): True, 1.5
    raise InvalidRequest(
        f"item {item.text!r}", "an object, array or null cannot be a form field (use JSON)"
    )


def _add_header(headers: list[tuple[str, str | None]], name: str, value: str | None) -> None:
    """HTTPie's rule: a removal replaces every earlier value; a value given
    after a removal replaces the removal."""
    lower = name.lower()
    if value is None:
        headers[:] = [h for h in headers if h[0].lower() != lower]
    else:
        headers[:] = [h for h in headers if not (h[0].lower() == lower and h[1] is None)]
    headers.append((name, value))


def _grouped(pairs: list[tuple[str, V]]) -> list[tuple[str, V]]:
    """Pairs with repeated names moved up beside the first (HTTPie's multidict order)."""
    order: dict[str, list[V]] = {}
    for name, value in pairs:
        order.setdefault(name, []).append(value)
    return [(name, value) for name, values in order.items() for value in values]


def parse_items(texts: list[str], mode: Mode = "json", read_file: ReadFile | None = None) -> Items:
    """Read HTTPie items; ``read_file`` reads the ``=@``, ``:=@``, ``:@``,
    ``==@`` files (without it those items are refused)."""
    reader = read_file or _no_files
    out = Items()
    json_pairs: list[tuple[str, Any]] = []
    form_pairs: list[tuple[str, str | Upload]] = []
    for item in map(split_item, texts):
        sep = item.sep
        if sep in (":", ";", ":@"):
            if not item.key:
                raise InvalidRequest(f"item {item.text!r}", "the header name is empty")
            if sep == ":":
                # 'Header:' removes; 'Header: ' (a space) is an empty value, as in HTTPie
                _add_header(out.headers, item.key, item.value.strip() if item.value else None)
            elif sep == ":@":
                _add_header(out.headers, item.key, _text_of(item, reader).rstrip("\n").strip())
            elif item.value:
                raise InvalidRequest(
                    f"item {item.text!r}", "an empty header is 'Header;' with nothing after it"
                )
            else:
                _add_header(out.headers, item.key, "")
        elif sep == "==":
            out.params.append((item.key, item.value))
        elif sep == "==@":
            out.params.append((item.key, _text_of(item, reader).rstrip("\n")))
        elif sep == "@":
            path, _, mime = item.value.partition(";type=")
            if not item.key and mode == "json":
                if out.body_file is not None:
                    raise InvalidRequest(f"item {item.text!r}", "only one @file can be the body")
                out.body_file = path
                continue
            upload = Upload(item.key, path, mime or None)
            out.uploads.append(upload)
            form_pairs.append((item.key, upload))
        elif mode == "json":
            json_pairs.append((item.key, _field_value(item, reader)))
        else:
            text = _as_form_text(item, _field_value(item, reader))
            out.fields.append((item.key, text))
            form_pairs.append((item.key, text))
    if json_pairs:
        out.json = httpie_json.build(json_pairs)
    out.fields = _grouped(out.fields)
    out.parts = _grouped(form_pairs)
    return out


def _no_files(path: str) -> bytes:
    raise OSError(f"reading {path!r} is not allowed here")


def expand_url(url: str, default_scheme: str = "http") -> str:
    """HTTPie's URL shorthands: ``:8080/x`` and ``:/x`` are localhost, a URL
    without a scheme gets ``default_scheme``, ``://host`` drops the colon."""
    if url.startswith("://"):
        url = url[3:]
    if _has_scheme(url):
        return url
    prefix = default_scheme + "://"
    if url.startswith(":") and not url.startswith("::"):
        rest = url[1:]
        digits = len(rest) - len(rest.lstrip("0123456789"))
        port, path = rest[:digits], rest[digits:]
        return prefix + "localhost" + (":" + port if port else "") + path
    return prefix + url


def _has_scheme(url: str) -> bool:
    scheme, sep, _ = url.partition("://")
    return bool(sep and scheme and scheme[0].isalpha()) and all(
        c.isalnum() or c in "+-." for c in scheme
    )
