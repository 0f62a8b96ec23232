"""How much of a send the history keeps.

History is a log for its owner to look back on and re-send from, not an
archive: on a shared instance it must not become a way to fill the disk.
So an entry keeps the request in full only up to a size (the
``history_request_bytes`` setting); a bigger request - and every refused
one (blocked, timed out, too large ...), which nobody needs to replay byte
for byte - keeps a bounded summary: method, URL, the first headers, and the
body's kind and the request's size (``omitted``) instead of its content.  How many entries and how old
is trimmed per session in :meth:`Storage.add_history`.
"""

from __future__ import annotations

import json
from typing import Any

SUMMARY_URL = 4096  # characters of a URL kept in a summary
SUMMARY_HEADERS = 50
SUMMARY_VALUE = 512  # characters of each header value
REFUSED_KEEP = 16 * 1024  # a refused send is kept in full only when this small


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def summary(request: dict[str, Any], size: int) -> dict[str, Any]:
    body = request.get("body")
    out = dict(request)
    out["url"] = _cut(str(request.get("url", "")), SUMMARY_URL)
    out["headers"] = [
        [_cut(str(n), SUMMARY_VALUE), _cut(str(v), SUMMARY_VALUE)]
        for n, v in (request.get("headers") or [])[:SUMMARY_HEADERS]
    ]
    if body:
        out["body"] = {"kind": body.get("kind"), "omitted": size}
    return out


def history_record(request: dict[str, Any], limit: int, refused: bool) -> dict[str, Any]:
    """``request`` (the API's JSON form) as history keeps it."""
    size = len(json.dumps(request))
    if size <= (min(limit, REFUSED_KEEP) if refused else limit):
        return request
    return summary(request, size)
