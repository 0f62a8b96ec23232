"""Hurl's strings: templates, quoted strings, keys and values, literals.

Escapes follow Hurl's grammar: ``\\" \\\\ \\b \\f \\n \\r \\t \\u{XXXX}`` in
quoted strings; keys and values also take ``\\#`` and ``\\:`` (a bare ``#``
starts a comment).  ``{{name}}`` anywhere in them is a variable.
"""

from __future__ import annotations

import base64
import binascii
import re

from reqlab.formats.hurl._ast import (
    Base64Lit,
    Expr,
    FileLit,
    FloatLit,
    HexLit,
    Literal,
    Null,
    Template,
    TextBody,
)
from reqlab.formats.hurl._cursor import Cursor

_SIMPLE_ESCAPES = {
    '"': '"',
    "\\": "\\",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "#": "#",
    ":": ":",
    "`": "`",
    "/": "/",
    "{": "{",
    "}": "}",
    "'": "'",
    "$": "$",
}
_UNICODE = re.compile(r"u\{([0-9A-Fa-f]{1,6})\}")
EXPR = re.compile(r"\{\{[ \t]*([A-Za-z_][A-Za-z0-9_\-]*)[ \t]*\}\}")
_KEY_RUN = re.compile(r"[A-Za-z0-9_\-.\[\]@$]+")
_VALUE_RUN = re.compile(r"[^#\\{\r\n]+")
_PLAIN_QUOTED = re.compile(r'"([^"\\{\r\n]*)"')
_QUOTED_RUN = re.compile(r'[^"\\{\r\n]+')
_ONELINE_RUN = re.compile(r"[^`\\{\r\n]+")
_FLOAT = re.compile(r"-?(?:\d+\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+)(?![\w.])")
_INT = re.compile(r"-?\d+(?![\w.])")
_WORD = re.compile(r"[A-Za-z]+")
_HEX_BODY = re.compile(r"[ \t]*([0-9A-Fa-f \t]*)[ \t]*;")
_B64_BODY = re.compile(r"([A-Za-z0-9+/=\s]*);")
_FILENAME = re.compile(r"[ \t]*((?:[^;\\\r\n]|\\.)+?)[ \t]*;")

_LANG = re.compile(r"[A-Za-z0-9_+\-]*")

_PLAIN_LANGS = {"", "json", "xml"}  # Hurl's language hints; graphql is not run


def _escape(cur: Cursor) -> str:
    start = cur.i
    cur.i += 1  # the backslash
    ch = cur.peek()
    if ch in _SIMPLE_ESCAPES and ch:
        cur.i += 1
        return _SIMPLE_ESCAPES[ch]
    m = cur.match(_UNICODE)
    if m is not None:
        return chr(int(m.group(1), 16))
    raise cur.error("invalid escape sequence", start)


def _expr(cur: Cursor) -> Expr:
    start = cur.i
    m = cur.match(EXPR)
    if m is None:
        raise cur.error("invalid template: expected {{name}}", start)
    return Expr(m.group(1), cur.pos(start))


def _scan(cur: Cursor, run: re.Pattern[str], stop: str) -> Template:
    """Literal runs, escapes and ``{{expr}}`` until a character in ``stop``."""
    start = cur.i
    parts: list[str | Expr] = []
    buf: list[str] = []
    text = cur.text
    while cur.i < len(text):
        m = cur.match(run)
        if m is not None:
            buf.append(m.group())
            continue
        ch = text[cur.i]
        if ch == "\\":
            buf.append(_escape(cur))
        elif ch == "{" and text.startswith("{{", cur.i):
            if buf:
                parts.append("".join(buf))
                buf = []
            parts.append(_expr(cur))
        elif ch in stop:
            break
        else:  # a lone "{" and the like
            buf.append(ch)
            cur.i += 1
    if buf:
        parts.append("".join(buf))
    return Template(tuple(parts), cur.pos(start))


def value_string(cur: Cursor) -> Template:
    """A header/param value: up to a comment or the end of line, trimmed."""
    t = _scan(cur, _VALUE_RUN, "#\r\n")
    if t.parts and isinstance(t.parts[-1], str):
        last = t.parts[-1].rstrip(" \t")
        parts = t.parts[:-1] + ((last,) if last else ())
        t = Template(parts, t.pos)
    return t


def key_string(cur: Cursor) -> Template | None:
    """A key (header name, param name); None when there is none here."""
    start = cur.i
    parts: list[str | Expr] = []
    buf: list[str] = []
    while not cur.eof:
        m = cur.match(_KEY_RUN)
        if m is not None:
            buf.append(m.group())
        elif cur.at("\\"):
            buf.append(_escape(cur))
        elif cur.at("{{"):
            if buf:
                parts.append("".join(buf))
                buf = []
            parts.append(_expr(cur))
        else:
            break
    if buf:
        parts.append("".join(buf))
    if not parts:
        cur.i = start
        return None
    return Template(tuple(parts), cur.pos(start))


def quoted(cur: Cursor) -> Template:
    start = cur.i
    m = _PLAIN_QUOTED.match(cur.text, start)
    if m is not None:  # the common case: no escape, no template
        cur.i = m.end()
        return Template((m.group(1),) if m.group(1) else (), cur.pos(start))
    cur.expect('"', "a quoted string")
    t = _scan(cur, _QUOTED_RUN, '"\r\n')
    if not cur.eat('"'):
        raise cur.error("unterminated quoted string", start)
    return Template(t.parts, cur.pos(start))


