"""JavaScript pieces shared by the browser and Node targets.

Both worlds build the body the same way (``FormData`` and ``Blob`` exist in
browsers and in Node 20) and differ only in where bytes come from: a file
the user picked in an ``<input type="file">`` in the browser, the disk in
Node.  :class:`Source` is that difference; :func:`body_code` writes the rest.

Two rules every JavaScript body follows, because runtimes add a
Content-Type of their own to some body types: a string becomes
``text/plain;charset=UTF-8`` and a typed ``Blob`` its type.  So a body the
request sends without a Content-Type goes as bytes (a ``Uint8Array``, a
``Buffer`` or an untyped ``Blob``), never as a bare string.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reqlab.codegen._escape import comment_safe, double_quoted_js
from reqlab.codegen._plan import Plan
from reqlab.codegen._shared import b64, body_text
from reqlab.model import BasicAuth, BytesBody, Header, JsonBody, MultipartBody, MultipartFile

js = double_quoted_js

# fetch and XHR upper-case these methods whatever their case (Fetch standard,
# "normalize a method"); Node's http and axios upper-case every method.
_NORMALIZED = {"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"}


@dataclass
class Code:
    """A body as JavaScript: statements that build it and the expression."""

    setup: list[str] = field(default_factory=list)
    expr: str | None = None
    imports: list[str] = field(default_factory=list)
    multipart: bool = False
    string: bool = False  # the expression is a string


# Keys a JavaScript object orders first (array indices) or treats specially.
_INDEX_KEY = re.compile(r"0|[1-9][0-9]{0,8}")
_SAFE_INT = 2**53


def _keeps(v: Any, exact: bool) -> bool:
    """JavaScript holds ``v`` as Python does; ``exact``: ``JSON.stringify``
    also spells it as :func:`reqlab.body.json_text` does (no floats, no keys
    an object reorders)."""
    if isinstance(v, bool) or v is None:
        return True
    if isinstance(v, float):
        return not exact
    if isinstance(v, int):
        return abs(v) < _SAFE_INT
    if isinstance(v, str):
        return not any(0xD800 <= ord(c) <= 0xDFFF for c in v)
    if isinstance(v, list):
        return all(_keeps(x, exact) for x in v)
    if isinstance(v, dict):
        return all(
            isinstance(k, str)
            and _keeps(k, exact)
            and k != "__proto__"
            and not (exact and _INDEX_KEY.fullmatch(k))
            for k in v
        ) and all(_keeps(x, exact) for x in v.values())
    return False


def _literal(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def json_literal(value: Any) -> str | None:
    """``value`` as a JavaScript literal whose ``JSON.stringify`` gives exactly
    :func:`reqlab.body.json_text` - or None when it would not: floats (JS
    prints ``1.0`` as ``1``, ``3e-07`` as ``3e-7``), integers past 2**53,
    keys a JS object reorders (``"2"``) or swallows (``__proto__``), lone
    surrogates."""
    if not isinstance(value, dict | list) or not _keeps(value, exact=True):
        return None
    return _literal(value)


def js_value(value: Any) -> str | None:
    """``value`` as a JavaScript literal with the same JSON *value* (the
    idiomatic style: ``JSON.stringify`` may space or spell numbers its own
    way) - or None where JavaScript would change the value: integers past
    2**53, lone surrogates, a ``__proto__`` key."""
    return _literal(value) if _keeps(value, exact=False) else None


def search_params(pairs: Sequence[tuple[str, str]], indent: str = "") -> list[str]:
    """``new URLSearchParams(...)`` lines: an object for distinct names that
    are not array indices (an object would move those first), else pairs."""
    names = [n for n, _ in pairs]
    if len(set(names)) == len(names) and not any(_INDEX_KEY.fullmatch(n) for n in names):
        inner = object_literal([(n, js(v)) for n, v in pairs], indent)
    else:
        inner = ["[", *(f"{indent}  [{js(n)}, {js(v)}]," for n, v in pairs), indent + "]"]
    return [f"new URLSearchParams({inner[0]}", *inner[1:-1], inner[-1] + ")"]


class Source:
    """Where bytes come from at run time; subclasses say it per runtime."""

    def bytes(self, data: bytes) -> str:
        raise NotImplementedError

    def file(self, path: str) -> str:
        """The file's content, usable inside ``new Blob([...])``."""
        raise NotImplementedError

    def untyped_text(self, text: str) -> str:
        """``text`` as a body that gets no Content-Type from the runtime."""
        raise NotImplementedError

    def untyped_file(self, path: str) -> str:
        raise NotImplementedError

    def base64(self, text: str) -> str:
        """An expression that base64-encodes ``text`` (as UTF-8)."""
        raise NotImplementedError

    def utf8_bytestring(self, literal: str) -> str:
        """An expression turning the string ``literal`` into one character per
        UTF-8 byte: header values are byte strings to fetch, XHR and Node's
        http, which send each character as one (Latin-1) byte."""
        raise NotImplementedError

    def header_value(self, value: str) -> str:
        if all(ord(c) < 0x80 for c in value):
            return js(value)
        return self.utf8_bytestring(js(value))

    imports: list[str]

    def declarations(self) -> list[str]:
        """Statements the body expressions rely on."""
        return []

    def auth(self, p: Plan) -> tuple[str, str] | None:
        """The Authorization header reqlab adds for basic/bearer auth, if any."""
        if p.auth_value is None or "authorization" in p.header_names():
            return None
        auth = p.request.auth
        if isinstance(auth, BasicAuth):
            return (
                "Authorization",
                f'"Basic " + {self.base64(f"{auth.username}:{auth.password}")}',
            )
        return ("Authorization", self.header_value(p.auth_value))


