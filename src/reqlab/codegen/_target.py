"""What a code-generation target is, and what it returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from reqlab.model import Request


@dataclass(frozen=True)
class Snippet:
    """Generated code and what the target could not express."""

    code: str
    warnings: tuple[str, ...] = ()
    target: str = ""


@dataclass(frozen=True)
class Target:
    """One language/library target.  ``render`` turns a request into a Snippet.

    ``render(request)`` (and ``render(request, read_file)`` when
    ``reads_files``) returns the snippet.  ``filename`` is what the code
    should be saved as to run it (``main.go``,
    ``Main.java``); ``limitations`` says, for ``reqlab gen --list``, what the
    target cannot express at all.
    """

    id: str
    language: str
    library: str
    render: Callable[..., Snippet] = field(compare=False, repr=False)
    filename: str = "snippet.txt"
    limitations: tuple[str, ...] = ()
    # The format targets take ``read_file`` too: a raw message embeds a body
    # that the request names by path (code targets read files at run time).
    reads_files: bool = False

    def generate(
        self, request: Request, read_file: Callable[[str], bytes] | None = None
    ) -> Snippet:
        """The snippet for ``request``, labelled with this target's id."""
        snippet = self.render(request, read_file) if self.reads_files else self.render(request)
        return Snippet(snippet.code, tuple(snippet.warnings), self.id)
