"""The files and the final block every requests/httpx snippet shares, in
both styles: the ``files=`` list, the ``with`` that opens files, the output."""

from __future__ import annotations

from reqlab.codegen._pysrc import Source, file_source, file_var, indent, s, with_block
from reqlab.model import MultipartBody, MultipartFile


def multipart_list(src: Source, body: MultipartBody, opened: list[tuple[str, str]]) -> str:
    """A ``files=`` list for requests/httpx: text fields as ``(None, value)``
    keep their place among the files (``data=`` would move them first)."""
    taken: set[str] = set()
    items = []
    for part in body.parts:
        if isinstance(part, MultipartFile):
            var = file_var(part, taken)
            opened.append((var, file_source(src, part)))
            spec = f"{s(part.filename)}, {var}"
            if part.content_type:
                spec += f", {s(part.content_type)}"
            items.append(f"    ({s(part.name)}, ({spec})),")
        else:
            items.append(f"    ({s(part.name)}, (None, {s(part.value)})),")
    return "[\n" + "\n".join(items) + "\n]"


def open_files(src: Source, opened: list[tuple[str, str]]) -> list[str]:
    """Context managers for the files opened; inline data is assigned directly."""
    contexts = []
    for var, expr in opened:
        if expr.startswith("open("):
            contexts.append(f"{expr} as {var}")
        else:
            src.add(f"{var} = {expr}")
    return contexts


def finish(src: Source, contexts: list[str], body: list[str], output: list[str]) -> None:
    if contexts:
        src.add(*with_block(contexts), *indent(body), "")
    else:
        src.add(*body, "")
    src.add(*output)