class BrowserSource(Source):
    """Files come from ``<input type="file" id="fileN">`` elements on the page."""

    def __init__(self) -> None:
        self.inputs: list[str] = []  # paths, in the order of their ids
        self.imports = []

    def _input(self, path: str) -> str:
        if path not in self.inputs:
            self.inputs.append(path)
        return f"file{self.inputs.index(path) + 1}"

    def declarations(self) -> list[str]:
        return [
            f'const file{i} = document.getElementById("file{i}").files[0];'
            for i in range(1, len(self.inputs) + 1)
        ]

    def bytes(self, data: bytes) -> str:
        return f"Uint8Array.from(atob({js(b64(data))}), (c) => c.charCodeAt(0))"

    def file(self, path: str) -> str:
        return self._input(path)

    def untyped_text(self, text: str) -> str:
        return f"new Blob([{js(text)}])"

    def untyped_file(self, path: str) -> str:
        return f"new Blob([{self._input(path)}])"

    def utf8_bytestring(self, literal: str) -> str:
        return f"String.fromCharCode(...new TextEncoder().encode({literal}))"

    def base64(self, text: str) -> str:
        if text.isascii():  # btoa takes Latin-1 only; UTF-8 needs the encoded form
            return f"btoa({js(text)})"
        return js(b64(text.encode()))

    def comment(self) -> list[str]:
        if not self.inputs:
            return []
        lines = ['// Files come from <input type="file"> elements on your page:']
        for i, path in enumerate(self.inputs, 1):
            lines.append(f'//   <input type="file" id="file{i}">  ({comment_safe(path)})')
        return lines


class NodeSource(Source):
    """Files are read from disk when the snippet runs."""

    def __init__(self) -> None:
        self.imports = []

    def bytes(self, data: bytes) -> str:
        return f'Buffer.from({js(b64(data))}, "base64")'

    def file(self, path: str) -> str:
        line = 'import { readFile } from "node:fs/promises";'
        if line not in self.imports:
            self.imports.append(line)
        return f"await readFile({js(path)})"

    def untyped_text(self, text: str) -> str:
        return f"Buffer.from({js(text)})"

    def untyped_file(self, path: str) -> str:
        return self.file(path)

    def base64(self, text: str) -> str:
        return f'Buffer.from({js(text)}).toString("base64")'

    def utf8_bytestring(self, literal: str) -> str:
        return f'Buffer.from({literal}).toString("latin1")'


def body_code(
    p: Plan, source: Source, *, string_ok: bool = True, json_objects: bool = False
) -> Code:
    """The body of ``p`` for a fetch-like API.  ``string_ok`` False when the
    library would alter a string (axios trims JSON text): use bytes then.
    ``json_objects``: the library serialises a JSON value itself (axios)."""
    body = p.body
    code = Code(imports=source.imports)
    if body is None:
        return code
    typed = "content-type" in p.header_names()
    text = body_text(p)
    literal = json_literal(body.value) if isinstance(body, JsonBody) else None
    if literal is not None and typed and string_ok:
        # Readable, and provably the same bytes as reqlab's JSON text.
        value = literal if json_objects else f"JSON.stringify({literal})"
        code.setup.append(f"const body = {value};")
        code.expr = "body"
        code.string = not json_objects
    elif text is not None:
        code.expr = js(text) if typed and string_ok else source.untyped_text(text)
        code.string = code.expr.startswith('"')
    elif isinstance(body, BytesBody):
        if body.data is not None:
            code.expr = source.bytes(body.data)
        elif typed:
            code.expr = source.file(body.path or "")
        else:
            code.expr = source.untyped_file(body.path or "")
    elif isinstance(body, MultipartBody):
        code.multipart = True
        warn_formdata_line_breaks(p, body)
        code.setup.append("const form = new FormData();")
        for part in body.parts:
            if isinstance(part, MultipartFile):
                data = (
                    source.bytes(part.data)
                    if part.data is not None
                    else source.file(part.path or "")
                )
                ctype = part.content_type or "application/octet-stream"
                blob = f"new Blob([{data}], {{ type: {js(ctype)} }})"
                code.setup.append(f"form.append({js(part.name)}, {blob}, {js(part.filename)});")
            else:
                code.setup.append(f"form.append({js(part.name)}, {js(part.value)});")
        code.expr = "form"
    code.setup[:0] = source.declarations()
    return code


