"""The ``.http`` request-file format (JetBrains HTTP Client, VS Code REST Client).

    parse(text, path)            -> HttpFile (blocks with their exact text, request templates)
    write_file(file)             -> str, identical to the text that was read
    render_request(template)     -> canonical text of one request block
    render_file(path, templates) -> a new file's text
    with_request(file, i, t)     -> the file with its i-th request replaced, the rest untouched

Pure: nothing here reads a file or the environment.  Resolving a template's
``{{variables}}`` into a :class:`reqlab.model.Request` is in
:mod:`reqlab.formats.httpfile.variables`.
"""

from __future__ import annotations

from reqlab.formats.httpfile._model import (
    Block,
    BodyChunk,
    Collection,
    FileChunk,
    HttpFile,
    HttpFileError,
    RequestTemplate,
    Script,
    TemplateHeader,
    TextChunk,
    Variable,
)
from reqlab.formats.httpfile._parse import parse_block, split_blocks
from reqlab.formats.httpfile._write import (
    render_file,
    render_request,
    render_variables,
    with_request,
    write_file,
)


def parse(text: str, path: str = "<text>") -> HttpFile:
    """Read a whole ``.http`` file; HttpFileError names path, line and column."""
    if text.startswith("\ufeff"):
        text = text[1:]  # a BOM; written back by whoever keeps the bytes
    newline = "\r\n" if "\r\n" in text else "\n"
    blocks = tuple(parse_block(path, first, raw) for first, raw in split_blocks(text))
    return HttpFile(path, blocks, newline)


__all__ = [
    "Block",
    "BodyChunk",
    "Collection",
    "FileChunk",
    "HttpFile",
    "HttpFileError",
    "RequestTemplate",
    "Script",
    "TemplateHeader",
    "TextChunk",
    "Variable",
    "parse",
    "parse_block",
    "render_file",
    "render_request",
    "render_variables",
    "split_blocks",
    "with_request",
    "write_file",
]
