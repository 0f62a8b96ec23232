"""The request formats as code-generation targets: ``har``, ``http``, ``curl``.

They are written by :mod:`reqlab.formats` (the same writers ``reqlab gen``
uses), so the Python API ``generate(request, "curl")`` and the command line
agree.  Code generation does no I/O: a body the request names by path is
referenced (HAR, curl ``@file``); the raw ``http`` message must embed the
bytes, so for such a request it is written by ``reqlab gen http`` (which
reads the file), and here raises :class:`~reqlab.errors.FormatError`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from reqlab.codegen._shared import ascii_url
from reqlab.codegen._target import Snippet, Target
from reqlab.model import Request


def _writer(fmt: str) -> Callable[[Request], Snippet]:
    def render(request: Request) -> Snippet:
        from reqlab.formats import write_with_warnings

        # Non-ASCII in the URL is percent-encoded: a request-target is ASCII.
        written = write_with_warnings(replace(request, url=ascii_url(request.url)), fmt)
        return Snippet(written.text, tuple(written.warnings))

    render.__name__ = f"render_{fmt}"
    return render


TARGETS = [
    Target(
        "har",
        "HAR",
        "HAR 1.2 log",
        _writer("har"),
        "request.har",
        ("a body file is referenced, not embedded",),
    ),
    Target(
        "http",
        "HTTP",
        "raw HTTP/1.x message",
        _writer("http"),
        "request.http",
        (
            "HTTP/2 has no text form (written in HTTP/1.1 syntax)",
            "file bodies need reqlab gen http",
        ),
    ),
    Target("curl", "Shell", "curl command line", _writer("curl"), "request.sh"),
]
