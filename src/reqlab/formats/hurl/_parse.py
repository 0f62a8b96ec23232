"""A Hurl file, entry by entry (see docs/run.md and Hurl's grammar).

    entry    = request response?
    request  = METHOD url lt header* request-section* body?
    response = HTTP[/version] (status | *) lt header* response-section* body?

A line's first word decides what it is: a ``[Section]``, the start of a
body, ``HTTP`` (the response), a method and URL (the next entry), or else a
``key: value``.
"""

from __future__ import annotations

import re
from typing import Any

from reqlab.formats.hurl import _bodies, _checks, _fast, _options, _strings
from reqlab.formats.hurl._ast import (
    Assert,
    Capture,
    Entry,
    FilePart,
    HurlFile,
    KeyValue,
    Predicate,
    Query,
    RequestSpec,
    ResponseSpec,
    Template,
)
from reqlab.formats.hurl._cursor import Cursor

_METHOD = re.compile(r"[ \t]*([A-Z]+)[ \t]+(?=\S)")
_RESPONSE = re.compile(r"[ \t]*(HTTP(?:/[^ \t\r\n]*)?)[ \t]+")
_VERSIONS = ("HTTP", "HTTP/1.0", "HTTP/1.1", "HTTP/2", "HTTP/3")
_STATUS = re.compile(r"\d{3}(?![\w.])|\*")
_SECTION = re.compile(r"[ \t]*\[([A-Za-z]+)\]")
_URL_RUN = re.compile(r"[^\s\\{#]+")
_KEY_VALUE = re.compile(r"[ \t]*(?:[A-Za-z0-9_\-.\[\]@$]|\\.|\{\{[^}\n]*\}\})+[ \t]*:")
# a line that ends a [Captures]/[Asserts] section: a section, a body, a request
_END_OF_CHECKS = re.compile(r"[ \t]*(?:\[|[{<`]|hex,|base64,|file,|[A-Z]+[ \t]+\S)")
_ALIASES = {
    "QueryStringParams": "Query",
    "FormParams": "Form",
    "MultipartFormData": "Multipart",
}
REQUEST_SECTIONS = {"Query", "Form", "Multipart", "Cookies", "BasicAuth", "Options"}
RESPONSE_SECTIONS = {"Captures", "Asserts"}


def parse(text: str, filename: str = "<string>", *, fast: bool = True) -> HurlFile:
    """Parse a Hurl file; raises :class:`HurlSyntaxError` at the first error.

    ``fast`` lets the simplest entries take a shortcut (``_fast``) that
    builds the same nodes; False reads every entry the general way (the
    differential test compares the two)."""
    cur = Cursor(text, filename)
    entries: list[Entry] = []
    cur.skip_lts()
    while not cur.eof:
        found = _fast.entry(cur, len(entries) + 1) if fast else None
        if found is None:
            request = _request(cur)
            cur.skip_lts()
            response = _response(cur) if _RESPONSE.match(cur.text, cur.i) else None
            found = Entry(request, response, len(entries) + 1)
        entries.append(found)
        cur.skip_lts()
    return HurlFile(filename, tuple(entries), tuple(text.splitlines()))


def _request(cur: Cursor) -> RequestSpec:
    cur.sp()
    pos = cur.pos()
    m = cur.match(_METHOD)
    if m is None:
        raise cur.error(f"expected a method and a URL, got {cur.rest_of_line().strip()!r}")
    url = _url(cur)
    cur.lt()
    headers = _key_values(cur)
    sections: dict[str, list[Any]] = {}
    while (found := _section_name(cur)) is not None:
        name, at = found
        if name in RESPONSE_SECTIONS:
            raise cur.error(f"[{name}] belongs after the response line (HTTP <status>)", at)
        if name not in REQUEST_SECTIONS:
            raise cur.error(f"unknown section [{name}]", at)
        if name in sections:
            raise cur.error(f"section [{name}] appears twice", at)
        sections[name] = _request_section(cur, name)
    body = _bodies.body(cur) if _bodies.starts_body(cur) else None
    auth = sections.get("BasicAuth")
    return RequestSpec(
        method=m.group(1),
        url=url,
        pos=pos,
        headers=tuple(headers),
        query=tuple(sections.get("Query", ())),
        form=tuple(sections.get("Form", ())),
        multipart=tuple(sections.get("Multipart", ())),
        cookies=tuple(sections.get("Cookies", ())),
        basic_auth=auth[0] if auth else None,
        options=tuple(sections.get("Options", ())),
        body=body,
    )


