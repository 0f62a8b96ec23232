"""Response heads for the HTTP/1.x server, sans-IO: status line, the
endpoint's headers, Date.  Kept apart from the connection state machine
(``h1server``), which adds the framing and persistence lines itself.

Endpoints answer with few distinct header lists, so the encoded start of an
answer (status line and headers) is cached per (status, headers), and the
Date line is computed at most once a second: a hot endpoint pays a dict
lookup for its head.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from http import HTTPStatus
from typing import cast

REASONS = {s.value: s.phrase for s in HTTPStatus}
_STATUS_LINES: dict[int, bytes] = {}
_FRAMING = frozenset({"content-length", "transfer-encoding", "connection", "keep-alive"})
DATE_CACHE: list[int | bytes] = [0, b"", b""]  # [second, HTTP date, Date line], read by h1server


def http_date() -> bytes:
    """The current time as an HTTP date, computed at most once a second."""
    now = int(time.time())
    if DATE_CACHE[0] != now:
        DATE_CACHE[0] = now
        DATE_CACHE[1] = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(now)).encode()
        DATE_CACHE[2] = b"Date: %s\r\n" % DATE_CACHE[1]
    return cast(bytes, DATE_CACHE[1])


def date_line() -> bytes:
    """``Date: ...\r\n`` for now."""
    if DATE_CACHE[0] != int(time.time()):
        http_date()
    return cast(bytes, DATE_CACHE[2])


# Endpoints answer with few distinct header lists (a Content-Type, mostly),
# so their encoded block is cached: one tuple hash instead of a loop that
# lowers, filters and encodes every header of every answer.
HeaderKey = tuple[tuple[str, str], ...]
_HEADER_BLOCKS: dict[HeaderKey, tuple[bytes, bool]] = {}
_CACHE_MAX = 1024


def header_block(headers: Iterable[tuple[str, str]]) -> tuple[bytes, bool]:
    """The endpoint's headers as wire bytes, minus framing ones; and whether Date is there."""
    key: HeaderKey | None
    items = key = headers if type(headers) is tuple else tuple(headers)
    try:
        hit = _HEADER_BLOCKS.get(key)
    except TypeError:  # unhashable items (lists): just encode
        hit, key = None, None
    if hit is None:
        parts = []
        has_date = False
        for name, value in items:
            lower = name.lower()
            if lower in _FRAMING:
                continue  # framing and connection terms are h1server's, not the endpoint's
            if lower == "date":
                has_date = True
            parts.append(b"%s: %s\r\n" % (name.encode("latin-1"), value.encode("latin-1")))
        hit = (b"".join(parts), has_date)
        if key is not None and len(_HEADER_BLOCKS) < _CACHE_MAX:
            _HEADER_BLOCKS[key] = hit
    return hit


# A whole answer's start (status line and endpoint headers), per (status,
# headers): a hot endpoint pays one dict lookup for it.  Bounded like
# _HEADER_BLOCKS; a miss is only slower.
PREFIXES: dict[tuple[int, HeaderKey], tuple[bytes, bool]] = {}


def start_of(key: tuple[int, HeaderKey], cache: bool = True) -> tuple[bytes, bool]:
    """(status line + header block, whether the endpoint set Date) for ``(status, headers)``."""
    status, headers = key
    line = _STATUS_LINES.get(status)
    if line is None:
        line = _STATUS_LINES[status] = b"HTTP/1.1 %d %s\r\n" % (
            status,
            REASONS.get(status, "").encode(),
        )
    block, has_date = header_block(headers)
    hit = (line + block, has_date)
    if cache and len(PREFIXES) < _CACHE_MAX:
        PREFIXES[key] = hit
    return hit
