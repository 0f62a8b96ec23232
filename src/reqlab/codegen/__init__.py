"""Code generation: a request becomes code for a language and library.

Each language family lives in its own module and exposes ``TARGETS``, a
list of :class:`Target`; this package only collects them.  Codegen depends
on the model (and the pure formats) only.

    >>> from reqlab.codegen import generate
    >>> generate(request, "python-requests").code
"""

from __future__ import annotations

import importlib
from functools import cache

from reqlab.codegen._target import Snippet, Target
from reqlab.model import Request

# One module per language family, in the order `reqlab gen --list` shows them.
_FAMILIES = (
    "formats",
    "python",
    "javascript",
    "node",
    "shell",
    "php",
    "jvm",
    "csharp",
    "go",
    "ruby",
    "rust",
    "swift",
)


@cache
def _registry() -> dict[str, Target]:
    registry: dict[str, Target] = {}
    for family in _FAMILIES:
        try:
            module = importlib.import_module(f"reqlab.codegen.{family}")
        except ModuleNotFoundError as exc:
            if exc.name == f"reqlab.codegen.{family}":
                continue  # family not written yet
            raise
        for target in module.TARGETS:
            registry[target.id] = target
    return registry


def targets() -> list[Target]:
    """Every target, in display order."""
    return list(_registry().values())


def get_target(target_id: str) -> Target:
    try:
        return _registry()[target_id]
    except KeyError:
        known = ", ".join(_registry())
        raise KeyError(f"unknown target {target_id!r}; known targets: {known}") from None


def generate(request: Request, target: str) -> Snippet:
    """Generate code that sends ``request`` with ``target`` (an id from :func:`targets`)."""
    chosen = get_target(target)
    snippet = chosen.render(request)
    return Snippet(snippet.code, tuple(snippet.warnings), chosen.id)


__all__ = ["Snippet", "Target", "generate", "get_target", "targets"]
