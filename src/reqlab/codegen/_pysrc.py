"""Python source building blocks shared by the five Python targets.

The decisions (which headers, which version) come from the plan; this
module spells values as Python: literals, the payload, how files are read;
and holds what every renderer (``python``, ``_pyaio``, ``_pyhttp``) shares:
the headers a snippet sets itself, the method call, duplicate headers.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field

from reqlab.codegen._escape import python_str
from reqlab.codegen._plan import Plan
from reqlab.codegen._shared import closes_after_downgrade
from reqlab.codegen._wire import redundant_host
from reqlab.model import (
    BasicAuth,
    BytesBody,
    FormBody,
    JsonBody,
    MultipartBody,
    MultipartFile,
    TextBody,
)


def s(text: str) -> str:
    """A Python string literal, double-quoted where possible (black's style)."""
    literal = python_str(text)
    if literal.startswith("'") and '"' not in text:
        return '"' + literal[1:-1].replace("\\'", "'") + '"'
    return literal


def utf8(text: str) -> str:
    """An expression for ``text`` as UTF-8 bytes: a bytes literal when it is
    ASCII (ruff's UP012 asks for it), else ``"...".encode()``."""
    return "b" + s(text) if text.isascii() else f"{s(text)}.encode()"


def py_value(value: object, indent: str = "") -> str:
    """A JSON value as a readable Python literal (dicts one key per line)."""
    inner = indent + "    "
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{s(str(k))}: {py_value(v, inner)}," for k, v in value.items()]
        return "{\n" + "\n".join(items) + f"\n{indent}}}"
    if isinstance(value, list):
        if not value:
            return "[]"
        flat = ", ".join(py_value(v, inner) for v in value)
        if len(flat) <= 60 and "\n" not in flat:
            return f"[{flat}]"
        return "[\n" + "\n".join(f"{inner}{py_value(v, inner)}," for v in value) + f"\n{indent}]"
    if isinstance(value, str):
        return s(value)
    return repr(value)  # int, float (repr round-trips), True, False, None


def pairs(items: Sequence[tuple[str, str]], indent: str = "") -> str:
    """A list of (name, value) tuples, one per line."""
    if not items:
        return "[]"
    inner = indent + "    "
    body = "\n".join(f"{inner}({s(n)}, {lit(v)})," for n, v in items)
    return f"[\n{body}\n{indent}]"


class Expr(str):
    """A value already written as a Python expression (not to be quoted)."""


def lit(value: str | list[str]) -> str:
    if isinstance(value, Expr):
        return str(value)
    if isinstance(value, str):
        return s(value)
    return "[" + ", ".join(s(x) for x in value) + "]"


def mapping(items: Sequence[tuple[str, str | list[str]]], indent: str = "") -> str:
    """A dict literal, one entry per line."""
    if not items:
        return "{}"
    inner = indent + "    "
    lines = [f"{inner}{s(n)}: {lit(v)}," for n, v in items]
    return "{\n" + "\n".join(lines) + f"\n{indent}}}"


def call(
    prefix: str, func: str, args: Sequence[str], indent: str = "", suffix: str = ""
) -> list[str]:
    """``prefix + func(args) + suffix``, on one line when it fits in 88 columns."""
    one = f"{indent}{prefix}{func}({', '.join(args)}){suffix}"
    if len(one) <= 88 or not args:
        return [one]
    return [
        f"{indent}{prefix}{func}(",
        *[f"{indent}    {a}," for a in args],
        f"{indent}){suffix}",
    ]


def with_block(contexts: Sequence[str]) -> list[str]:
    """``with a, b:`` (parenthesised when there are several)."""
    if len(contexts) == 1:
        return [f"with {contexts[0]}:"]
    return ["with (", *[f"    {c}," for c in contexts], "):"]


def basic_auth_expr(username: str, password: str) -> Expr:
    """``"Basic " + base64(...)`` computed at run time, credentials readable."""
    return Expr(f'"Basic " + base64.b64encode({utf8(username + ":" + password)}).decode()')


@dataclass
class Source:
    """A snippet under construction: imports, setup lines, the call, the output."""

    imports: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def need(self, *imports: str) -> None:
        for imp in imports:
            if imp not in self.imports:
                self.imports.append(imp)

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def render(self, comments: Sequence[str] = ()) -> str:
        stdlib = sorted((i for i in self.imports if _is_stdlib(i)), key=_module)
        other = sorted((i for i in self.imports if not _is_stdlib(i)), key=_module)
        head = [f"# {c}" for c in comments]
        blocks = [b for b in ("\n".join(stdlib), "\n".join(other)) if b]
        text = "\n".join(head) + ("\n" if head else "") + "\n\n".join(blocks)
        return text + "\n\n" + "\n".join(self.lines).rstrip() + "\n"


_STDLIB = ("asyncio", "base64", "http", "json", "pathlib", "ssl", "urllib", "uuid", "contextlib")


def _module(statement: str) -> tuple[bool, str]:
    # isort's order: plain imports first, then from-imports, each by module.
    return statement.startswith("from "), statement.split()[1]


def _is_stdlib(statement: str) -> bool:
    return _module(statement)[1].split(".")[0] in _STDLIB


def speak_http10(src: Source) -> None:
    """Make urllib3, and requests (which sends through it), write HTTP/1.0 on
    the request line.  Neither has a version option; urllib3's connections
    extend http.client's, which writes this class attribute."""
    src.need("from urllib3.connection import HTTPConnection")
    src.add(
        "# Neither requests nor urllib3 has an HTTP version option: their",
        "# connections extend http.client's, which writes this attribute on the",
        "# request line (for every connection this process opens).",
        'HTTPConnection._http_vsn_str = "HTTP/1.0"',
        "",
    )


def json_payload(src: Source, plan: Plan) -> str:
    """Define ``payload`` and return the expression of the exact JSON text."""
    assert isinstance(plan.body, JsonBody)
    src.need("import json")
    src.add(f"payload = {py_value(plan.body.value)}", "")
    # Compact and UTF-8, byte for byte what reqlab sends (json.dumps' default adds spaces).
    return 'json.dumps(payload, ensure_ascii=False, separators=(",", ":"))'


def raw_bytes(src: Source, plan: Plan) -> str:
    """An expression for a text or bytes body, as bytes (files read at run time)."""
    body = plan.body
    if isinstance(body, TextBody):
        src.add(f"data = {utf8(body.text)}", "")
        return "data"
    if isinstance(body, BytesBody) and body.path is not None:
        src.need("from pathlib import Path")
        src.add(f"data = Path({s(body.path)}).read_bytes()", "")
        return "data"
    if isinstance(body, BytesBody) and body.data is not None:
        src.need("import base64")
        encoded = base64.b64encode(body.data).decode()
        src.add(f'data = base64.b64decode("{encoded}")', "")
        return "data"
    raise TypeError(f"not a raw body: {body!r}")


def content_type_for(plan: Plan) -> list[tuple[str, str]]:
    """The Content-Type a body sent as raw bytes needs when the user gave none."""
    if plan.content_type is not None or plan.body is None:
        return []
    if isinstance(plan.body, JsonBody):
        return [("Content-Type", "application/json")]
    if isinstance(plan.body, FormBody):
        return [("Content-Type", "application/x-www-form-urlencoded")]
    return []


def file_parts(body: MultipartBody) -> list[MultipartFile]:
    return [p for p in body.parts if isinstance(p, MultipartFile)]


def file_var(part: MultipartFile, taken: set[str]) -> str:
    """A variable name for an opened file part."""
    base = "".join(ch if ch.isalnum() else "_" for ch in part.name.lower()).strip("_") or "file"
    if base[0].isdigit() or base in ("data", "payload", "url", "headers", "response", "session"):
        base = "file_" + base
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return name


def file_source(src: Source, part: MultipartFile) -> str:
    """Where a file part's bytes come from: an open() path or inline base64."""
    if part.path is not None:
        return f'open({s(part.path)}, "rb")'
    src.need("import base64")
    return f'base64.b64decode("{base64.b64encode(part.data or b"").decode()}")'


def file_bytes(src: Source, part: MultipartFile) -> str:
    """An expression for a file part's bytes (read from disk when it has a path)."""
    if part.path is not None:
        src.need("from pathlib import Path")
        return f"Path({s(part.path)}).read_bytes()"
    return file_source(src, part)


# ---------------------------------------------- shared by the targets' renderers
SIMPLE = {"GET", "HEAD", "OPTIONS", "DELETE"}  # helpers without a body argument
WITH_BODY = {"POST", "PUT", "PATCH"}


def method_call(method: str, has_body: bool, args: list[str]) -> tuple[str, list[str]]:
    """``("get", args)`` for standard methods, ``("request", ["M", *args])`` otherwise."""
    if method in WITH_BODY or (method in SIMPLE and not has_body):
        return method.lower(), args
    return "request", [s(method), *args]


def headers_for(
    p: Plan, native_auth: bool, http10: bool = False, utf8_bytes: bool = True
) -> list[tuple[str, str]]:
    """Headers the snippet sets itself: the plan's, then auth unless the
    library does it; HTTP/1.0 sent as 1.1 says ``Connection: close``.
    ``utf8_bytes``: non-ASCII values become ``"...".encode()`` (the library
    would encode text as latin-1; reqlab sends UTF-8)."""
    # A Host equal to the URL's authority (raw and HAR input carry one) is
    # what every library sends anyway: leave it to the library.
    headers = [h for h in p.headers if not redundant_host(p.request, h)]
    if closes_after_downgrade(p, "HTTP/1.0" if http10 else None):
        # HTTP/1.0 closes by default; sent as HTTP/1.1 it must say so.
        headers.append(("Connection", "close"))
    if p.auth_value and not native_auth and "authorization" not in p.header_names():
        headers.append(("Authorization", p.auth_value))
    if utf8_bytes:
        headers = [(n, v if v.isascii() else Expr(f"{s(v)}.encode()")) for n, v in headers]
    return headers


def ascii_basic(p: Plan) -> tuple[str, str] | None:
    """(user, password) when the library's basic-auth helper sends the same
    bytes as reqlab (helpers encode latin-1, reqlab UTF-8: equal for ASCII)."""
    auth = p.request.auth
    if not isinstance(auth, BasicAuth) or "authorization" in p.header_names():
        return None
    if not (auth.username + auth.password).isascii():
        return None
    return auth.username, auth.password


def split_duplicates(
    headers: list[tuple[str, str]],
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The first value of each name (for a dict) and the repeats after it."""
    seen: set[str] = set()
    first: list[tuple[str, str]] = []
    extra: list[tuple[str, str]] = []
    for name, value in headers:
        (extra if name.lower() in seen else first).append((name, value))
        seen.add(name.lower())
    return first, extra


def headers_literal(headers: list[tuple[str, str]]) -> str:
    """A dict, or a list of pairs when a name repeats (a dict would collapse it)."""
    _, extra = split_duplicates(headers)
    return pairs(headers) if extra else mapping(headers)


def indent(lines: list[str], by: str = "    ") -> list[str]:
    flat = [line for chunk in lines for line in chunk.split("\n")]
    return [by + line if line else line for line in flat]
