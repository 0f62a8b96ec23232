"""JSONPath, by RFC 9535 (the ``jsonpath-rfc9535`` library).

Why that library: it implements RFC 9535 strictly (the grammar Hurl's
files use: dot and bracket names, wildcards, slices, ``..``, filters with
``?(...)`` or ``?...``) and is maintained; python-jsonpath adds non-standard
extensions a Hurl file would not expect.  Results follow Hurl 8.0.1 (checked
by tests/runner/test_vs_hurl.py): no match is no value, one match is that
value, several are a list.  Compiled queries are cached: a file asks the
same few paths many times.

Most queries in test files are singular paths of plain names and indexes
(``$.data[0].id``).  Those are walked here directly, by RFC 9535's rules
for name and index selectors: the library, its lexer and the ``regex``
module it needs cost about 30 ms to import, a run that asks only such paths
does without them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from reqlab.runner._values import NONE, EvalError

# $ then .name (ASCII member-name-shorthand) or [index] (no leading zero,
# within I-JSON's range), nothing else: no spaces, quotes, wildcards, filters.
_SINGULAR = re.compile(r"\$(?:\.[A-Za-z_][A-Za-z0-9_]*|\[(?:0|-?[1-9][0-9]{0,14})\])*")
_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(-?[0-9]+)\]")

Query = Callable[[Any], Any]


@lru_cache(maxsize=512)
def _compile(expr: str) -> Query:
    if _SINGULAR.fullmatch(expr):
        steps = tuple(name or int(index) for name, index in _STEP.findall(expr))
        return lambda document: _walk(document, steps)
    return _library(expr)


def _walk(node: Any, steps: tuple[str | int, ...]) -> Any:
    """A singular query: one value, or none (a name on an object only, an
    index on an array only, counted from the end when negative)."""
    for step in steps:
        if isinstance(step, str):
            if not isinstance(node, dict) or step not in node:
                return NONE
            node = node[step]
        else:
            if not isinstance(node, list) or not -len(node) <= step < len(node):
                return NONE
            node = node[step]
    return node


def _library(expr: str) -> Query:
    import jsonpath_rfc9535  # on first use (about 30 ms): many files never ask
    from jsonpath_rfc9535.exceptions import JSONPathError

    try:
        query = jsonpath_rfc9535.compile(expr)
    except JSONPathError as exc:
        raise EvalError(f"invalid JSONPath {expr!r}: {exc}") from None

    def run(document: Any) -> Any:
        values = [node.value for node in query.finditer(document)]
        if not values:
            return NONE
        return values[0] if len(values) == 1 else values

    return run


def jsonpath(document: Any, expr: str) -> Any:
    return _compile(expr)(document)
