"""httpbin's Basic and Bearer auth endpoints: /basic-auth/{user}/{passwd}
/hidden-basic-auth/{user}/{passwd} /bearer."""

from __future__ import annotations

import base64
import binascii
import hmac

from reqlab.echo._types import EchoResponse

from ._http import empty_response, json_response
from ._router import route
from ._view import RequestView


def basic_credentials(view: RequestView) -> tuple[str, str] | None:
    """(user, password) from ``Authorization: Basic ...``, or None."""
    header = view.header("authorization") or ""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(token.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    user, colon, password = decoded.decode("utf-8", "replace").partition(":")
    return (user, password) if colon else None


def _matches(view: RequestView, user: str, passwd: str) -> bool:
    given = basic_credentials(view)
    if given is None:
        return False
    # Constant-time comparison: this is a toy server, but it should not teach bad habits.
    return hmac.compare_digest(given[0].encode(), user.encode()) & hmac.compare_digest(
        given[1].encode(), passwd.encode()
    )


@route("/basic-auth/{user}/{passwd}")
async def basic_auth(view: RequestView, user: str, passwd: str) -> EchoResponse:
    if not _matches(view, user, passwd):
        return empty_response(401, [("WWW-Authenticate", 'Basic realm="Fake Realm"')])
    return json_response({"authenticated": True, "user": user})


@route("/hidden-basic-auth/{user}/{passwd}")
async def hidden_basic_auth(view: RequestView, user: str, passwd: str) -> EchoResponse:
    if not _matches(view, user, passwd):
        return empty_response(404)
    return json_response({"authenticated": True, "user": user})


@route("/bearer")
async def bearer(view: RequestView) -> EchoResponse:
    header = view.header("authorization") or ""
    if not header.startswith("Bearer "):
        return empty_response(401, [("WWW-Authenticate", "Bearer")])
    return json_response({"authenticated": True, "token": header[len("Bearer ") :]})
