"""ReqBin-compatible fixed answers, for tutorials written against reqbin.com/echo.

Each path answers a constant success document whatever the request carried.
The method in the path name is what tutorials send, but any method gets the
answer: these endpoints exist so that copied examples work, not to police them.
"""

from __future__ import annotations

from reqlab.echo._types import EchoResponse

from ._http import HTML, JSON

SUCCESS_JSON = b'{"success":"true"}'
SUCCESS_XML = (
    b'<?xml version="1.0" encoding="utf-8"?><Response><ResponseCode>0</ResponseCode>'
    b"<ResponseMessage>Success</ResponseMessage></Response>"
)
SUCCESS_HTML = b"<html><body><h1>Success</h1></body></html>"

_XML = "application/xml; charset=utf-8"

ANSWERS: dict[str, tuple[str, bytes]] = {
    "/echo/get/json": (JSON, SUCCESS_JSON),
    "/echo/head/json": (JSON, SUCCESS_JSON),
    "/echo/post/json": (JSON, SUCCESS_JSON),
    "/echo/put/json": (JSON, SUCCESS_JSON),
    "/echo/get/xml": (_XML, SUCCESS_XML),
    "/echo/post/xml": (_XML, SUCCESS_XML),
    "/echo/post/form": (HTML, SUCCESS_HTML),
}


def answer(path: str) -> EchoResponse | None:
    """The fixed answer for a ReqBin path, or None if ``path`` is not one."""
    entry = ANSWERS.get(path)
    if entry is None:
        return None
    ctype, body = entry
    return EchoResponse(200, [("Content-Type", ctype), ("Access-Control-Allow-Origin", "*")], body)
