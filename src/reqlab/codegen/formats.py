"""The request formats as code-generation targets: ``har``, ``http``, ``curl``.

They are written by :mod:`reqlab.formats` (the same writers ``reqlab gen``
uses), so the Python API ``generate(request, "curl")`` and the command line
agree.  Code generation does no I/O of its own: a body the request names by
path is referenced (HAR, curl ``@file``); the raw ``http`` message must
embed the bytes, so it needs the ``read_file`` that ``reqlab gen`` passes
(without one it raises :class:`~reqlab.errors.FormatError`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from reqlab.codegen._shared import ascii_url
from reqlab.codegen._target import Snippet, Target
from reqlab.model import Request


def _writer(fmt: str) -> Callable[..., Snippet]:
    def render(request: Request, read_file: Callable[[str], bytes] | None = None) -> Snippet:
        from reqlab.formats import write_with_warnings

        # Non-ASCII in the URL is percent-encoded: a request-target is ASCII.
        request = replace(request, url=ascii_url(request.url))
        written = write_with_warnings(request, fmt, read_file=read_file)
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
        reads_files=True,
    ),
    Target(
        "http",
        "HTTP",
        "raw HTTP/1.x message",
        _writer("http"),
        "request.http",
        (
            "HTTP/2 has no text form (written in HTTP/1.1 syntax)",
            "a body read from a file needs read_file (reqlab gen http reads it)",
        ),
        reads_files=True,
    ),
    Target("curl", "Shell", "curl command line", _writer("curl"), "request.sh", reads_files=True),
]
