"""A fast path for the commonest Hurl entry: a request line, a status line
and a few plain asserts, with nothing else in the entry.

    GET {{base}}/echo
    HTTP 200
    [Asserts]
    jsonpath "$.method" == "GET"

The general parser (``_parse``) reads such an entry a token at a time,
asking at each line what it might be; one regex over the whole entry and one
per assert line builds the same nodes in about a third of the time.  It is
deliberately narrow: one space between words, no indentation, comments,
escapes, ``\\r``, headers, filters, sections other than ``[Asserts]`` or
bodies.  Anything else, and any doubt about where the entry ends, returns
None and the general parser reads the entry from its start, so errors and
their positions always come from the general parser.  A differential test
(tests/runner/test_hurl_fast.py) holds the two to the same trees.
"""

from __future__ import annotations

import re

from reqlab.formats.hurl._ast import (
    Assert,
    Entry,
    Expr,
    Pos,
    Predicate,
    Query,
    RequestSpec,
    ResponseSpec,
    Template,
)
from reqlab.formats.hurl._checks import FILTERS, PREDICATES, QUERIES, WIRE_PREFIXES
from reqlab.formats.hurl._cursor import Cursor

_NAME = r"[A-Za-z_][A-Za-z0-9_\-]*"
_ENTRY = re.compile(
    rf"([A-Z]+) ((?:[^\s\\{{#]+|\{{\{{{_NAME}\}}\}})+)\n"
    r"(?:(HTTP(?:/1\.0|/1\.1|/2)?) (\d{3})\n"
    r"(?:\[Asserts\]\n((?:[a-z][^\n]*\n)+))?)?"
)
_EXPR_SPLIT = re.compile(rf"\{{\{{({_NAME})\}}\}}")
_ASSERT = re.compile(
    r'([A-Za-z][A-Za-z0-9\-]*)(?: "([^"\\{\r\n]*)")? ([A-Za-z][A-Za-z0-9\-]*|[=!<>]+)'
    r'(?: ("[^"\\{\r\n]*"|-?\d+))?'
)
# what the general parser would read as more of the entry just ended
_KEY_VALUE = re.compile(r"[ \t]*(?:[A-Za-z0-9_\-.\[\]@$]|\\.|\{\{[^}\n]*\}\})+[ \t]*:")
_NEXT_REQUEST = re.compile(r"[A-Z]+[ \t]+\S")
_RESPONSE = re.compile(r"[ \t]*HTTP")


def entry(cur: Cursor, index: int) -> Entry | None:
    """The entry at the cursor (at the start of a line with content), or
    None, the cursor untouched, when it is not of the simple shape."""
    m = _ENTRY.match(cur.text, cur.i)
    if m is None or not _ends_at(cur, m.end()):
        return None
    line = cur.pos().line
    method, url, version, status, checks = m.groups()
    request = RequestSpec(method, _url(url, line, len(method) + 2), Pos(line, 1))
    response = None
    if version is not None:
        asserts: tuple[Assert, ...] = ()
        if checks is not None:
            found = _asserts(checks, line + 3)
            if found is None:
                return None
            asserts = found
        response = ResponseSpec(version, int(status), Pos(line + 1, 1), asserts=asserts)
    cur.i = m.end()
    return Entry(request, response, index)


def _ends_at(cur: Cursor, end: int) -> bool:
    """Does the general parser end the entry at ``end``?  Only when what
    follows (past blank and comment lines) is the end of the file or the
    request line of the next entry."""
    start = cur.i
    cur.i = end
    cur.skip_lts()
    text, i = cur.text, cur.i
    cur.i = start
    if i >= len(text):
        return True
    return (
        _NEXT_REQUEST.match(text, i) is not None
        and _KEY_VALUE.match(text, i) is None
        and _RESPONSE.match(text, i) is None
    )


def _url(url: str, line: int, column: int) -> Template:
    if "{" not in url:
        return Template((url,), Pos(line, column))
    parts: list[str | Expr] = []
    at = 0
    for m in _EXPR_SPLIT.finditer(url):
        if m.start() > at:
            parts.append(url[at : m.start()])
        parts.append(Expr(m.group(1), Pos(line, column + m.start())))
        at = m.end()
    if at < len(url):
        parts.append(url[at:])
    return Template(tuple(parts), Pos(line, column))


def _asserts(block: str, line: int) -> tuple[Assert, ...] | None:
    out: list[Assert] = []
    for text in block.split("\n")[:-1]:
        m = _ASSERT.fullmatch(text)
        if m is None:
            return None
        kind, arg, word, value = m.groups()
        argkind = QUERIES.get(kind)
        predicate = PREDICATES.get(word)
        if (
            argkind is None
            or kind in WIRE_PREFIXES
            or bool(argkind) != (arg is not None)
            or predicate is None
            or word in FILTERS
            or bool(predicate[1]) != (value is not None)
        ):
            return None
        pos = Pos(line, 1)
        query_arg = (
            None if arg is None else Template((arg,) if arg else (), Pos(line, len(kind) + 2))
        )
        column = m.start(3) + 1
        if value is None:
            p = Predicate(predicate[0], False, None, Pos(line, column), has_value=False)
        else:
            p = Predicate(
                predicate[0], False, _value(value, line, m.start(4) + 1), Pos(line, column)
            )
        out.append(Assert(Query(kind, query_arg, pos), (), p, pos, text))
        line += 1
    return tuple(out)


def _value(value: str, line: int, column: int) -> Template | int:
    if value[0] == '"':
        inner = value[1:-1]
        return Template((inner,) if inner else (), Pos(line, column))
    return int(value)
