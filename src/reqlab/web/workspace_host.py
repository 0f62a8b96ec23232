"""The workspace a workbench serves: the directory, kept in step with the disk.

The files on disk are the truth.  Every call checks the files' (mtime, size)
and reloads the :class:`reqlab.Workspace` when any changed, carrying over the
responses kept for chaining and the secrets seen so far (so they stay masked).

A save is optimistic: the page sends the version (a SHA-256 of the file's
bytes) it opened; if the file changed on disk since, the save is refused
(:class:`Conflict`, a 409) and nothing is written.  A save that goes ahead
writes a temporary file beside the target and renames it over it, so the
file is always either the old text or the new one, never half of each.

Paths come from the page, so each is checked: relative, no ``..``, a
``.http``/``.rest`` file, and - symlinks followed - inside the workspace.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path

from reqlab.formats.httpfile import HttpFile, HttpFileError, RequestTemplate, parse
from reqlab.formats.httpfile import with_request as replace_request
from reqlab.workspace import Entry, Workspace
from reqlab.workspace._env import PRIVATE, PUBLIC
from reqlab.workspace._index import EXTENSIONS, find_files

Stamp = tuple[tuple[str, int, int], ...]


class BadPath(ValueError):
    """A path the page sent that names nothing inside the workspace (400)."""


class WriteFailed(Exception):
    """The file could not be written; the old text is still there (500)."""


class Conflict(Exception):
    """The file changed on disk since the page opened it (409)."""


def version_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def holds_workspace(directory: Path) -> bool:
    """An environment file, or a ``.http``/``.rest`` file at the top."""
    if (directory / PUBLIC).is_file() or (directory / PRIVATE).is_file():
        return True
    try:
        return any(p.suffix in EXTENSIONS and p.is_file() for p in directory.iterdir())
    except OSError:
        return False


def default_workspace(cwd: Path | None = None) -> Path:
    """The current directory if it holds a workspace, else the per-user one
    in ``$XDG_DATA_HOME/reqlab/workspace`` (created, with its .gitignore)."""
    here = cwd or Path.cwd()
    if holds_workspace(here):
        return here
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
    path = Path(base) / "reqlab" / "workspace"
    path.mkdir(parents=True, exist_ok=True)
    return path


class WorkspaceHost:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()
        self._lock = threading.Lock()  # one reload or save at a time
        self._stamp: Stamp = ()
        self._ws: Workspace | None = None
        self.tree_json: tuple[Workspace, bytes] | None = None  # the sidebar's answer, cached

    # ----------------------------------------------------------- loading
    def _stamp_now(self) -> Stamp:
        out = []
        for rel in [*find_files(self.root), PUBLIC, PRIVATE]:
            try:
                st = (self.root / rel).stat()
            except OSError:
                continue
            out.append((rel, st.st_mtime_ns, st.st_size))
        return tuple(out)

    def current(self) -> Workspace:
        """The workspace as the disk holds it now."""
        with self._lock:
            stamp = self._stamp_now()
            if self._ws is None or stamp != self._stamp:
                fresh = Workspace(self.root)
                if self._ws is not None:  # chaining responses and masks survive a reload
                    fresh.responses.update(self._ws.responses)
                    fresh.secrets.update(self._ws.secrets)
                self._ws, self._stamp = fresh, stamp
            return self._ws

    @property
    def secrets(self) -> dict[str, str]:
        """Every secret value resolved so far (value -> name), to mask."""
        return self._ws.secrets if self._ws is not None else {}

    # ------------------------------------------------------------ paths
    def safe_path(self, rel: str) -> Path:
        """``rel`` as a file inside the workspace, or BadPath."""
        if not rel or "\\" in rel or "\0" in rel or rel.startswith("/") or Path(rel).is_absolute():
            raise BadPath(f"path {rel!r}: give a path relative to the workspace")
        if any(part in ("..", ".", "") for part in rel.split("/")):
            raise BadPath(f"path {rel!r}: '..' and empty segments are not allowed")
        if not rel.endswith(EXTENSIONS):
            raise BadPath(f"path {rel!r}: only .http and .rest files are served")
        full = (self.root / rel).resolve()
        if not full.is_relative_to(self.root):
            raise BadPath(f"path {rel!r}: leads outside the workspace (a symlink?)")
        return full

    def safe_ref(self, ref: str) -> str:
        """``path#name`` with its path checked."""
        self.safe_path(ref.partition("#")[0])
        return ref

    def inside(self, path: str) -> bool:
        """Whether an absolute path (a body's ``< ./file``) is in the workspace."""
        return Path(path).resolve().is_relative_to(self.root)

    def version(self, rel: str) -> str | None:
        try:
            return version_of(self.safe_path(rel).read_bytes())
        except FileNotFoundError:
            return None

    # ----------------------------------------------------------- saving
    def save(self, entry: Entry, expected: str, template: RequestTemplate) -> tuple[str, str]:
        """Write ``template`` over ``entry``'s block if the file is still at
        version ``expected``; the new version and the request's ref."""
        path = self.safe_path(entry.path)
        with self._lock:
            data = path.read_bytes()
            if version_of(data) != expected:
                raise Conflict(
                    f"{entry.path} changed on disk since you opened it; reload it "
                    "(your edit is still in the page) and save again"
                )
            file = parse(data.decode("utf-8"), entry.path)
            updated = _edited(file, entry.index, template)
            text = ("\ufeff" if updated.bom else "") + updated.text()
            new = text.encode("utf-8")
            try:
                _atomic_write(path, new)
            except OSError as exc:
                raise WriteFailed(f"cannot write {entry.path}: {exc.strerror or exc}") from None
            self._stamp = ()  # reload on the next call, keeping responses and secrets
            label = updated.requests[entry.index].label
            name = label if label and "#" not in label else str(entry.index + 1)
            return version_of(new), f"{entry.path}#{name}"


def _edited(file: HttpFile, index: int, template: RequestTemplate) -> HttpFile:
    """``file`` with its ``index``-th request replaced; refused (HttpFileError)
    if the new text would not read back as one request in its place."""
    if index >= len(file.requests):
        raise HttpFileError(file.path, 1, 1, "the request is no longer in the file; reload it")
    updated = replace_request(file, index, template)
    again = parse(updated.text(), file.path)
    if len(again.requests) != len(file.requests):
        raise HttpFileError(
            file.path,
            template.line or 1,
            1,
            "the edit would split the request in two (a line starting with ###?)",
        )
    return again


def _atomic_write(path: Path, data: bytes) -> None:
    """A temporary file beside ``path``, flushed to disk, renamed over it."""
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    # The rename itself reaches the disk only with its directory.
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
