"""httpbin's request-inspection endpoints: /get /post /put /patch /delete /anything
/headers /ip /user-agent /uuid /delay/{seconds}."""

from __future__ import annotations

import asyncio
import uuid

from reqlab.echo._types import EchoResponse

from ._http import json_response, parse_float, text_response
from ._httpbin import get_dict, headers, origin
from ._router import HTTPBIN_METHODS, route
from ._view import RequestView

MAX_DELAY = 10.0  # seconds; httpbin's cap too

BODY_KEYS = ("url", "args", "form", "data", "origin", "headers", "files", "json")


@route("/get")
async def get(view: RequestView) -> EchoResponse:
    return json_response(get_dict(view, "url", "args", "headers", "origin"))


@route("/post", methods=("POST",))
@route("/put", methods=("PUT",))
@route("/patch", methods=("PATCH",))
@route("/delete", methods=("DELETE",))
async def with_body(view: RequestView) -> EchoResponse:
    return json_response(get_dict(view, *BODY_KEYS))


@route("/anything", "/anything/{anything:path}", methods=HTTPBIN_METHODS)
async def anything(view: RequestView, anything: str | None = None) -> EchoResponse:
    return json_response(get_dict(view, *BODY_KEYS, "method"))


@route("/headers")
async def view_headers(view: RequestView) -> EchoResponse:
    return json_response({"headers": headers(view)})


@route("/ip")
async def ip(view: RequestView) -> EchoResponse:
    return json_response({"origin": origin(view)})


@route("/user-agent")
async def user_agent(view: RequestView) -> EchoResponse:
    return json_response({"user-agent": view.header("user-agent")})


@route("/uuid")
async def new_uuid(view: RequestView) -> EchoResponse:
    return json_response({"uuid": str(uuid.uuid4())})


@route("/delay/{seconds}", methods=HTTPBIN_METHODS)
async def delay(view: RequestView, seconds: str) -> EchoResponse:
    try:
        wait = min(max(parse_float(seconds, 0.0), 0.0), MAX_DELAY)
    except ValueError:
        return text_response("delay must be a number of seconds", status=400)
    await asyncio.sleep(wait)
    return json_response(
        get_dict(view, "url", "args", "form", "data", "origin", "headers", "files")
    )
