"""Strict parsers for the bodies the echo server received: urlencoded forms
and multipart/form-data.  Strict on purpose - a literal '+' decodes as a
space, a field without '=' or a part without its blank line is an error -
so a body that only looks right does not pass the comparison."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes


def parse_form(data: bytes) -> list[tuple[str, str]]:
    """Strictly decode application/x-www-form-urlencoded (UTF-8)."""
    if not data:
        return []
    fields = []
    for item in data.split(b"&"):
        name, eq, value = item.partition(b"=")
        if not eq:
            raise ValueError(f"field {item!r} has no '='")
        fields.append((_form_unquote(name), _form_unquote(value)))
    return fields


def _form_unquote(raw: bytes) -> str:
    return unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")


@dataclass(frozen=True)
class ReceivedPart:
    headers: dict[str, str]
    name: str | None
    filename: str | None
    data: bytes


_PARAM = re.compile(r';\s*([\w*]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


def parse_multipart(data: bytes, boundary: str) -> list[ReceivedPart]:
    """Split a multipart/form-data body into parts (strict about the framing)."""
    delimiter = b"--" + boundary.encode()
    if not data.startswith(delimiter) and delimiter + b"\r\n" not in data:
        raise ValueError(f"body does not contain the boundary {boundary!r}")
    chunks = data.split(b"\r\n" + delimiter)
    first = chunks[0]
    chunks[0] = first[first.index(delimiter) + len(delimiter) :]
    parts = []
    for chunk in chunks:
        if chunk.startswith(b"--"):
            break  # the closing delimiter
        if not chunk.startswith(b"\r\n"):
            raise ValueError("a boundary line is not followed by CRLF")
        head, sep, payload = chunk[2:].partition(b"\r\n\r\n")
        if not sep:
            raise ValueError("a part has no blank line after its headers")
        headers = {}
        for line in head.decode("utf-8").split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        params = {
            k.lower(): _unquote_param(v)
            for k, v in _PARAM.findall(
                ";" + headers.get("content-disposition", "").partition(";")[2]
            )
        }
        parts.append(ReceivedPart(headers, params.get("name"), params.get("filename"), payload))
    else:
        raise ValueError("the closing boundary is missing")
    return parts


def _unquote_param(value: str) -> str:
    value = value.strip()
    if value.startswith('"') and value.endswith('"'):
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value
