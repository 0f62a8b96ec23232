"""Cookie names the echo server must never set: those of a co-hosted app.

Browsers keep cookies per host name, not per port, so a cookie the echo
server sets for ``127.0.0.1`` reaches every other server on ``127.0.0.1``.
``reqlab serve`` runs the workbench beside this server; were ``/cookies/set``
(or ``/response-headers``, or any endpoint) free to set the workbench's
session cookie, any page could plant a session id in a visitor's browser.
So one check on every answer, whichever endpoint made it: a Set-Cookie for
a reserved name turns the answer into a 403.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from reqlab.echo._types import EchoRequest, EchoResponse, Handler

REFUSAL = b"this cookie name belongs to the workbench served on this host\n"


def cookie_name(set_cookie: str) -> str:
    """The name a browser files a Set-Cookie value under.  A nameless
    cookie (``=a=b``) is sent back as just its value, ``a=b``, so it counts
    as a cookie named ``a``."""
    pair = set_cookie.split(";", 1)[0].strip()
    if pair.startswith("="):
        pair = pair[1:].lstrip()
    name, eq, _ = pair.partition("=")
    return name.strip() if eq else ""


def sets_reserved(headers: Iterable[tuple[str, str]], reserved: frozenset[str]) -> bool:
    return any(n.lower() == "set-cookie" and cookie_name(v).lower() in reserved for n, v in headers)


def _refused() -> EchoResponse:
    return EchoResponse(403, [("Content-Type", "text/plain; charset=utf-8")], REFUSAL)


def reserve_cookies(handler: Handler, names: Iterable[str]) -> Handler:
    """``handler``, refusing any answer that sets a cookie named in ``names``
    (compared case-insensitively).  Its fast paths (``.sync``, ``.plain``)
    are kept, under the same check."""
    reserved = frozenset(n.lower() for n in names)

    async def guarded(request: EchoRequest) -> EchoResponse:
        response = await handler(request)
        return _refused() if sets_reserved(response.headers, reserved) else response

    sync = getattr(handler, "sync", None)
    if sync is not None:

        def guarded_sync(request: EchoRequest) -> EchoResponse | None:
            response: EchoResponse | None = sync(request)
            if response is not None and sets_reserved(response.headers, reserved):
                return _refused()
            return response

        guarded.sync = guarded_sync  # type: ignore[attr-defined]
    plain = getattr(handler, "plain", None)
    if plain is not None:

        def guarded_plain(*args: Any) -> Any:
            answer = plain(*args)
            if answer is not None and sets_reserved(answer[1], reserved):
                return None  # let the full path answer (and refuse) it
            return answer

        guarded.plain = guarded_plain  # type: ignore[attr-defined]
    return guarded
