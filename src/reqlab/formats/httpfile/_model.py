"""The data of a parsed ``.http`` file: request *templates*, unresolved.

A template keeps the text as the user wrote it, ``{{variables}}`` included;
turning it into a :class:`reqlab.model.Request` is the resolver's job
(:mod:`reqlab.formats.httpfile.variables`).  Every piece carries the line it
came from, so a later error (an unknown variable, a missing body file) can
point at the place in the file.

An :class:`HttpFile` also keeps each block's original text, so writing a
file that was read gives back exactly the same characters
(:func:`reqlab.formats.httpfile.write_file`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal, TypeAlias

from reqlab.errors import FormatError


class HttpFileError(FormatError):
    """A ``.http`` file (or a template in it) could not be read or resolved.

    ``path``, ``line`` and ``column`` (1-based) say where; ``str()`` is the
    usual ``path:line:column: message`` one-liner.
    """

    def __init__(self, path: str, line: int, column: int, message: str) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        super().__init__("http", f"{path}:{line}:{column}", message)
        self.args = (f"{path}:{line}:{column}: {message}",)


@dataclass(frozen=True)
class Variable:
    """``@name = value`` (the value is a template itself)."""

    name: str
    value: str
    line: int


@dataclass(frozen=True)
class TemplateHeader:
    name: str
    value: str
    line: int
    column: int = 1  # where the value starts on its line


@dataclass(frozen=True)
class TextChunk:
    """Body text as written (lines joined with ``\\n``)."""

    text: str
    line: int


@dataclass(frozen=True)
class FileChunk:
    """``< ./path`` (``substitute`` False) or ``<@ ./path`` (variables in the
    file are replaced, as JetBrains does)."""

    path: str
    line: int
    substitute: bool = False


BodyChunk: TypeAlias = TextChunk | FileChunk


@dataclass(frozen=True)
class Script:
    """A response handler (``> {% ... %}`` / ``> ./file.js``) or a pre-request
    script (``< {% ... %}``).  Kept, never run: reqlab reports them."""

    kind: Literal["inline", "file"]
    text: str  # the script, or the file's path
    line: int


@dataclass(frozen=True)
class RequestTemplate:
    """One request of a ``.http`` file, before variables are replaced.

    ``name`` is ``# @name`` (or ``// @name``); ``title`` the text after the
    ``###`` that opened its block.  ``options`` holds reqlab's own
    ``# @reqlab.option value`` settings; ``tags`` other ``# @tag value``
    lines (REST Client's ``@no-redirect``, ``@prompt``...), kept and ignored.
    ``variables`` are the ``@var = value`` lines of the request's block.
    The runner reads ``# @assert ...`` and ``# @capture ...`` tags (see
    docs/run.md); to this format they are tags like any other.
    """

    method: str = "GET"
    url: str = ""
    version: str | None = None
    headers: tuple[TemplateHeader, ...] = ()
    body: tuple[BodyChunk, ...] = ()
    name: str | None = None
    title: str | None = None
    options: tuple[tuple[str, str], ...] = ()
    tags: tuple[tuple[str, str], ...] = ()
    variables: tuple[Variable, ...] = ()
    comments: tuple[str, ...] = ()
    handlers: tuple[Script, ...] = ()
    pre_scripts: tuple[Script, ...] = ()
    response_refs: tuple[str, ...] = ()
    line: int = 0  # the request line (0: made in memory, not read)
    column: int = 1  # where the URL starts on it
    url_lines: tuple[int, ...] = ()  # lines of indented URL continuations
    # the line of each tag (``# @assert ...`` errors point there); not part of
    # what the request is, so two templates that differ only here are equal
    tag_lines: tuple[int, ...] = field(default=(), compare=False)
    # the line of each ``# @reqlab.option`` (an auth line's warnings point there)
    option_lines: tuple[int, ...] = field(default=(), compare=False)

    @property
    def label(self) -> str | None:
        """What the request is called: its ``@name``, else its ``###`` title."""
        return self.name or self.title or None

    def header(self, name: str) -> str | None:
        lower = name.lower()
        for h in self.headers:
            if h.name.lower() == lower:
                return h.value
        return None

    def body_text(self) -> str | None:
        """The body when it is only text (no file parts), else None."""
        if all(isinstance(c, TextChunk) for c in self.body):
            return "\n".join(c.text for c in self.body if isinstance(c, TextChunk))
        return None

    def replace(self, **changes: object) -> RequestTemplate:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Block:
    """A ``###``-delimited stretch of a file: its exact text and what it held."""

    raw: str
    line: int  # first line of the block
    request: RequestTemplate | None = None
    variables: tuple[Variable, ...] = ()


@dataclass(frozen=True)
class HttpFile:
    path: str
    blocks: tuple[Block, ...] = ()
    newline: str = "\n"
    bom: bool = False  # the text began with U+FEFF

    @property
    def requests(self) -> list[RequestTemplate]:
        return [b.request for b in self.blocks if b.request is not None]

    @property
    def variables(self) -> list[Variable]:
        return [v for b in self.blocks for v in b.variables]

    def text(self) -> str:
        return ("\ufeff" if self.bom else "") + "".join(b.raw for b in self.blocks)


@dataclass
class Collection:
    """What an importer produces and an exporter takes: requests in folders,
    with the variables and environments that travel with them."""

    name: str
    items: list[tuple[tuple[str, ...], RequestTemplate]] = field(default_factory=list)
    variables: list[tuple[str, str]] = field(default_factory=list)
    environments: dict[str, dict[str, str]] = field(default_factory=dict)
    secrets: dict[str, dict[str, str]] = field(default_factory=dict)  # private env values
    warnings: list[str] = field(default_factory=list)
