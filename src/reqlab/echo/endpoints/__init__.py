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

from reqlab.echo._types import EchoRequest, EchoResponse

from . import (  # noqa: F401 - imported to register their routes
    httpbin_auth,
    httpbin_cache,
    httpbin_cookies,
    httpbin_digest,
    httpbin_dynamic,
    httpbin_formats,
    httpbin_inspect,
    httpbin_status,
    reqbin,
)
from ._http import error_response
from ._httpbin import cors
from ._router import dispatch
from ._view import RequestView
from .reflect import echo, echo_raw, reflection

__all__ = ["handle", "handle_sync", "reflection"]

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
