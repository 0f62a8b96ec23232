"""Queries, filters and predicates: the language of [Captures] and [Asserts].

The tables below are the vocabulary: what follows each keyword.  ``q`` is a
"quoted string", ``r`` a "quoted string" or /regex/, ``i`` an integer.
reqlab's wire queries (``connection reused``, ``timing wait``...) are the
two-word entries of ``QUERIES``; they make a file reqlab-only.
"""

from __future__ import annotations

import re

from reqlab.formats.hurl import _strings
from reqlab.formats.hurl._ast import Assert, Capture, Filter, Literal, Predicate, Query, Template
from reqlab.formats.hurl._cursor import Cursor

_PHASES = ("dns", "connect", "tls", "send", "wait", "receive", "total")
# query keyword -> argument kind ("" = none, "q" = quoted, "r" = quoted or /regex/)
QUERIES: dict[str, str] = {
    "status": "",
    "version": "",
    "url": "",
    "ip": "",
    "body": "",
    "bytes": "",
    "duration": "",
    "sha256": "",
    "md5": "",
    "redirects": "",
    "header": "q",
    "certificate": "q",
    "cookie": "q",
    "xpath": "q",
    "jsonpath": "q",
    "variable": "q",
    "regex": "r",
    # reqlab's wire queries (an extension: not understood by Hurl)
    "connection reused": "",
    "connection id": "",
    "connection requests": "",
    "keep-alive timeout": "",
    "keep-alive max": "",
    "keep-alive persistent": "",
    "tls version": "",
    "tls cipher": "",
    "tls alpn": "",
    **{f"timing {p}": "" for p in _PHASES},
}
WIRE_PREFIXES = ("connection", "timing", "keep-alive", "tls")

FILTERS: dict[str, str] = {
    "base64Decode": "",
    "base64Encode": "",
    "base64UrlSafeDecode": "",
    "base64UrlSafeEncode": "",
    "count": "",
    "daysAfterNow": "",
    "daysBeforeNow": "",
    "decode": "q",
    "first": "",
    "format": "q",
    "dateFormat": "q",
    "htmlEscape": "",
    "htmlUnescape": "",
    "jsonpath": "q",
    "last": "",
    "location": "",
    "nth": "i",
    "regex": "r",
    "replace": "rq",
    "replaceRegex": "rq",
    "split": "q",
    "toDate": "q",
    "toFloat": "",
    "toHex": "",
    "toInt": "",
    "toString": "",
    "url": "",
    "urlDecode": "",
    "urlEncode": "",
    "urlQueryParam": "q",
    "utf8Decode": "",
    "utf8Encode": "",
    "xpath": "q",
}

# predicate (and its long alias) -> canonical name; value kind: "" none, "v" a value, "r" regex
PREDICATES: dict[str, tuple[str, str]] = {
    "==": ("==", "v"),
    "equals": ("==", "v"),
    "!=": ("!=", "v"),
    "notEquals": ("!=", "v"),
    ">": (">", "v"),
    "greaterThan": (">", "v"),
    ">=": (">=", "v"),
    "greaterThanOrEquals": (">=", "v"),
    "<": ("<", "v"),
    "lessThan": ("<", "v"),
    "<=": ("<=", "v"),
    "lessThanOrEquals": ("<=", "v"),
    "startsWith": ("startsWith", "v"),
    "endsWith": ("endsWith", "v"),
    "contains": ("contains", "v"),
    "includes": ("includes", "v"),
    "matches": ("matches", "r"),
    "exists": ("exists", ""),
    "isBoolean": ("isBoolean", ""),
    "isCollection": ("isCollection", ""),
    "isDate": ("isDate", ""),
    "isEmpty": ("isEmpty", ""),
    "isFloat": ("isFloat", ""),
    "isInteger": ("isInteger", ""),
    "isIpv4": ("isIpv4", ""),
    "isIpv6": ("isIpv6", ""),
    "isIsoDate": ("isIsoDate", ""),
    "isList": ("isList", ""),
    "isNumber": ("isNumber", ""),
    "isObject": ("isObject", ""),
    "isString": ("isString", ""),
    "isUuid": ("isUuid", ""),
}

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-]*|[=!<>]+")
_CAPTURE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")