def _url(cur: Cursor) -> Template:
    t = _strings._scan(cur, _URL_RUN, " \t\r\n#")
    if not t.parts:
        raise cur.error("expected a URL")
    return t


def _section_name(cur: Cursor) -> tuple[str, int] | None:
    """Read ``[Name]`` and its line end, if the line at the cursor is one;
    returns the name and where it starts."""
    cur.skip_lts()
    m = _SECTION.match(cur.text, cur.i)
    if m is None:
        return None
    start = cur.i
    cur.i = m.end()
    if not cur.at_lt():  # "[1, 2]": a JSON body, not a section
        cur.i = start
        return None
    cur.lt()
    name = m.group(1)
    return _ALIASES.get(name, name), m.start(1) - 1


def _is_key_value_line(cur: Cursor) -> bool:
    """``key: ...`` (no section, body, request or response line has a key
    of key characters followed by a colon)."""
    return _KEY_VALUE.match(cur.text, cur.i) is not None


def _key_value(cur: Cursor) -> KeyValue:
    cur.sp()
    pos = cur.pos()
    key = _strings.key_string(cur)
    assert key is not None
    cur.sp()
    cur.expect(":")
    cur.sp()
    value = _strings.value_string(cur)
    cur.lt()
    return KeyValue(key, value, pos)


def _key_values(cur: Cursor) -> list[KeyValue]:
    out: list[KeyValue] = []
    while True:
        cur.skip_lts()
        if cur.eof or not _is_key_value_line(cur):
            return out
        out.append(_key_value(cur))


def _request_section(cur: Cursor, name: str) -> list[Any]:
    items: list[Any] = []
    while True:
        cur.skip_lts()
        if cur.eof or not _is_key_value_line(cur):
            return items
        if name == "Options":
            items.append(_options.option_line(cur))
        elif name == "Multipart":
            items.append(_multipart_item(cur))
        else:
            items.append(_key_value(cur))


def _multipart_item(cur: Cursor) -> KeyValue | FilePart:
    save = cur.i
    cur.sp()
    pos = cur.pos()
    key = _strings.key_string(cur)
    assert key is not None
    cur.sp()
    cur.expect(":")
    cur.sp()
    if not cur.at("file,"):
        cur.i = save
        return _key_value(cur)
    path = _strings.filename(cur)
    cur.sp()
    ctype = None
    if not cur.at_lt():
        ctype = cur.rest_of_line().split("#", 1)[0].strip()
        cur.i += len(cur.rest_of_line().split("#", 1)[0])
    cur.lt()
    return FilePart(key, path, ctype, pos)


def _response(cur: Cursor) -> ResponseSpec:
    cur.sp()
    pos = cur.pos()
    start = cur.i
    m = cur.match(_RESPONSE)
    assert m is not None
    version = m.group(1)
    if version not in _VERSIONS:
        raise cur.error("HTTP version must be HTTP, HTTP/1.0, HTTP/1.1, HTTP/2 or HTTP/3", start)
    sm = cur.match(_STATUS)
    if sm is None:
        raise cur.error("expected a status code (three digits) or *")
    status = None if sm.group() == "*" else int(sm.group())
    cur.lt()
    headers = _key_values(cur)
    captures: list[Capture] = []
    asserts: list[Assert] = []
    seen: set[str] = set()
    while (found := _section_name(cur)) is not None:
        name, at = found
        if name in REQUEST_SECTIONS:
            raise cur.error(f"[{name}] belongs to the request, before the response line", at)
        if name not in RESPONSE_SECTIONS:
            raise cur.error(f"unknown section [{name}]", at)
        if name in seen:
            raise cur.error(f"section [{name}] appears twice", at)
        seen.add(name)
        _response_section(cur, name, captures, asserts)
    body = _bodies.body(cur) if _bodies.starts_body(cur) else None
    implicit = [_header_assert(kv) for kv in headers]
    return ResponseSpec(
        version, status, pos, tuple(headers), tuple(captures), tuple(implicit + asserts), body
    )


def _header_assert(kv: KeyValue) -> Assert:
    text = f"{kv.key.source()}: {kv.value.source()}"
    query = Query("header", kv.key, kv.pos)
    return Assert(query, (), Predicate("==", False, kv.value, kv.pos), kv.pos, text, implicit=True)


def _response_section(
    cur: Cursor, name: str, captures: list[Capture], asserts: list[Assert]
) -> None:
    while True:
        cur.skip_lts()
        if cur.eof or _END_OF_CHECKS.match(cur.text, cur.i):
            return
        if name == "Captures":
            captures.append(_checks.capture_line(cur))
        else:
            cur.sp()
            asserts.append(_checks.assert_line(cur))
