"""``reqlab import`` and ``reqlab export`` behind the command line: read the
sources (files or a Bruno directory), merge them, write the workspace in one
move; read a workspace back and write it in an export format."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from reqlab.errors import FormatError
from reqlab.formats.collections import (
    detect_collection,
    read_collection_text,
    write_collection_text,
)
from reqlab.formats.httpfile import Collection, HttpFileError
from reqlab.formats.httpfile.convert import template_from_request
from reqlab.formats.httpfile.resolve import mask_request
from reqlab.workspace._collection import read_collection, write_collection
from reqlab.workspace._workspace import Workspace


@dataclass
class ImportResult:
    path: Path
    requests: int
    environments: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _text(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError("import", str(path), f"UTF-8 text (byte {exc.start} is not)") from None


def read_source(path: Path, fmt: str | None = None) -> Collection:
    """One source as a collection (a directory is a Bruno collection)."""
    if path.is_dir():
        from reqlab.formats.bruno import read_bruno

        found = [
            p
            for p in sorted(path.rglob("*"))
            if p.suffix in (".bru", ".json") and "node_modules" not in p.parts and p.is_file()
        ]
        if not any(p.suffix == ".bru" for p in found):
            raise FormatError("import", str(path), "a Bruno collection (a directory of .bru files)")
        return read_bruno({p.relative_to(path).as_posix(): _text(p) for p in found}, path.name)
    text = _text(path)
    chosen = fmt or detect_collection(text, path.name)
    return read_collection_text(text, chosen, path.stem)


def merge(collections: list[Collection]) -> Collection:
    main = next((c for c in collections if c.items), collections[0])
    out = Collection(main.name)
    for c in collections:
        out.items += c.items
        out.variables += [kv for kv in c.variables if kv[0] not in dict(out.variables)]
        for name, values in c.environments.items():
            out.environments.setdefault(name, {}).update(values)
        for name, values in c.secrets.items():
            out.secrets.setdefault(name, {}).update(values)
        out.warnings += c.warnings
    return out


def import_sources(paths: list[Path], into: Path, fmt: str | None = None) -> ImportResult:
    collection = merge([read_source(p, fmt) for p in paths])
    target = write_collection(collection, into)
    envs = sorted({*collection.environments, *collection.secrets})
    return ImportResult(target, len(collection.items), envs, collection.warnings)


def _resolved(workspace: Workspace, collection: Collection, env: str) -> Collection:
    """Each request with its variables resolved in ``env``; secret values
    go back to ``{{name}}``.  A request that cannot be resolved stays as written."""
    items = []
    for entry, (folder, template) in zip(workspace.entries, collection.items, strict=True):
        try:
            resolved = workspace.resolve_full(entry.ref, env)
        except HttpFileError as exc:
            collection.warnings.append(f"{exc} (kept as written)")
            items.append((folder, template))
            continue
        request = mask_request(resolved.request, resolved.secrets, "names")
        again = template_from_request(request, template.label)
        # reqlab's own lines (an @reqlab.auth) stay as written: their secrets
        # are {{names}} already, and the auth is applied at send time
        items.append((folder, replace(again, options=template.options)))
    collection.items = items
    return collection


def export_workspace(
    directory: str | Path, fmt: str, env: str | None = None
) -> tuple[str, list[str]]:
    workspace = Workspace(directory)
    collection = read_collection(workspace)
    if env is not None:
        collection = _resolved(workspace, collection, env)
    return write_collection_text(collection, fmt), collection.warnings