def query(cur: Cursor) -> Query:
    start = cur.i
    pos = cur.pos()
    m = cur.match(_WORD)
    kind = m.group() if m else ""
    if kind in WIRE_PREFIXES:
        cur.sp1(f"the {kind} field")
        m2 = cur.match(_WORD)
        kind = f"{kind} {m2.group() if m2 else ''}"
    argkind = QUERIES.get(kind)
    if argkind is None:
        raise cur.error(f"unknown query {kind!r}" if kind else "expected a query", start)
    arg = None
    if argkind:
        cur.sp1(f"the argument of {kind}")
        regex = argkind == "r" and cur.at("/")
        arg = _regex_template(cur) if regex else _strings.quoted(cur)
    return Query(kind, arg, pos)


def _regex_template(cur: Cursor) -> Template:
    pos = cur.pos()
    return Template((_strings.regex_literal(cur),), pos)


def _filter_arg(cur: Cursor, kind: str) -> Literal | str:
    if kind == "i":
        value = _strings.literal(cur)
        if not isinstance(value, int) or isinstance(value, bool):
            raise cur.error("expected an integer")
        return value
    if kind == "r" and cur.at("/"):
        return _strings.regex_literal(cur)
    return _strings.quoted(cur)


def filters(cur: Cursor) -> list[Filter]:
    """Filters after a query, up to (not including) a predicate or line end."""
    out: list[Filter] = []
    while True:
        save = cur.i
        if not cur.sp() or cur.at_lt():
            cur.i = save
            return out
        m = _WORD.match(cur.text, cur.i)
        name = m.group() if m else ""
        if name not in FILTERS:
            cur.i = save
            return out
        pos = cur.pos()
        cur.i = m.end() if m else cur.i
        args: list[Literal | str] = []
        for kind in FILTERS[name]:
            cur.sp1(f"the argument of {name}")
            args.append(_filter_arg(cur, kind))
        out.append(Filter(name, tuple(args), pos))


def predicate(cur: Cursor) -> Predicate:
    pos = cur.pos()
    negated = False
    m = cur.match(_WORD)
    word = m.group() if m else ""
    if word == "not":
        negated = True
        cur.sp1("the predicate")
        m = cur.match(_WORD)
        word = m.group() if m else ""
    entry = PREDICATES.get(word)
    if entry is None:
        at = cur.i - len(word)
        raise cur.error(f"unknown predicate {word!r}" if word else "expected a predicate", at)
    name, vkind = entry
    if not vkind:
        return Predicate(name, negated, None, pos, has_value=False)
    cur.sp1(f"the value of {word}")
    regex = vkind == "r" and cur.at("/")
    value: Literal | str = _strings.regex_literal(cur) if regex else _strings.literal(cur)
    return Predicate(name, negated, value, pos)


def assert_line(cur: Cursor) -> Assert:
    text = cur.rest_of_line().strip()
    pos = cur.pos()
    q = query(cur)
    fs = filters(cur)
    cur.sp1("the predicate")
    p = predicate(cur)
    cur.lt()
    return Assert(q, tuple(fs), p, pos, text)


def capture_line(cur: Cursor) -> Capture:
    pos = cur.pos()
    m = cur.match(_CAPTURE_NAME)
    if m is None:
        raise cur.error("expected a capture name")
    cur.sp()
    cur.expect(":", "':' after the capture name")
    cur.sp()
    q = query(cur)
    fs = filters(cur)
    save = cur.i
    redact = False
    if cur.sp() and cur.eat("redact"):
        redact = True
    else:
        cur.i = save
    cur.lt()
    return Capture(m.group(), q, tuple(fs), pos, redact)


def checks_at(text: str, filename: str, spots: list[tuple[str, int]]) -> list[Assert | Capture]:
    """Read single assert or capture lines embedded in another file's text
    (``# @assert ...`` lines of a ``.http`` file).  Each spot is ("assert" or
    "capture", the index where its query or capture name starts); the line
    must end after it.  Positions and errors are those of ``text``, so a
    mistake is reported at its file:line:col."""
    cur = Cursor(text, filename)
    out: list[Assert | Capture] = []
    for kind, start in spots:
        cur.i = start
        out.append(assert_line(cur) if kind == "assert" else capture_line(cur))
    return out
