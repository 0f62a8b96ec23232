"""Reading the ``.http`` dialect of the JetBrains HTTP Client and VS Code
REST Client.

Theory of operation: the file is cut into blocks at every line starting with
``###``; each block's exact text is kept (so the file can be written back
unchanged).  Inside a block a small state machine reads, line by line:

    pre      comments, ``# @name``, ``# @reqlab.x``, ``@var = value``,
             ``< {% pre-request script %}``; the first other line is the
             request line -> url
    url      indented lines continue the URL (``    ?a=1``, ``    &b=2``) -> headers
    headers  ``Name: value`` lines and comments; a blank line -> body
    body     text, ``< ./file`` / ``<@ ./file`` includes, then
             ``> {% handler %}``, ``> ./handler.js`` and ``<> ./response.json``
             -> after
    after    only handlers, response references, comments and blank lines

A block with no request line holds only file variables and comments.
"""

from __future__ import annotations

import re

from reqlab.formats.httpfile._model import (
    Block,
    BodyChunk,
    FileChunk,
    HttpFileError,
    RequestTemplate,
    Script,
    TemplateHeader,
    TextChunk,
    Variable,
)

_SEPARATOR = re.compile(r"^###")
_COMMENT = re.compile(r"^\s*(#|//)")
_NAME = re.compile(r"^\s*(?:#|//)\s*@name(?:\s*=\s*|\s+)(\S.*?)\s*$")
_TAG = re.compile(r"^\s*(?:#|//)\s*@([A-Za-z][\w.-]*)(?:\s*=?\s*(.*?))?\s*$")
_VARIABLE = re.compile(r"^@([\w.-]+)\s*=\s?(.*?)\s*$")
_VERSION = re.compile(r"\s+(HTTP/\d(?:\.\d)?)\s*$")
_METHOD = re.compile(r"^([A-Z][A-Z_-]*)\s+(\S.*)$")
_HEADER = re.compile(r"^([^:\s]+)\s*:\s*(.*?)\s*$")
_INCLUDE = re.compile(r"^<(@\w*)?\s+(\S.*?)\s*$")
_HANDLER_FILE = re.compile(r"^>\s+(\S.*?)\s*$")
_RESPONSE_REF = re.compile(r"^<>\s+(\S.*?)\s*$")
_SCRIPT_OPEN = re.compile(r"^([<>])\s*\{%")
# Lines end at LF only (CRLF's CR is stripped): U+2028 in a JSON body is text.
_LINES = re.compile(r"[^\n]*\n|[^\n]+$")

# A header line starting with one of these may be something else (a comment,
# an include, a handler, a blank line); any other goes straight to _HEADER.
_SPECIAL_FIRST = frozenset(" \t#/<>")

# Methods the IDE clients know; any other upper-case token works too.
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "CONNECT")


def split_blocks(text: str) -> list[tuple[int, str]]:
    """(first line number, exact text) of each block; the texts join to ``text``."""
    blocks: list[tuple[int, str]] = []
    start, current = 1, ""
    for number, line in enumerate(_LINES.findall(text), 1):
        if _SEPARATOR.match(line) and current:
            blocks.append((start, current))
            start, current = number, ""
        current += line
    if current or not blocks:
        blocks.append((start, current))
    return blocks