def oneline(cur: Cursor) -> Template:
    start = cur.i
    cur.expect("`")
    t = _scan(cur, _ONELINE_RUN, "`\r\n")
    if not cur.eat("`"):
        raise cur.error("unterminated `string`", start)
    return Template(t.parts, cur.pos(start))


def regex_literal(cur: Cursor) -> str:
    """``/pattern/`` with ``\\/`` for a slash; returns the pattern."""
    start = cur.i
    cur.expect("/")
    out: list[str] = []
    while not cur.eof and not cur.at("/") and cur.peek() not in "\r\n":
        if cur.at("\\/"):
            out.append("/")
            cur.i += 2
        elif cur.at("\\"):
            out.append(cur.peek(2))
            cur.i += 2
        else:
            out.append(cur.peek())
            cur.i += 1
    if not cur.eat("/"):
        raise cur.error("unterminated /regex/", start)
    return "".join(out)


def hex_bytes(cur: Cursor) -> bytes:
    start = cur.i
    cur.expect("hex,")
    m = cur.match(_HEX_BODY)
    digits = re.sub(r"\s", "", m.group(1)) if m else None
    if digits is None or len(digits) % 2:
        raise cur.error("expected hex digits (an even number of them) and ';'", start)
    return bytes.fromhex(digits)


def base64_bytes(cur: Cursor) -> bytes:
    start = cur.i
    cur.expect("base64,")
    m = cur.match(_B64_BODY)
    if m is None:
        raise cur.error("expected base64 text and ';'", start)
    try:
        return base64.b64decode(re.sub(r"\s", "", m.group(1)), validate=True)
    except binascii.Error:
        raise cur.error("invalid base64", start) from None


def filename(cur: Cursor) -> Template:
    """``file,path;`` -> the path (a template)."""
    start = cur.i
    cur.expect("file,")
    m = cur.match(_FILENAME)
    if m is None:
        raise cur.error("expected a file name and ';'", start)
    sub = Cursor(cur.text[: m.end(1)], cur.filename)
    sub.i = m.start(1)
    return _scan(sub, re.compile(r"[^\\{]+"), "")


def literal(cur: Cursor) -> Literal:
    """A predicate or option value: null, bool, number, string, bytes, {{expr}}."""
    ch = cur.peek()
    if ch == '"':
        return quoted(cur)
    if cur.at("```"):
        return multiline(cur).text
    if ch == "`":
        return oneline(cur)
    if cur.at("{{"):
        return _expr(cur)
    if cur.at("hex,"):
        return HexLit(hex_bytes(cur))
    if cur.at("base64,"):
        return Base64Lit(base64_bytes(cur))
    if cur.at("file,"):
        return FileLit(filename(cur))
    m = cur.match(_FLOAT)
    if m is not None:
        return FloatLit(float(m.group()), m.group())
    m = cur.match(_INT)
    if m is not None:
        return int(m.group())
    start = cur.i
    m = cur.match(_WORD)
    word = m.group() if m else ""
    if word == "true":
        return True
    if word == "false":
        return False
    if word == "null":
        return Null()
    cur.i = start
    raise cur.error('expected a value (a number, a "string", true, false, null, hex,...;)')


def multiline(cur: Cursor) -> TextBody:
    """```[lang]\\n...``` (or ```text``` on one line)."""
    start = cur.i
    cur.expect("```")
    close = cur.text.find("```", cur.i)
    if close < 0:
        raise cur.error("unterminated ``` multiline string", start)
    line_end = cur.text.find("\n", cur.i)
    if line_end < 0 or close < line_end:  # ```text``` on one line
        inline = cur.text[cur.i : close]
        cur.i = close + 3
        return TextBody(Template((inline,) if inline else (), cur.pos(start)))
    m = cur.match(_LANG)
    lang = m.group() if m else ""
    if lang not in _PLAIN_LANGS:
        raise cur.error(f"invalid language hint {lang!r} (json, xml or graphql)", start)
    cur.sp()
    if not cur.eat("\n") and not cur.eat("\r\n"):
        raise cur.error("expected a newline after ```" + lang, cur.i)
    text = raw_template(cur, cur.i, close)  # no escapes in a multiline string
    cur.i = close + 3
    return TextBody(text, lang or None)


def raw_template(
    cur: Cursor, start: int, end: int, strings: tuple[tuple[int, int], ...] = ()
) -> Template:
    """Text with ``{{name}}`` parts and no escapes; ``strings`` are the spans
    of JSON string literals, where a variable's value is JSON-escaped."""
    parts: list[str | Expr] = []
    chunk = cur.text[start:end]
    last = 0
    for m in EXPR.finditer(chunk):
        if m.start() > last:
            parts.append(chunk[last : m.start()])
        at = start + m.start()
        in_string = any(a < at < b for a, b in strings)
        parts.append(Expr(m.group(1), cur.pos(at), in_string))
        last = m.end()
    if last < len(chunk):
        parts.append(chunk[last:])
    return Template(tuple(parts), cur.pos(start))
