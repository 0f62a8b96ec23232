"""What a code-generation target is, and what it returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from reqlab.codegen import _authlang
from reqlab.codegen._authcode import left_out, with_api_key, with_digest_link
from reqlab.model import BasicAuth, BearerAuth, DigestAuth, Request

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
        # An API key is a header or a query parameter: every target sends it so.
        request = with_api_key(request)

        def render_one(req: Request) -> Snippet:
            return render(req, read_file) if self.reads_files else render(req)

        written = _authlang.write(self.id, request, render_one)
        snippet = Snippet(*written) if written else render_one(request)
        warnings = with_digest_link(tuple(snippet.warnings), self.id)
        missing = _auth_left_out(request, self.id)
        if missing:
            # The curl writer's own "X is not written" gives way to the warning with the link.
            kind = missing.split()[0]
            warnings = tuple(w for w in warnings if not w.startswith(f"{kind} is not written"))
            if not any(kind in w for w in warnings):
                warnings += (missing,)
        return Snippet(snippet.code, warnings, self.id)


def _auth_left_out(request: Request, target: str) -> str | None:
    """The warning for an auth flow (SigV4, OAuth 2.0) the snippet does not
    write: the code would otherwise send the request without it, silently.
    Which target writes which: :data:`reqlab.codegen._authlang.WRITES`."""
    auth = request.auth
    if auth is None or isinstance(auth, BasicAuth | BearerAuth | DigestAuth):
        return None
    if _authlang.writes(target, request):
        return None
    return left_out(request, target)
