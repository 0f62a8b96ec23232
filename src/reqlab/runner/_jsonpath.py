"""JSONPath, by RFC 9535 (the ``jsonpath-rfc9535`` library).

Why that library: it implements RFC 9535 strictly (the grammar Hurl's
files use: dot and bracket names, wildcards, slices, ``..``, filters with
``?(...)`` or ``?...``) and is maintained; python-jsonpath adds non-standard
extensions a Hurl file would not expect.  Results follow Hurl 8.0.1 (checked
by tests/runner/test_vs_hurl.py): no match is no value, one match is that
value, several are a list.  Compiled queries are cached: a file asks the
same few paths many times.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from reqlab.runner._values import NONE, EvalError


@lru_cache(maxsize=512)
def _compile(expr: str) -> Any:
    import jsonpath_rfc9535  # on first use (about 30 ms): many files never ask
    from jsonpath_rfc9535.exceptions import JSONPathError

    try:
        return jsonpath_rfc9535.compile(expr)
    except JSONPathError as exc:
        raise EvalError(f"invalid JSONPath {expr!r}: {exc}") from None


def jsonpath(document: Any, expr: str) -> Any:
    values = [node.value for node in _compile(expr).finditer(document)]
    if not values:
        return NONE
    return values[0] if len(values) == 1 else values
