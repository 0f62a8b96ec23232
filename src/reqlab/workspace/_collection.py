"""A collection on disk: writing an imported one as a workspace, reading a
workspace back as a collection for export.

Layout: a folder path ``("Users", "Admin")`` becomes ``Users/Admin.http``
(every request of that folder, in order); requests outside any folder go in
``requests.http``.  Collection variables become ``$shared`` in
``http-client.env.json``, environments its named entries, secret values the
private file, which the generated ``.gitignore`` keeps out of git.

An import is written to a temporary directory beside the target and renamed
into place, so a failure never leaves half a workspace.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from reqlab.formats.httpfile import Collection, HttpFileError, RequestTemplate, render_file
from reqlab.formats.httpfile.envfiles import SHARED, Environments, write_env_json
from reqlab.model import is_token
from reqlab.workspace._env import PRIVATE, PUBLIC, ensure_gitignore
from reqlab.workspace._workspace import Workspace

ROOT_FILE = "requests.http"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_name(name: str) -> str:
    """A folder or collection name as one path segment."""
    cleaned = _UNSAFE.sub("-", name).strip(" .") or "untitled"
    return cleaned[:100]


def file_of(folder: tuple[str, ...]) -> str:
    if not folder:
        return ROOT_FILE
    return "/".join(safe_name(part) for part in folder) + ".http"


def _environments(collection: Collection) -> tuple[Environments, Environments]:
    public: Environments = {name: dict(values) for name, values in collection.environments.items()}
    if collection.variables:
        public.setdefault(SHARED, {}).update(collection.variables)
    private = {name: dict(v) for name, v in collection.secrets.items() if v}
    return public, private


def _sendable(template: RequestTemplate, warnings: list[str]) -> RequestTemplate:
    """Drop headers no HTTP request can carry (Bruno allows "key with
    spaces"); a ``.http`` file could not say them either."""
    kept = tuple(h for h in template.headers if is_token(h.name) or "{{" in h.name)
    for h in template.headers:
        if h not in kept:
            warnings.append(f"{template.label}: header {h.name!r} is not a valid name: dropped")
    return template.replace(headers=kept) if len(kept) != len(template.headers) else template


def render_collection(collection: Collection) -> dict[str, str]:
    """Relative path -> text of every file the workspace holds."""
    grouped: dict[str, list[RequestTemplate]] = {}
    for folder, template in collection.items:
        template = _sendable(template, collection.warnings)
        grouped.setdefault(file_of(folder), []).append(template)
    files = {path: render_file(path, templates) for path, templates in grouped.items()}
    public, private = _environments(collection)
    if public:
        files[PUBLIC] = write_env_json(public)
    if private:
        files[PRIVATE] = write_env_json(private)
    return files


def write_collection(collection: Collection, into: Path) -> Path:
    """Write ``collection`` as a workspace at ``into`` (which must not exist
    or be empty), or in a new ``into/<collection name>`` when ``into`` holds
    files already.  Returns the workspace directory."""
    target = into
    if into.is_dir() and any(into.iterdir()):
        target = into / safe_name(collection.name)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise HttpFileError(
            str(target), 1, 1, "already exists and is not empty; choose another --into"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.import-", dir=target.parent))
    try:
        for rel, text in render_collection(collection).items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
        ensure_gitignore(staging)
        if target.exists():
            target.rmdir()  # empty, checked above
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def read_collection(workspace: Workspace) -> Collection:
    """The workspace as a collection: folders from file paths, ``$shared``
    and file ``@variables`` as collection variables, its environments."""
    collection = Collection(workspace.root.name)
    for entry in workspace.entries:
        folder = () if entry.path == ROOT_FILE else tuple(entry.path.rsplit(".", 1)[0].split("/"))
        collection.items.append((folder, entry.template))
    envs = workspace.environments
    variables = dict(envs.public.get(SHARED, {}))
    for file in workspace.files.values():
        for v in file.variables:
            variables.setdefault(v.name, v.value)
    collection.variables = list(variables.items())
    collection.environments = {k: v for k, v in envs.public.items() if k != SHARED}
    collection.secrets = dict(envs.private)
    collection.warnings += [str(e) for e in workspace.errors]
    return collection
