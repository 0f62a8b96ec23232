"""``reqlab send path/file.http[#name] --env NAME --var k=v``: the one
function the ``send`` command calls to turn its target into a request."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from reqlab.formats.httpfile import HttpFileError
from reqlab.formats.httpfile.resolve import Resolved
from reqlab.model import Request
from reqlab.workspace._env import PRIVATE, PUBLIC
from reqlab.workspace._index import EXTENSIONS
from reqlab.workspace._workspace import Workspace


def find_root(file: Path) -> Path:
    """The nearest directory above ``file`` holding an environment file
    (the workspace it belongs to); its own directory when there is none."""
    for directory in file.parents:
        if (directory / PUBLIC).is_file() or (directory / PRIVATE).is_file():
            return directory
    return file.parent


def _target(arg: str) -> tuple[Path, str | None] | None:
    if "://" in arg:
        return None
    path, hash_, name = arg.partition("#")
    if not path.endswith(EXTENSIONS):
        return None
    file = Path(path)
    if not file.is_file():
        # "example.com/api.http" is a URL; "api.http" or "dir/api.http" a missing file
        if not file.parent.is_dir():
            return None
        raise HttpFileError(path, 1, 1, "no such file")
    return file.resolve(), (name if hash_ else None)


def resolve_cli(
    arg: str, env: str | None = None, vars: Mapping[str, str] | None = None
) -> Resolved | None:
    """Like :func:`resolve_cli_target`, with the secrets (value -> variable
    name, for :func:`reqlab.workspace.mask`) and warnings (scripts not run)."""
    target = _target(arg)
    if target is None:
        return None
    file, name = target
    root = find_root(file)
    rel = file.relative_to(root).as_posix()
    workspace = Workspace(root, files=[rel])
    if workspace.errors:  # the file itself, or an environment file it depends on
        raise workspace.errors[0]
    ref = rel if name is None else f"{rel}#{name}"
    return workspace.resolve_full(ref, env, dict(vars or {}))


def resolve_cli_target(
    arg: str, env: str | None = None, vars: Mapping[str, str] | None = None
) -> Request | None:
    """The :class:`reqlab.model.Request` that ``arg`` names, or None when
    ``arg`` is not a ``.http``/``.rest`` file reference (then it is a URL).

    ``arg`` is ``path/file.http`` (a file with one request), ``path/file.http#name``
    or ``path/file.http#3``.  The workspace is the nearest directory above the
    file that holds ``http-client.env.json`` or its private twin.  Raises
    :class:`HttpFileError` (a FormatError: exit status 2) naming
    file:line:column for a malformed file, an unknown request, environment
    or variable.
    """
    resolved = resolve_cli(arg, env, vars)
    return None if resolved is None else resolved.request
