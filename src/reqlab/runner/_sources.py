"""Where runnable files come from: a registry of readers by file suffix.

A reader turns a file's text into the entries the runner runs
(:class:`reqlab.formats.hurl.ast.HurlFile`).  ``.hurl`` is registered here;
another format (the workspace's ``.http`` files) registers its reader with
:func:`register` and runs unchanged.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from reqlab.formats.hurl import ast, parse

Reader = Callable[[str, str], ast.HurlFile]  # (text, filename) -> entries

READERS: dict[str, Reader] = {".hurl": parse}


def register(suffix: str, reader: Reader) -> None:
    READERS[suffix] = reader


class SourceError(Exception):
    """A path that names no runnable file."""


def expand(paths: Iterable[str]) -> list[str]:
    """Files, directories (searched recursively) and globs, in a stable order."""
    out: list[str] = []
    for raw in paths:
        if os.path.isdir(raw):
            found = sorted(
                str(p) for suffix in READERS for p in Path(raw).rglob(f"*{suffix}") if p.is_file()
            )
        elif any(c in raw for c in "*?["):
            found = sorted(glob.glob(raw, recursive=True))
        else:
            found = [raw] if os.path.isfile(raw) else []
        if not found:
            raise SourceError(f"{raw}: no such file, or no {'/'.join(READERS)} file there")
        out.extend(p for p in found if p not in out)
    return out


def load(path: str) -> ast.HurlFile:
    """Read and parse one file (HurlSyntaxError names file:line:col)."""
    reader = READERS.get(Path(path).suffix)
    if reader is None:
        raise SourceError(f"{path}: reqlab run reads {', '.join(READERS)} files")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise SourceError(f"{path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise SourceError(f"{path}: not UTF-8 text") from None
    return reader(text, path)
