"""Request and response bodies: JSON, XML, ``` multiline ```, `oneline`,
``hex,...;``, ``base64,...;`` and ``file,...;``.

JSON and XML bodies end where their value ends (bracket matching), as in
Hurl; a JSON body may hold ``{{variables}}`` (as values or inside strings),
an XML body may not.
"""

from __future__ import annotations

import json
import re

from reqlab.formats.hurl import _strings
from reqlab.formats.hurl._ast import (
    BodySpec,
    BytesBody,
    FileBody,
    GraphQLBody,
    JsonBody,
    Template,
    TextBody,
    XmlBody,
)
from reqlab.formats.hurl._cursor import Cursor

_GRAPHQL = re.compile(r"```graphql[ \t]*\r?\n")
_GRAPHQL_VARIABLES = re.compile(r"\nvariables[ \t]*(?=\{)")  # at a line's start, as Hurl's
_XML_TOKEN = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!.*?>|</[^>]*>|<[^>]*?/>|<[^>]*>|[^<]+", re.S
)


def starts_body(cur: Cursor) -> bool:
    """Is the (indented) line at the cursor the start of a body?"""
    word = cur.first_word()
    return (
        word[:1] in ("{", "<", "`")
        or (word[:1] == "[" and not _is_section_name(word))
        or word.startswith(("hex,", "base64,", "file,"))
    )


def _is_section_name(word: str) -> bool:
    return re.fullmatch(r"\[[A-Za-z]+\]", word) is not None


def body(cur: Cursor) -> BodySpec:
    cur.sp()
    start = cur.i
    pos = cur.pos()
    ch = cur.peek()
    spec: BodySpec
    if ch in "{[":
        spec = BodySpec(JsonBody(_json(cur)), pos)
    elif ch == "<":
        spec = BodySpec(XmlBody(_xml(cur)), pos)
    elif _GRAPHQL.match(cur.text, cur.i):
        spec = BodySpec(_graphql(cur), pos)
    elif cur.at("```"):
        spec = BodySpec(_strings.multiline(cur), pos)
    elif ch == "`":
        spec = BodySpec(TextBody(_strings.oneline(cur)), pos)
    elif cur.at("hex,"):
        spec = BodySpec(BytesBody(_strings.hex_bytes(cur)), pos)
    elif cur.at("base64,"):
        spec = BodySpec(BytesBody(_strings.base64_bytes(cur)), pos)
    elif cur.at("file,"):
        spec = BodySpec(FileBody(_strings.filename(cur)), pos)
    else:
        raise cur.error("expected a body", start)
    cur.lt()
    return spec


def _graphql(cur: Cursor) -> GraphQLBody:
    """```graphql, the query, then optionally a line starting ``variables``
    (at the line's start, as Hurl reads it) with a JSON object; then ```."""
    start = cur.i
    opened = _GRAPHQL.match(cur.text, cur.i)
    assert opened is not None
    cur.i = opened.end()
    close = cur.text.find("```", cur.i)
    if close < 0:
        raise cur.error("unterminated ``` multiline string", start)
    found = _GRAPHQL_VARIABLES.search(cur.text, cur.i, close)
    query_end = found.start() + 1 if found else close  # keeps the newline before it
    query = _strings.raw_template(cur, cur.i, query_end)
    variables = None
    if found is not None:
        cur.i = found.end()
        variables = _json(cur)
        rest = cur.text[cur.i : close]
        if rest.strip():
            raise cur.error(
                "expected ``` after the GraphQL variables", cur.i + len(rest) - len(rest.lstrip())
            )
    cur.i = close + 3
    return GraphQLBody(query, variables)


def _json(cur: Cursor) -> Template:
    """Bracket-match a JSON value, templates allowed; then check it is JSON."""
    start = cur.i
    text = cur.text
    depth = 0
    i = start
    n = len(text)
    strings: list[tuple[int, int]] = []
    while i < n:
        ch = text[i]
        if ch == '"':
            opened = i
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            if i >= n:
                raise cur.error("unterminated string in JSON body", start)
            strings.append((opened, i))
        elif text.startswith("{{", i):
            end = text.find("}}", i)
            if end < 0:
                raise cur.error("unterminated {{ in JSON body", i)
            i = end + 1
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
            if depth == 0:
                i += 1
                break
        i += 1
    else:
        raise cur.error("unterminated JSON body", start)
    template = _strings.raw_template(cur, start, i, tuple(strings))  # JSON escapes stay as written
    cur.i = i
    if template.is_literal:
        try:
            json.loads(text[start:i])
        except ValueError as exc:
            raise cur.error(f"invalid JSON body: {exc}", start) from None
    return Template(template.parts, cur.pos(start))


def _xml(cur: Cursor) -> str:
    start = cur.i
    depth = 0
    seen_root = False
    for m in _XML_TOKEN.finditer(cur.text, start):
        tok = m.group()
        if tok.startswith("</"):
            depth -= 1
        elif tok.startswith(("<?", "<!")) or not tok.startswith("<"):
            if not tok.startswith("<") and not seen_root and tok.strip():
                break
        elif tok.endswith("/>"):
            seen_root = True
        else:
            depth += 1
            seen_root = True
        if seen_root and depth == 0:
            cur.i = m.end()
            return cur.text[start : cur.i]
    raise cur.error("unterminated XML body", start)
