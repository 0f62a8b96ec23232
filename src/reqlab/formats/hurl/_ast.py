"""The parsed form of a Hurl file: plain, immutable data, no I/O.

A file is a list of :class:`Entry`; an entry is a request and an optional
response spec.  Every node that a later error may point at carries a
:class:`Pos` (1-based line and column), so the runner can say
``file.hurl:12:5`` for a failed assert or an unsupported construct.

Text that may hold ``{{variables}}`` is a :class:`Template`: literal parts
and :class:`Expr` parts, resolved only when the entry runs (a capture of
entry 1 feeds entry 2).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Plain frozen dataclasses (no slots): slotted ones take over twice as long to
# define, and this module is on the start-up path of every `reqlab run`.
from typing import TypeAlias


@dataclass(frozen=True)
class Pos:
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.line}:{self.column}"


@dataclass(frozen=True)
class Expr:
    """``{{name}}``: a variable (or a built-in function such as newUuid)."""

    name: str
    pos: Pos
    json_string: bool = False  # inside a JSON body's string: the value is JSON-escaped


@dataclass(frozen=True)
class Template:
    parts: tuple[str | Expr, ...]
    pos: Pos

    @property
    def is_literal(self) -> bool:
        return all(isinstance(p, str) for p in self.parts)

    def source(self) -> str:
        return "".join(p if isinstance(p, str) else "{{" + p.name + "}}" for p in self.parts)


# ------------------------------------------------------------------ values
# A literal value in a predicate or an option: JSON-like scalars, plus the
# byte literals (hex, base64, file) and templates.


@dataclass(frozen=True)
class HexLit:
    data: bytes


@dataclass(frozen=True)
class Base64Lit:
    data: bytes


@dataclass(frozen=True)
class FileLit:
    path: Template


@dataclass(frozen=True)
class Null:
    pass


@dataclass(frozen=True)
class FloatLit:
    """A float keeps its source text: Hurl prints ``1.0`` as written."""

    value: float
    text: str


Literal: TypeAlias = (
    None | bool | int | FloatLit | Template | HexLit | Base64Lit | FileLit | Null | Expr
)


# ------------------------------------------------------------------ bodies


@dataclass(frozen=True)
class JsonBody:
    """A JSON body with templates resolved inside strings and as values."""

    text: Template


@dataclass(frozen=True)
class XmlBody:
    text: str


@dataclass(frozen=True)
class TextBody:
    """A multiline ``` string (``language`` set when one follows the fence)
    or a oneline `string`."""

    text: Template
    language: str | None = None


@dataclass(frozen=True)
class BytesBody:
    """``hex,...;`` or ``base64,...;``."""

    data: bytes


@dataclass(frozen=True)
class FileBody:
    path: Template


Body: TypeAlias = JsonBody | XmlBody | TextBody | BytesBody | FileBody


@dataclass(frozen=True)
class BodySpec:
    body: Body
    pos: Pos


# ---------------------------------------------------------- request parts


@dataclass(frozen=True)
class KeyValue:
    key: Template
    value: Template
    pos: Pos


@dataclass(frozen=True)
class FilePart:
    """A multipart file parameter: ``name: file,path; type/subtype``."""

    key: Template
    path: Template
    content_type: str | None
    pos: Pos


@dataclass(frozen=True)
class OptionSpec:
    """``name: value``; durations are in milliseconds; ``variable: k=v`` has ``key``."""

    name: str
    value: Literal
    pos: Pos
    key: str = ""


@dataclass(frozen=True)
class RequestSpec:
    method: str
    url: Template
    pos: Pos
    headers: tuple[KeyValue, ...] = ()
    query: tuple[KeyValue, ...] = ()
    form: tuple[KeyValue, ...] = ()
    multipart: tuple[KeyValue | FilePart, ...] = ()
    cookies: tuple[KeyValue, ...] = ()
    basic_auth: KeyValue | None = None
    options: tuple[OptionSpec, ...] = ()
    body: BodySpec | None = None


# -------------------------------------------------------- response checks


@dataclass(frozen=True)
class Query:
    """``kind`` is the query keyword (``jsonpath``, ``connection reused``...);
    ``arg`` its quoted argument, if any."""

    kind: str
    arg: Template | None
    pos: Pos


@dataclass(frozen=True)
class Filter:
    name: str
    args: tuple[Literal | str, ...]  # str for regex literals /.../ (as compiled source)
    pos: Pos


@dataclass(frozen=True)
class Predicate:
    name: str  # canonical: "==", "!=", ">", ..., "startsWith", "exists", "isInteger"...
    negated: bool
    value: Literal | str  # str only for a /regex/ literal of matches
    pos: Pos
    has_value: bool = True


@dataclass(frozen=True)
class Assert:
    query: Query
    filters: tuple[Filter, ...]
    predicate: Predicate
    pos: Pos
    text: str  # the assert line as written, for messages
    implicit: bool = False  # from the status line or a response header


@dataclass(frozen=True)
class Capture:
    name: str
    query: Query
    filters: tuple[Filter, ...]
    pos: Pos
    redact: bool = False


@dataclass(frozen=True)
class ResponseSpec:
    version: str  # "HTTP", "HTTP/1.0", "HTTP/1.1", "HTTP/2", "HTTP/3"
    status: int | None  # None for "*"
    pos: Pos
    headers: tuple[KeyValue, ...] = ()
    captures: tuple[Capture, ...] = ()
    asserts: tuple[Assert, ...] = ()
    body: BodySpec | None = None


@dataclass(frozen=True)
class Entry:
    request: RequestSpec
    response: ResponseSpec | None
    index: int  # 1-based


@dataclass(frozen=True)
class HurlFile:
    filename: str
    entries: tuple[Entry, ...]
    lines: tuple[str, ...] = field(default=(), repr=False)  # for error excerpts
