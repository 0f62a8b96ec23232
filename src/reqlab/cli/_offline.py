"""``--offline``: the request as it would be sent, as an HTTP/1.1 message.

The head and body come from :func:`reqlab.body.prepare`, the same function
the client uses to write a request, so what is printed is what would go
on the wire (an ``HTTP/2`` request is shown in its HTTP/1.1 form, as HTTPie
shows every request).
"""

from __future__ import annotations

from reqlab.body import ReadFile, prepare
from reqlab.model import Request


def offline_bytes(request: Request, read_file: ReadFile) -> tuple[bytes, bytes]:
    """(head ending in CRLF, body) of ``request``."""
    prepared = prepare(request, read_file=read_file)
    version = "HTTP/1.0" if request.version == "HTTP/1.0" else "HTTP/1.1"
    lines = [f"{request.method} {request.target} {version}"]
    lines += [f"{name}: {value}" for name, value in prepared.headers]
    return ("\r\n".join(lines) + "\r\n").encode(), prepared.body
