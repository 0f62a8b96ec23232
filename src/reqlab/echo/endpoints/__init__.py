"""The echo server's endpoints: ``handle(request) -> response``.

Routing order:

1. ``/echo/raw`` - the request as received, as text;
2. the ReqBin-compatible fixed answers (``/echo/get/json`` ...);
3. ``/echo`` and everything under it - the JSON reflection;
4. the httpbin-compatible routes (declared with ``@route`` in the
   ``httpbin_*`` modules, which register themselves on import);
5. anything else - 404 JSON.

The connection layer owns framing and connection headers; nothing here sets
Content-Length, Transfer-Encoding, Connection or Keep-Alive.
"""

from __future__ import annotations

import logging

from reqlab.echo._types import EchoRequest, EchoResponse, TLSInfo
from reqlab.protocol.h1events import Request

from . import (  # noqa: F401 - imported to register their routes
    graphql_api,
    httpbin_auth,
    httpbin_cache,
    httpbin_cookies,
    httpbin_digest,
    httpbin_dynamic,
    httpbin_formats,
    httpbin_inspect,
    httpbin_status,
    reqbin,
    sse,
    websocket,
)
from ._http import error_response
from ._httpbin import cors
from ._router import dispatch
from ._view import RequestView
from .reflect import JSON_HEADERS, echo, echo_raw, plain_reflection, reflection

__all__ = ["handle", "handle_plain", "handle_sync", "reflection"]

log = logging.getLogger("reqlab.echo")
INTERNAL_ERROR = "internal error in the endpoint"


def handle_sync(request: EchoRequest) -> EchoResponse | None:
    """Answer ``/echo`` and everything under it at once; None for any other path.

    None of these answers awaits anything, so the connection layer calls this
    directly (``handle.sync``) and needs no coroutine for the hot path.
    """
    view = RequestView(request)
    path = view.path
    if path == "/echo":
        return echo(view)
    if path.startswith("/echo/"):
        if path == "/echo/raw":
            return echo_raw(view)
        fixed = reqbin.answer(path)
        return fixed if fixed is not None else echo(view)
    return None


def handle_plain(
    request: Request, conn_id: int, client: str, tls: TLSInfo | None
) -> tuple[int, tuple[tuple[str, str], ...], bytes] | None:
    """``/echo`` for a plain HTTP/1.x request, straight from the connection core's Request.

    The same answer handle_sync gives (the same plain_reflection), without
    building an EchoRequest, a RequestView and an EchoResponse first; None
    for anything else (another path, a body, a Content-Type, non-ASCII ...),
    which then takes handle_sync or handle.  The connection layer calls it
    as ``handle.plain`` with its id, client address and TLS details.
    """
    if request.body:
        return None  # a body may be JSON, a form, files: handle_sync's work
    target = request.target
    path, _, query = target.partition("?")
    if path != "/echo" and (
        not path.startswith("/echo/")
        or "%" in path  # routing decodes the path: leave that to handle_sync
        or path == "/echo/raw"
        or path in reqbin.ANSWERS
    ):
        return None
    body = plain_reflection(
        request,
        path,
        query,
        conn_id,
        request.request_number,
        client,
        tls,
        request.persistent,
        request.timeout,
        request.remaining,
    )
    return None if body is None else (200, JSON_HEADERS, body)


async def handle(request: EchoRequest) -> EchoResponse:
    """Answer one request.  Never raises for any request the connection layer accepts."""
    response = handle_sync(request)
    if response is not None:
        return response
    view = RequestView(request)
    try:
        response = await dispatch(view)
    except Exception:  # a bug here must cost one answer, never the connection
        log.exception("endpoint failed for %s %s", request.method, request.target)
        return error_response(500, INTERNAL_ERROR)
    if response is None:
        return error_response(404, f"no endpoint at {view.raw_path}")
    response.headers.extend(cors(view))
    return response


handle.sync = handle_sync  # type: ignore[attr-defined]  # see reqlab.echo.server.sync_handler
handle.plain = handle_plain  # type: ignore[attr-defined]  # see reqlab.echo.server.plain_handler
