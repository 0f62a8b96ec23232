"""A tiny built-in handler: a JSON reflection of the request.

Used when ``reqlab.echo.endpoints`` is not installed, and by the connection
layer's own tests, which must not depend on the endpoints' JSON shape.
"""

from __future__ import annotations

import base64
import json
from dataclasses import asdict

from reqlab.echo._types import EchoRequest, EchoResponse


def reflect(request: EchoRequest) -> dict[str, object]:
    try:
        body, encoding = request.body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        body, encoding = base64.b64encode(request.body).decode("ascii"), "base64"
    return {
        "method": request.method,
        "target": request.target,
        "http_version": request.http_version,
        "headers": [list(h) for h in request.headers],
        "pseudo_headers": [list(h) for h in request.pseudo_headers],
        "body": body,
        "body_encoding": encoding,
        "raw_head": request.raw_head.decode("latin-1") if request.raw_head is not None else None,
        "connection": asdict(request.connection),
        "keep_alive": asdict(request.keep_alive),
    }


async def handle(request: EchoRequest) -> EchoResponse:
    payload = json.dumps(reflect(request), indent=2).encode() + b"\n"
    return EchoResponse(200, [("Content-Type", "application/json")], payload)
