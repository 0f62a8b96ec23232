"""Queries into a recorded response, for chaining requests.

``{{login.response.body.$.token}}`` in a ``.http`` file asks the response of
the request named ``login`` for the JSONPath ``$.token`` of its body.  The
part after ``response.`` is what this module answers:

    status                 the status code
    headers.NAME           the first NAME header (any case)
    body.*  /  body        the whole body as text
    body.$...              RFC 9535 JSONPath on the JSON body (first match)

JSONPath is the ``jsonpath-rfc9535`` package (a maintained implementation
of the RFC, with its compliance suite), not a hand-written subset.  Pure:
the response is plain data, recorded by whoever sent it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from reqlab.model import Header


class QueryError(ValueError):
    """The query cannot be answered; the message says why, in one line."""


@dataclass(frozen=True)
class RecordedResponse:
    status: int
    headers: tuple[Header, ...]
    body: bytes
    reason: str = ""

    def header(self, name: str) -> str | None:
        lower = name.lower()
        for n, v in self.headers:
            if n.lower() == lower:
                return v
        return None

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            raise QueryError("the response body is not JSON") from None


def as_text(value: Any) -> str:
    """A JSON value as it goes into a request: strings bare, the rest as JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def jsonpath(document: Any, path: str) -> Any:
    """The first value ``path`` selects in ``document``."""
    import jsonpath_rfc9535

    try:
        node = jsonpath_rfc9535.find_one(path, document)
    except jsonpath_rfc9535.JSONPathError as exc:
        raise QueryError(f"JSONPath {path!r}: {exc}") from None
    if node is None:
        raise QueryError(f"JSONPath {path!r} selects nothing in the response body")
    return node.value


def query(response: RecordedResponse, selector: str) -> str:
    """Answer ``selector`` (``status``, ``headers.X``, ``body.$.a``...) as text."""
    part, _, rest = selector.partition(".")
    if part == "status" and not rest:
        return str(response.status)
    if part == "headers" and rest:
        value = response.header(rest)
        if value is None:
            raise QueryError(f"the response has no {rest!r} header")
        return value
    if part == "body":
        if rest in ("", "*"):
            return response.body.decode("utf-8", "replace")
        if rest.startswith("$"):
            return as_text(jsonpath(response.json(), rest))
    raise QueryError(
        f"{selector!r}: expected status, headers.NAME, body.* or body.$.jsonpath after 'response.'"
    )