class _Block:
    """Reads one block's lines into a template (see the module docstring)."""

    def __init__(self, path: str, first: int) -> None:
        self.path = path
        self.first = first
        self.state = "pre"
        self.fields: dict[str, object] = {}
        self.comments: list[str] = []
        self.tags: list[tuple[str, str]] = []
        self.tag_lines: list[int] = []
        self.options: list[tuple[str, str]] = []
        self.option_lines: list[int] = []
        self.variables: list[Variable] = []
        self.headers: list[TemplateHeader] = []
        self.url_lines: list[int] = []
        self.body: list[BodyChunk] = []
        self.text: list[str] = []
        self.text_line = 0
        self.handlers: list[Script] = []
        self.pre_scripts: list[Script] = []
        self.refs: list[str] = []
        self.script: tuple[str, int, list[str]] | None = None  # open {% ... %}

    def error(self, line: int, column: int, message: str) -> HttpFileError:
        return HttpFileError(self.path, line, column, message)

    def feed(self, number: int, line: str) -> None:
        if self.script is not None:
            self._script_line(number, line)
        elif self.state == "headers":  # the common states first: loading is per line
            self._headers(number, line)
        elif self.state == "body":
            self._body(number, line)
        else:
            getattr(self, "_" + self.state)(number, line)

    # ------------------------------------------------------------ states
    def _pre(self, number: int, line: str) -> None:
        stripped = line.strip()
        if number == self.first and _SEPARATOR.match(line):
            title = line[3:].strip().lstrip("#").strip()
            self.fields["title"] = title or None
        elif not stripped:
            return
        elif _COMMENT.match(line):
            self._comment(number, line)
        elif (m := _VARIABLE.match(line)) is not None:
            self.variables.append(Variable(m.group(1), m.group(2), number))
        elif _SCRIPT_OPEN.match(stripped):
            self._open_script(number, stripped)
        elif (m := _INCLUDE.match(stripped)) is not None and m.group(1) is None:
            self.pre_scripts.append(Script("file", m.group(2), number))  # < ./before.js
        else:
            self._request_line(number, line)

    def _comment(self, number: int, line: str) -> None:
        name = _NAME.match(line)
        if name is not None:
            self.fields["name"] = name.group(1)
            return
        tag = _TAG.match(line)
        if tag is None:
            self.comments.append(line.strip())
        elif tag.group(1).startswith("reqlab."):
            self.options.append((tag.group(1)[7:], tag.group(2) or ""))
            self.option_lines.append(number)
        else:
            self.tags.append((tag.group(1), tag.group(2) or ""))
            self.tag_lines.append(number)

    def _request_line(self, number: int, line: str) -> None:
        rest = line.rstrip()
        indent = len(line) - len(line.lstrip())
        version = _VERSION.search(rest)
        if version is not None:
            self.fields["version"] = version.group(1)
            rest = rest[: version.start()]
        method = _METHOD.match(rest.strip())
        column = indent + 1
        if method is not None and ("://" not in method.group(1)):
            self.fields["method"] = method.group(1)
            url = method.group(2).strip()
            column = indent + line.lstrip().index(url) + 1
        else:
            url = rest.strip()
            if " " in url.replace("{{", "\0").split("\0")[0]:
                raise self.error(number, indent + 1, f"a request line 'METHOD URL', got {rest!r}")
        if not url or url in METHODS:
            raise self.error(number, len(rest.rstrip()) + 1, "a URL after the method")
        self.fields.update(url=url, line=number, column=column)
        self.state = "url"

    def _url(self, number: int, line: str) -> None:
        if line[:1] in (" ", "\t") and line.strip():
            self.fields["url"] = str(self.fields["url"]) + line.strip()
            self.url_lines.append(number)
            return
        self.state = "headers"
        self._headers(number, line)

    def _headers(self, number: int, line: str) -> None:
        first = line[:1]
        if first not in _SPECIAL_FIRST and (m := _HEADER.match(line)) is not None:
            self.headers.append(TemplateHeader(m.group(1), m.group(2), number, m.start(2) + 1))
        elif not line.strip():
            self.state = "body"
        elif _COMMENT.match(line):
            self._comment(number, line)
        elif (m := _HEADER.match(line)) is not None:
            self.headers.append(TemplateHeader(m.group(1), m.group(2), number, m.start(2) + 1))
        elif _INCLUDE.match(line) or _SCRIPT_OPEN.match(line) or _HANDLER_FILE.match(line):
            self.state = "body"  # REST Client allows a body without the blank line
            self._body(number, line)
        else:
            raise self.error(number, 1, f"a header line 'Name: value', got {line.strip()!r}")

    def _body(self, number: int, line: str) -> None:
        stripped = line.rstrip()
        if line[:1] in "<>" and self._tail(number, stripped):
            return
        include = _INCLUDE.match(stripped) if line[:1] == "<" else None
        if include is not None and not stripped.startswith("<>"):
            self._flush_text(trim=False)
            self.body.append(FileChunk(include.group(2), number, include.group(1) is not None))
            return
        if not self.text:
            if not stripped and not self.body:
                return  # blank lines before the body are not part of it
            self.text_line = number
        self.text.append(line.rstrip("\r\n"))

    def _after(self, number: int, line: str) -> None:
        stripped = line.rstrip()
        if not stripped or _COMMENT.match(line) or self._tail(number, stripped):
            if stripped and _COMMENT.match(line):
                self.comments.append(stripped.strip())
            return
        raise self.error(
            number, 1, "only response handlers ('> ...') and references ('<> ...') after a handler"
        )

    def _tail(self, number: int, stripped: str) -> bool:
        """A response handler or response reference: the body has ended."""
        if (m := _RESPONSE_REF.match(stripped)) is not None:
            self.refs.append(m.group(1))
        elif _SCRIPT_OPEN.match(stripped) and stripped.startswith(">"):
            self._open_script(number, stripped)
        elif (m := _HANDLER_FILE.match(stripped)) is not None:
            self.handlers.append(Script("file", m.group(1), number))
        else:
            return False
        self._flush_text()
        self.state = "after"
        return True

    # ---------------------------------------------------------- scripts
    def _open_script(self, number: int, stripped: str) -> None:
        kind = stripped[0]
        body = stripped[stripped.index("{%") + 2 :]
        self.script = (kind, number, [])
        self._script_line(number, body, opening=True)

    def _script_line(self, number: int, line: str, opening: bool = False) -> None:
        assert self.script is not None
        kind, start, lines = self.script
        end = line.find("%}")
        if end < 0:
            lines.append(line.rstrip("\r\n"))
            return
        lines.append(line[:end])
        text = "\n".join(lines).strip("\n")
        target = self.pre_scripts if kind == "<" else self.handlers
        target.append(Script("inline", text, start))
        self.script = None

    def _flush_text(self, trim: bool = True) -> None:
        """End a text chunk.  Blank lines before a file include are content
        (in a multipart body they end a part's headers); at the end of the
        body they are not."""
        while trim and self.text and not self.text[-1].strip():
            self.text.pop()
        if self.text:
            self.body.append(TextChunk("\n".join(self.text), self.text_line))
        self.text = []

    # ---------------------------------------------------------- result
    def finish(self, raw: str) -> Block:
        if self.script is not None:
            raise self.error(self.script[1], 1, "'{%' script without its closing '%}'")
        self._flush_text()
        request = None
        if "url" in self.fields:
            request = RequestTemplate(
                headers=tuple(self.headers),
                body=tuple(self.body),
                options=tuple(self.options),
                tags=tuple(self.tags),
                tag_lines=tuple(self.tag_lines),
                option_lines=tuple(self.option_lines),
                variables=tuple(self.variables),
                comments=tuple(self.comments),
                handlers=tuple(self.handlers),
                pre_scripts=tuple(self.pre_scripts),
                response_refs=tuple(self.refs),
                url_lines=tuple(self.url_lines),
                **self.fields,  # type: ignore[arg-type]
            )
        return Block(raw, self.first, request, tuple(self.variables))


def parse_block(path: str, first: int, raw: str) -> Block:
    reader = _Block(path, first)
    for offset, line in enumerate(_LINES.findall(raw)):
        reader.feed(first + offset, line.rstrip("\n").removesuffix("\r"))
    return reader.finish(raw)
