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
from typing import TypeAlias, TypeVar, dataclass_transform

from reqlab._records import share_methods

_T = TypeVar("_T")


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def node(cls: type[_T]) -> type[_T]:
    """A node class: frozen for the type checker (mypy refuses an assignment
    to a field), a plain dataclass at run time with the same ``__eq__``,
    ``__hash__`` and ``__repr__`` as ``dataclass(unsafe_hash=True)`` gives,
    shared rather than compiled per class (see :mod:`reqlab._records`: the
    26 node classes are defined on every ``reqlab run`` start-up).  Not
    frozen at run time: that compiles two more methods, and each field set
    in ``__init__`` would go through ``object.__setattr__`` (a node builds
    about 2.5 times slower).  No slots either: slotted classes take twice as
    long to define."""
    if cls.__doc__ is None:  # else dataclass() computes a signature for one
        cls.__doc__ = cls.__name__
    cls = dataclass(eq=False, repr=False)(cls)
    share_methods(cls, hashable=True)
    return cls


@node
class Pos:
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.line}:{self.column}"


@node
class Expr:
    """``{{name}}``: a variable (or a built-in function such as newUuid)."""

    name: str
    pos: Pos
    json_string: bool = False  # inside a JSON body's string: the value is JSON-escaped


@node
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


@node
class HexLit:
    data: bytes


@node
class Base64Lit:
    data: bytes


@node
class FileLit:
    path: Template


@node
class Null:
    pass


@node
class FloatLit:
    """A float keeps its source text: Hurl prints ``1.0`` as written."""

    value: float
    text: str


Literal: TypeAlias = (
    None | bool | int | FloatLit | Template | HexLit | Base64Lit | FileLit | Null | Expr
)


# ------------------------------------------------------------------ bodies


@node
class JsonBody:
    """A JSON body with templates resolved inside strings and as values."""

    text: Template


@node
class XmlBody:
    text: str


@node
class TextBody:
    """A multiline ``` string (``language`` set when one follows the fence)
    or a oneline `string`."""

    text: Template
    language: str | None = None


@node
class BytesBody:
    """``hex,...;`` or ``base64,...;``."""

    data: bytes


@node
class FileBody:
    path: Template


@node
class GraphQLBody:
    """A ```graphql body: the query (templates as written, no escaping) and
    the JSON object after a ``variables`` line, if any.  Sent as Hurl sends
    it: ``{"query":"...","variables":{...}}``, application/json."""

    query: Template
    variables: Template | None = None


Body: TypeAlias = JsonBody | XmlBody | TextBody | BytesBody | FileBody | GraphQLBody


@node
class BodySpec:
    body: Body
    pos: Pos


# ---------------------------------------------------------- request parts


@node
class KeyValue:
    key: Template
    value: Template
    pos: Pos


@node
class FilePart:
    """A multipart file parameter: ``name: file,path; type/subtype``."""

    key: Template
    path: Template
    content_type: str | None
    pos: Pos


@node
class OptionSpec:
    """``name: value``; durations are in milliseconds; ``variable: k=v`` has ``key``."""

    name: str
    value: Literal
    pos: Pos
    key: str = ""


@node
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


@node
class Query:
    """``kind`` is the query keyword (``jsonpath``, ``connection reused``...);
    ``arg`` its quoted argument, if any."""

    kind: str
    arg: Template | None
    pos: Pos


@node
class Filter:
    name: str
    args: tuple[Literal | str, ...]  # str for regex literals /.../ (as compiled source)
    pos: Pos


@node
class Predicate:
    name: str  # canonical: "==", "!=", ">", ..., "startsWith", "exists", "isInteger"...
    negated: bool
    value: Literal | str  # str only for a /regex/ literal of matches
    pos: Pos
    has_value: bool = True


@node
class Assert:
    query: Query
    filters: tuple[Filter, ...]
    predicate: Predicate
    pos: Pos
    text: str  # the assert line as written, for messages
    implicit: bool = False  # from the status line or a response header


@node
class Capture:
    name: str
    query: Query
    filters: tuple[Filter, ...]
    pos: Pos
    redact: bool = False


@node
class ResponseSpec:
    version: str  # "HTTP", "HTTP/1.0", "HTTP/1.1", "HTTP/2", "HTTP/3"
    status: int | None  # None for "*"
    pos: Pos
    headers: tuple[KeyValue, ...] = ()
    captures: tuple[Capture, ...] = ()
    asserts: tuple[Assert, ...] = ()
    body: BodySpec | None = None


@node
class Entry:
    request: RequestSpec
    response: ResponseSpec | None
    index: int  # 1-based


@node
class HurlFile:
    filename: str
    entries: tuple[Entry, ...]
    lines: tuple[str, ...] = field(default=(), repr=False)  # for error excerpts
