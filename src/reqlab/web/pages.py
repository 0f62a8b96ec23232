"""The page itself: one HTML document, its static assets, and /r/<id>."""

from __future__ import annotations

import html
from pathlib import Path

from starlette.requests import Request as HTTPRequest
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from reqlab.web.cookies import identify, set_session_cookie
from reqlab.web.errors import APIError

STATIC = Path(__file__).with_name("static")
_INDEX: str | None = None


def _index() -> str:
    global _INDEX
    if _INDEX is None:
        _INDEX = (STATIC / "index.html").read_text()
    return _INDEX


async def page(request: HTTPRequest) -> Response:
    try:
        sid, new = await identify(request, reissue=True)
    except APIError as exc:  # this address's session quota
        return HTMLResponse(html.escape(exc.message), status_code=exc.status)
    state = request.app.state
    token = state.sessions.csrf_token(sid)
    body = _index().replace("{{csrf}}", html.escape(token))
    # The token also rides in a header, for scripts that follow it as the page does.
    response = HTMLResponse(body, headers={"cache-control": "no-store", "x-csrf-token": token})
    if new:
        set_session_cookie(response, sid, request)
    return response


class _Static(StaticFiles):
    def file_response(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        response = super().file_response(*args, **kwargs)
        response.headers["cache-control"] = "no-cache"  # revalidate: ETag makes it cheap
        return response


routes = [
    Route("/", page, methods=["GET"]),
    Route("/r/{id}", page, methods=["GET"]),
    Mount("/static", _Static(directory=STATIC), name="static"),
]
