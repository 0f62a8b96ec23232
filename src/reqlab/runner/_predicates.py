"""Predicates: does a value satisfy ``== 2``, ``startsWith "a"``, ``isInteger``?

``check`` returns whether it holds and how to print what was expected
(``integer <2>``, ``starts with string <a>``), Hurl's wording.  Numbers
compare by value across integer and float; other types compare only with
their own type, so ``"1" == 1`` is false, not an error.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from reqlab.runner._values import NONE, EvalError, Nodeset, describe, is_number

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})", re.I)


def equal(actual: Any, expected: Any) -> bool:
    if is_number(actual) and is_number(expected):
        return bool(actual == expected)
    if isinstance(actual, bool) or isinstance(expected, bool):
        return type(actual) is type(expected) and actual == expected
    if isinstance(actual, Nodeset) and is_number(expected):
        return bool(len(actual) == expected)
    if type(actual) is not type(expected) and not (
        isinstance(actual, list | dict) and isinstance(expected, list | dict)
    ):
        return False
    return bool(actual == expected)


def _compare(actual: Any, expected: Any, op: Callable[[Any, Any], bool]) -> bool:
    if is_number(actual) and is_number(expected):
        return bool(op(actual, expected))
    if isinstance(actual, str) and isinstance(expected, str):
        return bool(op(actual, expected))
    if isinstance(actual, datetime) and isinstance(expected, datetime):
        return bool(op(actual, expected))
    raise _mismatch(actual, expected)


def _mismatch(actual: Any, expected: Any) -> EvalError:
    return EvalError(f"cannot compare {describe(actual)} with {describe(expected)}")


def _affix(actual: Any, expected: Any, start: bool) -> bool:
    if isinstance(actual, str) and isinstance(expected, str):
        return actual.startswith(expected) if start else actual.endswith(expected)
    if isinstance(actual, bytes) and isinstance(expected, bytes):
        return actual.startswith(expected) if start else actual.endswith(expected)
    raise _mismatch(actual, expected)


def _contains(actual: Any, expected: Any) -> bool:
    if isinstance(actual, str) and isinstance(expected, str):
        return expected in actual
    if isinstance(actual, bytes) and isinstance(expected, bytes):
        return expected in actual
    if isinstance(actual, list):
        return any(equal(item, expected) for item in actual)
    raise _mismatch(actual, expected)


def _includes(actual: Any, expected: Any) -> bool:
    if isinstance(actual, list):
        return any(equal(item, expected) for item in actual)
    raise EvalError(f"includes needs a collection, got {describe(actual)}")


def _matches(actual: Any, pattern: Any) -> bool:
    if not isinstance(actual, str):
        raise EvalError(f"matches needs a string, got {describe(actual)}")
    try:
        return re.search(pattern, actual) is not None
    except re.error as exc:
        raise EvalError(f"invalid regex {pattern!r}: {exc}") from None


def _is_empty(actual: Any) -> bool:
    if isinstance(actual, list | dict | str | bytes | Nodeset):
        return len(actual) == 0
    raise EvalError(f"isEmpty needs a collection or a string, got {describe(actual)}")


def _ip(actual: Any, version: int) -> bool:
    try:
        return isinstance(actual, str) and ipaddress.ip_address(actual).version == version
    except ValueError:
        return False


def _uuid(actual: Any) -> bool:
    import uuid  # on first use

    try:
        return isinstance(actual, str) and len(actual) == 36 and bool(uuid.UUID(actual))
    except ValueError:
        return False


# name -> (test(actual, expected), how "expected" is described)
_WITH_VALUE: dict[str, tuple[Callable[[Any, Any], bool], str]] = {
    "==": (equal, "{}"),
    "!=": (lambda a, e: not equal(a, e), "not {}"),
    ">": (lambda a, e: _compare(a, e, lambda x, y: x > y), "greater than {}"),
    ">=": (lambda a, e: _compare(a, e, lambda x, y: x >= y), "greater than or equal to {}"),
    "<": (lambda a, e: _compare(a, e, lambda x, y: x < y), "less than {}"),
    "<=": (lambda a, e: _compare(a, e, lambda x, y: x <= y), "less than or equal to {}"),
    "startsWith": (lambda a, e: _affix(a, e, True), "starts with {}"),
    "endsWith": (lambda a, e: _affix(a, e, False), "ends with {}"),
    "contains": (_contains, "contains {}"),
    "includes": (_includes, "includes {}"),
    "matches": (_matches, "matches regex <{}>"),
}
_UNARY: dict[str, tuple[Callable[[Any], bool], str]] = {
    "exists": (lambda a: a is not NONE and not (isinstance(a, Nodeset) and not a), "something"),
    "isBoolean": (lambda a: isinstance(a, bool), "boolean"),
    "isCollection": (lambda a: isinstance(a, list | dict | bytes | Nodeset), "collection"),
    "isList": (lambda a: isinstance(a, list), "list"),
    "isObject": (lambda a: isinstance(a, dict), "object"),
    "isDate": (lambda a: isinstance(a, datetime), "date"),
    "isEmpty": (_is_empty, "empty"),
    "isFloat": (lambda a: isinstance(a, float), "float"),
    "isInteger": (lambda a: isinstance(a, int) and not isinstance(a, bool), "integer"),
    "isNumber": (is_number, "number"),
    "isString": (lambda a: isinstance(a, str), "string"),
    "isIsoDate": (lambda a: isinstance(a, str) and bool(_ISO_DATE.fullmatch(a)), "date"),
    "isIpv4": (lambda a: _ip(a, 4), "ipv4"),
    "isIpv6": (lambda a: _ip(a, 6), "ipv6"),
    "isUuid": (_uuid, "uuid"),
}


def check(name: str, negated: bool, actual: Any, expected: Any) -> tuple[bool, str]:
    """(holds, expected as printed).  Raises EvalError on a type error."""
    prefix = "not " if negated else ""
    if name == "isEmpty" and actual is not NONE:
        holds = _is_empty(actual) != negated
        return holds, f"{prefix}count equals to 0"
    if name in _UNARY:
        test, what = _UNARY[name]
        if actual is NONE and name != "exists":
            return False, prefix + what
        return test(actual) != negated, prefix + what
    test2, template = _WITH_VALUE[name]
    shown = expected if name == "matches" else describe(expected)
    if actual is NONE:  # no value satisfies a predicate; "not" turns that around
        return negated, prefix + template.format(shown)
    return test2(actual, expected) != negated, prefix + template.format(shown)
