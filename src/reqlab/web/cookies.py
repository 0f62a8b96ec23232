"""The session cookie over HTTP: reading a browser's id, minting one,
rotating it on first data, and handing the new id and token back.

The rules (server-minted ids only, rotation on first data, the ``__Host-``
name over TLS) are :mod:`identity`'s; this module applies them to Starlette
requests and responses for the API and the page.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request as HTTPRequest
from starlette.responses import Response

from reqlab.web.errors import APIError
from reqlab.web.identity import SessionIds, SessionQuota


def client_address(request: HTTPRequest) -> str:
    """The peer (or, behind a --trust-proxy proxy, the client it names)."""
    return request.client.host if request.client else "?"


def is_tls(request: HTTPRequest) -> bool:
    return request.url.scheme == "https"


def set_session_cookie(response: Response, sid: str, request: HTTPRequest) -> None:
    # Over TLS: the __Host- name, Secure, Path=/ and no Domain, as that prefix demands.
    secure = is_tls(request)
    response.set_cookie(
        SessionIds.cookie_name(secure),
        sid,
        max_age=400 * 24 * 3600,
        httponly=True,
        secure=secure,
        samesite="strict",
        path="/",
    )


async def identify(request: HTTPRequest, reissue: bool = False) -> tuple[str, bool]:
    """This browser's session id, and whether the answer must set it: an
    absent, unknown or doubled cookie gets a freshly minted id (never
    adopted); with ``reissue`` (a page load) an id holding data is replaced
    by a new one that takes its data (see :mod:`identity`)."""
    state = request.app.state
    ids: SessionIds = state.ids
    sid = ids.read(request.headers.get("cookie"), is_tls(request))
    used = None if sid is None else await run_in_threadpool(ids.used, sid)
    if sid is not None and used is not None:
        if not (used and reissue):
            return sid, False
        fresh: str = await run_in_threadpool(ids.reissue, sid)
        state.sessions.rename(sid, fresh)
        state.bodies.rename(sid, fresh)
        return fresh, True
    try:
        return await run_in_threadpool(ids.mint, client_address(request)), True
    except SessionQuota as exc:
        raise APIError(429, str(exc)) from None


async def writer(request: HTTPRequest) -> str:
    """The id to file this request's data under; rotates a fresh session's
    id on its first data (see :mod:`identity`)."""
    state = request.app.state
    sid: str = request.scope["state"]["sid"]
    owner: str = await run_in_threadpool(state.ids.first_use, sid)
    if owner != sid:
        state.sessions.rename(sid, owner)
        state.bodies.rename(sid, owner)
        request.scope["state"]["rotated"] = owner
    return owner


def rotated(request: HTTPRequest, response: Response) -> Response:
    """After a rotation, the response hands the browser its new id and token."""
    owner = request.scope.get("state", {}).get("rotated")
    if owner is not None:
        set_session_cookie(response, owner, request)
        response.headers["x-csrf-token"] = request.app.state.sessions.csrf_token(owner)
    return response
