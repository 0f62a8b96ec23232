"""Where scripts/setup.d/30-codegen-web-scripting.sh installs the npm packages
the JavaScript snippets import (axios) or the browser runner loads (jQuery)."""

from __future__ import annotations

import os
from pathlib import Path

from fidelity.harness import Unavailable


def npm_dir() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "reqlab" / "npm"


def npm_file(*parts: str) -> Path:
    """A file of an installed npm package; :class:`Unavailable` if it is missing."""
    path = npm_dir().joinpath("node_modules", *parts)
    if not path.exists():
        raise Unavailable(f"{path} missing (scripts/setup installs the npm packages)")
    return path
