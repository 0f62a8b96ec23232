"""Filters: transform a query's value, chained left to right (Hurl's set).

Each filter takes the value and its resolved arguments; a value of the wrong
type is a runtime error that names the filter and shows the value.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from reqlab.runner import _dates, _xml
from reqlab.runner._jsonpath import jsonpath
from reqlab.runner._queries import regex_capture
from reqlab.runner._values import NONE, EvalError, Nodeset, describe, is_number, render, type_name

Filter = Callable[[Any, list[Any]], Any]


def _want(name: str, value: Any, kind: type | tuple[type, ...], what: str) -> None:
    """Refuse a value of the wrong type, in Hurl's words (``what`` as Hurl
    names the accepted types: "string", "list, bytes or nodeset"...)."""
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise EvalError(
            f"invalid filter input type\nactual:   {type_name(value)}\nexpected: {what}"
        )


def _count(value: Any, _: list[Any]) -> int:
    _want("count", value, (list, bytes, Nodeset), "list, bytes or nodeset")
    return len(value)


def _nth(value: Any, args: list[Any]) -> Any:
    items = list(value.items) if isinstance(value, Nodeset) else value
    _want("nth", items, list, "list")
    index = args[0]
    if not -len(items) <= index < len(items):
        raise EvalError(f"filter nth: index {index} is out of bounds (size {len(items)})")
    return items[index]


def _first(value: Any, _: list[Any]) -> Any:
    _want("first", value, list, "list")
    return value[0] if value else NONE


def _last(value: Any, _: list[Any]) -> Any:
    _want("last", value, list, "list")
    return value[-1] if value else NONE


def _regex(value: Any, args: list[Any]) -> Any:
    _want("regex", value, str, "string")
    return regex_capture(value, args[0])


def _replace(value: Any, args: list[Any], regex: bool) -> str:
    _want("replace", value, str, "string")
    old, new = args
    if regex:
        return re.sub(old, new, str(value))
    return str(value).replace(old, new)


def _split(value: Any, args: list[Any]) -> list[str]:
    _want("split", value, str, "string")
    return str(value).split(args[0])


def _to_int(value: Any, _: list[Any]) -> int:
    if is_number(value):
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise EvalError(f"filter toInt: {describe(value)} is not an integer")


def _to_float(value: Any, _: list[Any]) -> float:
    if is_number(value):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            pass
    raise EvalError(f"filter toFloat: {describe(value)} is not a number")


def _b64decode(value: Any, urlsafe: bool) -> bytes:
    _want("base64Decode", value, str, "string")
    text = str(value).strip()
    text += "=" * (-len(text) % 4)
    try:
        if urlsafe:
            return base64.urlsafe_b64decode(text)
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise EvalError(f"filter base64Decode: {describe(value)} is not base64") from None


def _b64encode(value: Any, urlsafe: bool) -> str:
    data = value.encode() if isinstance(value, str) else value
    _want("base64Encode", data, bytes, "bytes")
    if urlsafe:
        return base64.urlsafe_b64encode(data).decode().rstrip("=")
    return base64.b64encode(data).decode()


def _decode(value: Any, args: list[Any]) -> str:
    _want("decode", value, bytes, "bytes")
    try:
        return bytes(value).decode(args[0])
    except (LookupError, UnicodeDecodeError) as exc:
        raise EvalError(f"filter decode: {exc}") from None


def _jsonpath(value: Any, args: list[Any]) -> Any:
    _want("jsonpath", value, str, "string")
    try:
        document = json.loads(value)
    except ValueError:
        raise EvalError(f"filter jsonpath: {describe(value)} is not JSON") from None
    return jsonpath(document, args[0])


def _xpath(value: Any, args: list[Any]) -> Any:
    _want("xpath", value, (str, bytes), "string")
    return _xml.xpath(value, args[0])


def _location(value: Any, _: list[Any]) -> Any:
    _want("location", value, dict, "redirect")
    return value.get("location", NONE)


def _url_query_param(value: Any, args: list[Any]) -> Any:
    _want("urlQueryParam", value, str, "string")
    for k, v in parse_qsl(urlsplit(value).query, keep_blank_values=True):
        if k == args[0]:
            return v
    return NONE


def _date(name: str, value: Any) -> datetime:
    _want(name, value, datetime, "date")
    return value  # type: ignore[no-any-return]


def _str(name: str, value: Any) -> str:
    _want(name, value, str, "string")
    return str(value)


def _html(how: str, text: str) -> str:
    import html  # on first use: its entity table is slow to load

    return html.escape(text) if how == "escape" else html.unescape(text)


FILTERS: dict[str, Filter] = {
    "count": _count,
    "nth": _nth,
    "first": _first,
    "last": _last,
    "regex": _regex,
    "replace": lambda v, a: _replace(v, a, False),
    "replaceRegex": lambda v, a: _replace(v, a, True),
    "split": _split,
    "toInt": _to_int,
    "toFloat": _to_float,
    "toString": lambda v, a: render(v),
    "toHex": lambda v, a: (
        bytes(v).hex() if isinstance(v, bytes) else _want("toHex", v, bytes, "bytes")
    ),
    "base64Decode": lambda v, a: _b64decode(v, False),
    "base64Encode": lambda v, a: _b64encode(v, False),
    "base64UrlSafeDecode": lambda v, a: _b64decode(v, True),
    "base64UrlSafeEncode": lambda v, a: _b64encode(v, True),
    "decode": _decode,
    "utf8Decode": lambda v, a: _decode(v, ["utf-8"]),
    "utf8Encode": lambda v, a: _str("utf8Encode", v).encode(),
    "htmlEscape": lambda v, a: _html("escape", _str("htmlEscape", v)),
    "htmlUnescape": lambda v, a: _html("unescape", _str("htmlUnescape", v)),
    "urlEncode": lambda v, a: quote(_str("urlEncode", v), safe="/"),
    "urlDecode": lambda v, a: unquote(_str("urlDecode", v)),
    "urlQueryParam": _url_query_param,
    "jsonpath": _jsonpath,
    "xpath": _xpath,
    "location": _location,
    "toDate": lambda v, a: _dates.to_date(_str("toDate", v), a[0]),
    "format": lambda v, a: _dates.format_date(_date("format", v), a[0]),
    "dateFormat": lambda v, a: _dates.format_date(_date("dateFormat", v), a[0]),
    "daysAfterNow": lambda v, a: _dates.days_between(_date("daysAfterNow", v), after=True),
    "daysBeforeNow": lambda v, a: _dates.days_between(_date("daysBeforeNow", v), after=False),
}


def apply(name: str, value: Any, args: list[Any]) -> Any:
    if value is NONE:
        raise EvalError(f"filter {name}: the query returned no value")
    return FILTERS[name](value, args)