def warn_formdata_line_breaks(p: Plan, body: MultipartBody) -> None:
    """FormData turns every bare CR and bare LF of a text field into CR LF
    (WHATWG, "convert to a list of name-value pairs"): no switch turns it off."""
    names = [
        part.name
        for part in body.parts
        if not isinstance(part, MultipartFile)
        and re.sub(r"\r\n|\r|\n", "\r\n", part.value) != part.value
    ]
    if names:
        fields = ", ".join(repr(n) for n in dict.fromkeys(names))
        p.warn(
            f"FormData sends line breaks in multipart text fields as CR LF: the bare CR or LF"
            f" in {fields} arrives as CR LF"
        )


def object_literal(pairs: Sequence[tuple[str, str]], indent: str) -> list[str]:
    """``{ "name": expr, ... }`` over several lines (values are expressions)."""
    inner = indent + "  "
    return ["{", *(f"{inner}{js(k)}: {v}," for k, v in pairs), indent + "}"]


def headers_init(headers: Sequence[tuple[str, str]], indent: str) -> list[str]:
    """A fetch ``HeadersInit``: an object, or pairs when a name repeats."""
    if len({n.lower() for n, _ in headers}) == len(headers):
        return object_literal(headers, indent)
    inner = indent + "  "
    return ["[", *(f"{inner}[{js(n)}, {v}]," for n, v in headers), indent + "]"]


def header_exprs(
    headers: Sequence[Header], auth: tuple[str, str] | None, source: Source
) -> list[tuple[str, str]]:
    """Headers as (name, JavaScript expression), auth last as reqlab adds it."""
    out = [(n, source.header_value(v)) for n, v in headers]
    if auth:
        out.append(auth)
    return out


def ms(seconds: float) -> int:
    """A timeout in seconds as the milliseconds JavaScript APIs take."""
    return round(seconds * 1000)


def fetch_init(
    p: Plan,
    body: Code,
    headers: Sequence[tuple[str, str]],
    timeout: float | None,
    extra: Sequence[str] = (),
) -> list[str]:
    """The lines of a fetch ``RequestInit`` (browser and Node alike);
    ``extra`` lines go before the timeout signal."""
    init: list[str] = []
    if p.method != "GET":
        init.append(f"  method: {js(p.method)},")
    if headers:
        lines = headers_init(headers, "  ")
        init += [f"  headers: {lines[0]}", *lines[1:-1], lines[-1] + ","]
    if body.expr is not None:
        init.append("  body," if body.expr == "body" else f"  body: {body.expr},")
    init += extra
    if timeout is not None:
        init.append(f"  signal: AbortSignal.timeout({ms(timeout)}),")
    return init


def warn_joined_duplicates(p: Plan, runtime: str) -> None:
    """fetch and XHR keep one line per name, joining repeats with ", "."""
    seen: dict[str, str] = {}
    repeated: list[str] = []
    for name, _ in p.headers:
        if name.lower() in seen and seen[name.lower()] not in repeated:
            repeated.append(seen[name.lower()])
        seen.setdefault(name.lower(), name)
    if repeated:
        p.warn(
            f"{', '.join(repeated)}: {runtime} joins repeated headers into one line "
            '(values separated by ", "), which HTTP treats as equivalent'
        )


def warn_method_case(p: Plan, target: str, every: bool = False) -> None:
    method = p.method
    if method != method.upper() and (every or method.upper() in _NORMALIZED):
        p.warn(f"{target} sends the method {method!r} upper-cased as {method.upper()!r}")


def statements(lines: Sequence[str]) -> str:
    """Join code lines, with at most one blank line in a row and a final newline."""
    out: list[str] = []
    for line in lines:
        if line == "" and (not out or out[-1] == ""):
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


# Fetch's HTTP-network-or-cache fetch: a conditional header switches the cache
# mode to "no-store", and the runtime then adds its own cache headers.
CONDITIONAL = ("if-modified-since", "if-none-match", "if-unmodified-since", "if-match", "if-range")


def warn_cache_headers(p: Plan, runtime: str, added: tuple[str, ...]) -> None:
    """Warn that ``runtime`` adds ``added`` (those the request does not set)
    because the request carries a conditional header."""
    names = p.header_names()
    missing = [h for h in added if h.lower() not in names]
    if missing and names & set(CONDITIONAL):
        p.warn(
            f"{', '.join(missing)}: {runtime} adds {'them' if len(missing) > 1 else 'it'}"
            " to a request with a conditional header (If-None-Match, If-Modified-Since, ...),"
            " which it then sends past its cache"
        )
