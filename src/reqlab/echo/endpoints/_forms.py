"""Reading form bodies: application/x-www-form-urlencoded and multipart/form-data.

Both keep every field in order, duplicates included, because the echo server
is the reference a sender compares its own encoding against.  The multipart
reader is binary-safe: part bodies are sliced from the raw bytes, never
decoded on the way.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from reqlab.body import boundary_of


@dataclass(frozen=True)
class Part:
    name: str
    filename: str | None
    content_type: str | None
    data: bytes
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def is_file(self) -> bool:
        return self.filename is not None

    def text(self) -> str:
        return self.data.decode("utf-8", "replace")

    def summary(self) -> dict[str, object]:
        """The reflection's description of this part (value only for text fields)."""
        out: dict[str, object] = {
            "name": self.name,
            "filename": self.filename,
            "content_type": self.content_type,
            "size": len(self.data),
            "sha256": hashlib.sha256(self.data).hexdigest(),
        }
        if not self.is_file:
            out["value"] = self.text()
        return out


class MultipartError(ValueError):
    """The body does not follow the multipart/form-data syntax."""


def media_type(content_type: str | None) -> str:
    """``text/html; charset=x`` -> ``text/html`` (lower case)."""
    if not content_type:
        return ""
    return content_type.split(";", 1)[0].strip().lower()


def parse_urlencoded(data: bytes | str) -> list[tuple[str, str]]:
    """Decode a query string or urlencoded body: '+' is a space, order and repeats kept.

    Like browsers and ``urllib.parse.parse_qsl(keep_blank_values=True)``, a
    field without '=' is a name with an empty value, and empty fields are
    skipped.  Invalid UTF-8 after percent-decoding is replaced, not refused.
    """
    out: list[tuple[str, str]] = []
    if data.isascii() and "%" not in (text := _as_text(data)) and "+" not in text:
        for field in text.split("&"):  # nothing to decode: split the text
            if field:
                name, _, value = field.partition("=")
                out.append((name, value))
        return out
    raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogateescape")
    for raw_field in raw.split(b"&"):
        if not raw_field:
            continue
        raw_name, _, raw_value = raw_field.partition(b"=")
        out.append((_unquote_plus(raw_name), _unquote_plus(raw_value)))
    return out


def _as_text(data: bytes | str) -> str:
    return data if isinstance(data, str) else data.decode("ascii")


def _unquote_plus(raw: bytes) -> str:
    if b"%" not in raw:
        return raw.replace(b"+", b" ").decode("utf-8", "replace")
    return unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8", "replace")


def parse_multipart(body: bytes, content_type: str | None) -> list[Part]:
    """Split a multipart/form-data body into its parts, in order."""
    boundary = boundary_of(content_type)
    if not boundary:
        raise MultipartError("multipart Content-Type without a boundary")
    delimiter = b"--" + boundary.encode("latin-1")
    # The first delimiter may open the body; later ones follow a CRLF.
    start = body.find(delimiter)
    if start < 0 or (start > 0 and body[start - 2 : start] != b"\r\n"):
        raise MultipartError("no opening boundary")
    parts: list[Part] = []
    pos = start + len(delimiter)
    separator = b"\r\n" + delimiter
    while True:
        if body.startswith(b"--", pos):
            return parts  # the closing delimiter; anything after it is epilogue
        eol = body.find(b"\r\n", pos)
        if eol < 0:
            raise MultipartError("boundary line without CRLF")
        # Transport padding (spaces/tabs) may follow a delimiter.
        if body[pos:eol].strip(b" \t"):
            raise MultipartError("garbage after a boundary")
        head_end = body.find(b"\r\n\r\n", eol)
        if head_end == eol:  # a part with no headers at all
            head_end, head = eol, b""
        elif head_end < 0:
            raise MultipartError("part headers not terminated")
        else:
            head = body[eol + 2 : head_end]
        data_start = head_end + 4
        data_end = body.find(separator, data_start)
        if data_end < 0:
            raise MultipartError("part not terminated by a boundary")
        parts.append(_make_part(head, body[data_start:data_end]))
        pos = data_end + len(separator)


def _make_part(head: bytes, data: bytes) -> Part:
    headers: list[tuple[str, str]] = []
    for line in head.split(b"\r\n"):
        if not line:
            continue
        name, colon, value = line.partition(b":")
        if not colon:
            raise MultipartError(f"bad part header line {line[:40]!r}")
        headers.append((name.decode("latin-1").strip(), value.decode("utf-8", "replace").strip()))
    disposition = next((v for n, v in headers if n.lower() == "content-disposition"), "")
    params = _disposition_params(disposition)
    ctype = next((v for n, v in headers if n.lower() == "content-type"), None)
    return Part(
        name=params.get("name", ""),
        filename=params.get("filename"),
        content_type=ctype,
        data=data,
        headers=tuple(headers),
    )


def _disposition_params(value: str) -> dict[str, str]:
    """Parameters of ``form-data; name="a"; filename="b.txt"`` (quoted strings honoured)."""
    params: dict[str, str] = {}
    i, n = value.find(";"), len(value)
    if i < 0:
        return params
    i += 1
    while i < n:
        while i < n and value[i] in " \t;":
            i += 1
        eq = value.find("=", i)
        if eq < 0:
            break
        key = value[i:eq].strip().lower()
        i = eq + 1
        if i < n and value[i] == '"':
            chars: list[str] = []
            i += 1
            while i < n and value[i] != '"':
                if value[i] == "\\" and i + 1 < n:
                    i += 1
                chars.append(value[i])
                i += 1
            i += 1
            text = "".join(chars)
        else:
            end = value.find(";", i)
            end = n if end < 0 else end
            text = value[i:end].strip()
            i = end
        params.setdefault(key, _html_unescape(text))
    return params


def _html_unescape(text: str) -> str:
    # Browsers (and reqlab.body) percent-encode exactly these three in names.
    if "%" not in text:
        return text
    return text.replace("%22", '"').replace("%0D", "\r").replace("%0A", "\n")
