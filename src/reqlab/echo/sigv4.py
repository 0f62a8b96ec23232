"""``/aws/verify...``: the echo server checks AWS SigV4 signatures.

``reqlab echo --sigv4-secret KEY:SECRET`` wraps the normal handler: a
request whose path starts with ``/aws/verify`` is checked against the
configured keys (header or presigned-query signature, clock skew, expiry)
and answered 200 ``{"valid": true, ...}`` or 403 with the reason and the
canonical request the server computed; every other path goes on to the
echo endpoints as before.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping

from reqlab.auth._verify import verify
from reqlab.echo._types import EchoRequest, EchoResponse, Handler

PREFIX = "/aws/verify"
Clock = Callable[[], dt.datetime]


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def sigv4_handler(keys: Mapping[str, str], inner: Handler, clock: Clock = _utcnow) -> Handler:
    """``inner`` with ``/aws/verify`` answered by checking signatures by ``keys``."""

    async def handle(request: EchoRequest) -> EchoResponse:
        path = request.target.partition("?")[0]
        if not (path == PREFIX or path.startswith(PREFIX + "/")):
            return await inner(request)
        verdict = verify(
            request.method, request.target, request.headers, request.body, keys, clock()
        )
        body = json.dumps(verdict.to_json(), indent=2).encode() + b"\n"
        return EchoResponse(
            status=200 if verdict.valid else 403,
            headers=[("Content-Type", "application/json")],
            body=body,
        )

    return handle


def parse_key(text: str) -> tuple[str, str]:
    """``KEY:SECRET`` -> (key, secret); ValueError names what is missing."""
    key, colon, secret = text.partition(":")
    if not colon or not key or not secret:
        raise ValueError("expected ACCESS_KEY:SECRET_KEY")
    return key, secret
