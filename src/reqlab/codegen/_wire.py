"""How a URL and form fields are spelled so a library sends them as written."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote

from reqlab.model import Request

# RFC 3986 unreserved + reserved characters, and '%' (existing escapes stay).
_URL_SAFE = "-._~:/?#[]@!$&'()*+,;=%"
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def wire_url(url: str) -> str:
    """``url`` ready to hand to a library that sends what it is given.

    The fragment is dropped (it is never sent); characters that may not
    appear in a URL (non-ASCII, space, ``"<>\\^`{|}``) are percent-encoded as
    UTF-8; everything else - existing escapes, ``%2F``, ``+``, ``;`` - is
    kept exactly, so nothing is decoded or encoded twice.  A ``%`` that
    starts no escape is written ``%25``.
    """
    url = url.split("#", 1)[0]
    return quote(_BAD_ESCAPE.sub("%25", url), safe=_URL_SAFE)


def grouped_fields(fields: Sequence[tuple[str, str]]) -> dict[str, str | list[str]] | None:
    """Fields as a name -> value (or list of values) mapping, when that keeps
    their order (each name's values are consecutive); None otherwise."""
    grouped: dict[str, list[str]] = {}
    last = None
    for name, value in fields:
        if name in grouped and name != last:
            return None
        grouped.setdefault(name, []).append(value)
        last = name
    return {n: v[0] if len(v) == 1 else v for n, v in grouped.items()}


def redundant_host(request: Request, header: tuple[str, str]) -> bool:
    """True for a Host header equal to the URL's authority (raw HTTP and HAR
    input carry one): every library sends exactly that, so a snippet can
    leave it out."""
    authority = request.split_url.netloc.rsplit("@", 1)[-1]
    return header[0].lower() == "host" and header[1] == authority
