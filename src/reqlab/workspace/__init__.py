"""Workspaces: a directory of ``.http`` files with its environments.

Workspace(path)                                 load, index, search, resolve, send
resolve_cli_target(arg, env, vars) -> Request | None   for ``reqlab send file.http#name``
mask(text, secrets) / mask_request(request, secrets)   hide secret values
ensure_gitignore(root)                          keep the private environment out of git
find_root(file) -> Path                         the workspace a .http file belongs to
"""

from __future__ import annotations

from reqlab.formats.httpfile import HttpFileError
from reqlab.formats.httpfile.resolve import Resolved, mask_request
from reqlab.formats.httpfile.variables import mask
from reqlab.workspace._cli import find_root, resolve_cli, resolve_cli_target
from reqlab.workspace._env import ensure_gitignore
from reqlab.workspace._index import Entry
from reqlab.workspace._workspace import Workspace

__all__ = [
    "Entry",
    "HttpFileError",
    "Resolved",
    "Workspace",
    "ensure_gitignore",
    "find_root",
    "mask",
    "mask_request",
    "resolve_cli",
    "resolve_cli_target",
]
