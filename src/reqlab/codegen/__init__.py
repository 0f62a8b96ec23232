"""Code generation: a request becomes code for a language and library.

Each language family lives in its own module and exposes ``TARGETS``, a
list of :class:`Target`; this package only collects them.  Codegen depends
on the model (and the pure formats) only.

    >>> from reqlab.codegen import generate
    >>> generate(request, "python-requests").code
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache

from reqlab.codegen._target import DEFAULT_STYLE, STYLES, Snippet, Style, Target
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


# Which family a target id belongs to, from its prefix, so that generating
# one target imports one family module rather than all twelve (start-up).
_PREFIXES = {
    "python-": "python",
    "javascript-": "javascript",
    "node-": "node",
    "shell-": "shell",
    "powershell-": "shell",
    "php-": "php",
    "java-": "jvm",
    "kotlin-": "jvm",
    "csharp-": "csharp",
    "go-": "go",
    "ruby-": "ruby",
    "rust-": "rust",
    "swift-": "swift",
}
_FORMATS = ("har", "http", "curl")


def _quick_lookup(target_id: str) -> Target | None:
    family = "formats" if target_id in _FORMATS else None
    for prefix, name in _PREFIXES.items():
        if target_id.startswith(prefix):
            family = name
    if family is None:
        return None
    try:
        module = importlib.import_module(f"reqlab.codegen.{family}")
    except ModuleNotFoundError as exc:
        if exc.name == f"reqlab.codegen.{family}":
            return None
        raise
    return next((t for t in module.TARGETS if t.id == target_id), None)


def get_target(target_id: str) -> Target:
    quick = _quick_lookup(target_id)
    if quick is not None:
        return quick
    try:
        return _registry()[target_id]
    except KeyError:
        known = ", ".join(_registry())
        raise KeyError(f"unknown target {target_id!r}; known targets: {known}") from None


def generate(
    request: Request,
    target: str,
    *,
    read_file: Callable[[str], bytes] | None = None,
    style: Style = DEFAULT_STYLE,
) -> Snippet:
    """Generate code that sends ``request`` with ``target`` (an id from :func:`targets`).

    ``style="idiomatic"`` (the default) writes what a developer of that
    language writes, sending the same request by meaning; ``style="exact"``
    sends it byte for byte (see each target's ``idiomatic_changes``).

    Generation does no I/O.  ``read_file`` (path -> bytes) lets the format
    targets embed a body the request names by path, as ``reqlab gen`` does;
    without it the raw ``http`` message cannot hold such a body and raises
    :class:`~reqlab.errors.FormatError`.  Code targets read files when the
    snippet runs, and ignore it."""
    return get_target(target).generate(request, read_file, style)


__all__ = [
    "DEFAULT_STYLE",
    "STYLES",
    "Snippet",
    "Style",
    "Target",
    "generate",
    "get_target",
    "targets",
]
