"""HTTPie's request items, turned into a :class:`reqlab.Request`.

    Header:value      a header (``Header:`` sends it empty)
    name==value       a query parameter
    field=value       a JSON string field (a form field with --form)
    field:=json       a raw JSON field: numbers, booleans, arrays, objects
    field=@file       a field whose value is the text of a file
    field:=@file      a raw JSON field read from a file
    field@file        a file upload (makes the body multipart/form-data)

The separator that starts earliest wins; at one position the longest does
(``a:=1`` is a JSON field, not the header ``a`` with value ``=1``).  A
backslash escapes a separator character (``a\\:b=c`` is the field ``a:b``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reqlab.errors import InvalidRequest

SEPARATORS = (":=@", "=@", ":=", "==", "=", "@", ":")


@dataclass
class Items:
    headers: list[tuple[str, str]] = field(default_factory=list)
    params: list[tuple[str, str]] = field(default_factory=list)
    data: list[tuple[str, Any]] = field(default_factory=list)  # value: str or JSON value
    raw_json: set[str] = field(default_factory=set)  # names whose value is raw JSON
    files: list[tuple[str, str]] = field(default_factory=list)  # (field, path)


def split_item(item: str) -> tuple[str, str, str]:
    """(key, separator, value) of one item, honouring backslash escapes."""
    i = 0
    key_chars: list[str] = []
    while i < len(item):
        ch = item[i]
        if ch == "\\" and i + 1 < len(item):
            key_chars.append(item[i + 1])
            i += 2
            continue
        for sep in SEPARATORS:
            if item.startswith(sep, i):
                return "".join(key_chars), sep, item[i + len(sep) :]
        key_chars.append(ch)
        i += 1
    raise InvalidRequest(
        f"item {item!r}",
        "expected Header:value, name==value, field=value, field:=json or field@file",
    )


def _read_text(path: str, item: str) -> str:
    try:
        return Path(path).expanduser().read_text()
    except OSError as exc:
        raise InvalidRequest(f"item {item!r}", f"cannot read {path!r}: {exc.strerror}") from None


def parse_items(items: list[str]) -> Items:
    out = Items()
    for item in items:
        key, sep, value = split_item(item)
        if not key and sep != "==":
            raise InvalidRequest(f"item {item!r}", "the name before the separator is empty")
        if sep == ":":
            out.headers.append((key, value.strip()))
        elif sep == "==":
            out.params.append((key, value))
        elif sep == "=":
            out.data.append((key, value))
        elif sep == "=@":
            out.data.append((key, _read_text(value, item)))
        elif sep in (":=", ":=@"):
            text = _read_text(value, item) if sep == ":=@" else value
            try:
                out.data.append((key, json.loads(text)))
            except json.JSONDecodeError as exc:
                raise InvalidRequest(
                    f"item {item!r}", f"not valid JSON ({exc.msg} at column {exc.colno})"
                ) from None
            out.raw_json.add(key)
        elif sep == "@":
            path = Path(value).expanduser()
            if not path.is_file():
                raise InvalidRequest(f"item {item!r}", f"no file at {value!r}")
            out.files.append((key, str(path)))
    return out


def looks_like_method(text: str) -> bool:
    return text.isalpha() and len(text) <= 16


def normalise_url(url: str, default_scheme: str = "http") -> str:
    """HTTPie's shorthands: ``:8080/x`` is localhost, a bare host gets http://."""
    if url.startswith(":"):
        rest = url[1:]
        port, slash, path = rest.partition("/")
        return f"{default_scheme}://localhost{':' + port if port else ''}/{path if slash else ''}"
    if "://" not in url:
        return f"{default_scheme}://{url}"
    return url
