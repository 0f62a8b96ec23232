"""Loading a workspace directory's ``.http`` files and indexing their requests.

Each request gets a reference ``relative/path.http#name``: its ``@name``,
else its ``###`` title, else its position (``#3``); a name used twice in a
file falls back to the position, as the IDE clients do.  A file that cannot
be read is kept in ``errors`` (path, line, column) and the others load.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from reqlab.formats.httpfile import HttpFile, HttpFileError, RequestTemplate, parse
from reqlab.formats.httpfile.authspec import FOLDER_FILE

EXTENSIONS = (".http", ".rest")
_SKIP_DIRS = {".git", "node_modules", ".venv", "__pycache__", ".hg", ".svn"}


@dataclass
class Entry:
    """One request of the workspace."""

    ref: str  # "folder/file.http#name"
    path: str  # "folder/file.http", relative to the root, with "/"
    index: int  # its position among the file's requests, from 0
    template: RequestTemplate
    variables: dict[str, str] = field(default_factory=dict)  # file vars it sees
    haystack: str = ""  # what search looks in, lower case

    @property
    def name(self) -> str:
        return self.ref.rpartition("#")[2]


def find_files(root: Path) -> list[str]:
    """Relative paths of every .http/.rest file under ``root``, sorted."""
    found: list[str] = []
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        rel = os.path.relpath(directory, root)
        for name in files:
            if name.endswith(EXTENSIONS) and name != FOLDER_FILE:  # folder defaults
                found.append(name if rel == "." else f"{rel}/{name}".replace(os.sep, "/"))
    return sorted(found)


def load_file(root: Path, rel: str) -> HttpFile:
    try:
        text = (root / rel).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise HttpFileError(rel, 1, 1, f"not UTF-8 text (byte {exc.start})") from None
    return parse(text, rel)


def file_variables(file: HttpFile) -> list[dict[str, str]]:
    """For each request of ``file``, the ``@var`` values it sees: those
    declared above it and in its own block win over ones declared below."""
    everything = {v.name: v.value for v in file.variables}
    out: list[dict[str, str]] = []
    seen: dict[str, str] = {}
    for block in file.blocks:
        for v in block.variables:
            seen[v.name] = v.value
        if block.request is not None:
            out.append({**everything, **seen})
    return out


def entries_of(file: HttpFile) -> list[Entry]:
    templates = file.requests
    labels = [t.label for t in templates]
    variables = file_variables(file)
    entries = []
    for i, template in enumerate(templates):
        label = labels[i]
        name = label if label and labels.count(label) == 1 and "#" not in label else str(i + 1)
        ref = f"{file.path}#{name}"
        hay = f"{template.method} {template.url} {label or ''} {ref}".lower()
        entries.append(Entry(ref, file.path, i, template, variables[i], hay))
    return entries


def search(entries: list[Entry], text: str) -> list[Entry]:
    """Entries whose method, URL, name or path hold every word of ``text``."""
    words = text.lower().split()
    return [e for e in entries if all(w in e.haystack for w in words)]
