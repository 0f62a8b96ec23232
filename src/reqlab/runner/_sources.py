"""Where runnable files come from: a registry of readers by file suffix.

A reader turns a file's text into the entries the runner runs
(:class:`reqlab.formats.hurl.ast.HurlFile`).  ``.hurl`` and the workspace's
``.http``/``.rest`` (:mod:`reqlab.runner._httpfiles`) are registered here;
another format registers its reader with :func:`register` and runs
unchanged (a reader whose file is :class:`reqlab.runner._execute.Bindable`
also brings its own variable rules).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from reqlab.formats.hurl import ast, parse

Reader = Callable[[str, str], ast.HurlFile]  # (text, filename) -> entries


def _http(text: str, filename: str) -> ast.HurlFile:
    from reqlab.runner._httpfiles import read  # the workspace loads only when a run needs it

    return read(text, filename)


READERS: dict[str, Reader] = {".hurl": parse, ".http": _http, ".rest": _http}


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
            import glob  # only for a pattern

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
