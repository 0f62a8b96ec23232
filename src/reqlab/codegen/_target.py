"""What a code-generation target is, and what it returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from reqlab.model import BasicAuth, BearerAuth, Request

# "idiomatic": what a developer of the language writes - the library's JSON,
# params and status helpers - sending the same request by meaning.  "exact":
# the request byte for byte (JSON spacing, header order, the raw query).
Style = Literal["idiomatic", "exact"]
STYLES: tuple[Style, ...] = ("idiomatic", "exact")
DEFAULT_STYLE: Style = "idiomatic"


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
    ``reads_files``) returns the exact snippet; ``idiomatic`` (same
    signature) the idiomatic one, when the target has a separate one - a
    target without it writes the same code in both styles.
    ``idiomatic_changes`` says what the idiomatic code changes on the wire
    (JSON spacing, header case) while sending the same request by meaning.  ``filename`` is what the code
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
    idiomatic: Callable[..., Snippet] | None = field(default=None, compare=False, repr=False)
    idiomatic_changes: tuple[str, ...] = ()

    def generate(
        self,
        request: Request,
        read_file: Callable[[str], bytes] | None = None,
        style: Style = DEFAULT_STYLE,
    ) -> Snippet:
        """The snippet for ``request`` in ``style``, labelled with this target's id."""
        if style not in STYLES:
            raise ValueError(f"style: {style!r} is not one of {', '.join(STYLES)}")
        render = self.idiomatic if style == "idiomatic" and self.idiomatic else self.render

        def render_one(req: Request) -> Snippet:
            return render(req, read_file) if self.reads_files else render(req)

        if request.auth is None or isinstance(request.auth, BasicAuth | BearerAuth):
            snippet = render_one(request)
        else:  # digest and the reqlab.auth flows: their writers load only for them
            from reqlab.codegen._authlang import with_auth

            snippet = Snippet(*with_auth(self.id, request, render_one))
        return Snippet(snippet.code, tuple(snippet.warnings), self.id)
