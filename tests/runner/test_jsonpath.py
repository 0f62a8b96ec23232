"""The runner's own walk of singular JSONPath queries (``$.a[0].b``) gives
what the RFC 9535 library gives, on every kind of JSON value; anything
else is the library's."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from reqlab.runner._jsonpath import _SINGULAR, _library, jsonpath
from reqlab.runner._values import NONE, EvalError

DOCUMENTS: list[Any] = [
    {"a": [1, {"b": None, "c": [True, "x"]}], "_k": {"z9": 0}, "0": 5, "": 1},
    [{"a": 1}, [2, 3], None, False],
    {"a": {"a": {"a": []}}, "b": {}},
    "text",
    3,
    None,
    [],
]
SINGULAR = [
    "$",
    "$.a",
    "$.a[0]",
    "$.a[1].b",
    "$.a[1].c[-1]",
    "$.a[1].c[-2]",
    "$.a[1].c[-3]",
    "$.a[5]",
    "$._k.z9",
    "$[0]",
    "$[-1]",
    "$[-1][1]",
    "$[1].a",
    "$[3]",
    "$.a.a.a",
    "$.a.a.a[0]",
    "$.missing.x",
    "$.b.c",
    "$[0].a",
    "$[-4]",
    "$[-5]",
]
# not walked here: quoted names, wildcards, slices, descendants, filters,
# spaces, leading zeros, indexes beyond I-JSON's range
OTHERS = ["$['a']", "$.*", "$.a[*]", "$[0:2]", "$..a", "$.a[?@ == 1]", "$[ 0 ]", "$[01]", "$.0"]


@pytest.mark.parametrize("expr", SINGULAR)
def test_singular_queries_are_walked_as_the_library_evaluates_them(expr: str) -> None:
    assert _SINGULAR.fullmatch(expr)
    for doc in DOCUMENTS:
        document = json.loads(json.dumps(doc))
        got, want = jsonpath(document, expr), _library(expr)(document)
        assert (got is NONE and want is NONE) or (got is not NONE and got == want), (doc, expr)
        assert type(got) is type(want)  # True is not 1, None is a value


@pytest.mark.parametrize("expr", OTHERS)
def test_other_queries_go_to_the_library(expr: str) -> None:
    assert not _SINGULAR.fullmatch(expr)
    try:
        want = _library(expr)(DOCUMENTS[0])
    except EvalError:
        with pytest.raises(EvalError, match="invalid JSONPath"):
            jsonpath(DOCUMENTS[0], expr)
        return
    got = jsonpath(DOCUMENTS[0], expr)
    assert (got is NONE and want is NONE) or got == want


def test_a_singular_query_does_not_load_the_library() -> None:
    code = (
        "import sys\n"
        "from reqlab.runner._jsonpath import jsonpath\n"
        "assert jsonpath({'a': [{'b': 2}]}, '$.a[0].b') == 2\n"
        "assert 'jsonpath_rfc9535' not in sys.modules\n"
        "assert jsonpath({'a': [1, 2]}, '$.a[*]') == [1, 2]\n"
        "assert 'jsonpath_rfc9535' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
