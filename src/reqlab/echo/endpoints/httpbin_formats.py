"""httpbin's response-format endpoints: /gzip /deflate /brotli /html /json /xml
/robots.txt /deny /encoding/utf8 /base64/{value} /links/{n}[/{offset}]."""

from __future__ import annotations

import base64
import binascii
import gzip
import zlib
from collections.abc import Callable

import brotli

from reqlab.echo._types import EchoResponse

from . import _content
from ._http import HTML, TEXT, json_response, redirect_response, text_response
from ._httpbin import get_dict
from ._router import route
from ._view import RequestView

MAX_LINKS = 200


def _encoded(
    view: RequestView, flag: str, coding: str, compress: Callable[[bytes], bytes]
) -> EchoResponse:
    response = json_response(
        get_dict(view, "origin", "headers", method=view.method, **{flag: True})
    )
    assert isinstance(response.body, bytes)
    response.body = compress(response.body)
    response.headers.append(("Content-Encoding", coding))
    return response


@route("/gzip")
async def gzipped(view: RequestView) -> EchoResponse:
    return _encoded(view, "gzipped", "gzip", lambda b: gzip.compress(b, compresslevel=4, mtime=0))


@route("/deflate")
async def deflated(view: RequestView) -> EchoResponse:
    # HTTP's "deflate" is the zlib format (RFC 9110 8.4.1.2), not raw deflate.
    return _encoded(view, "deflated", "deflate", zlib.compress)


@route("/brotli")
async def brotlied(view: RequestView) -> EchoResponse:
    return _encoded(view, "brotli", "br", brotli.compress)


@route("/html")
async def html(view: RequestView) -> EchoResponse:
    return text_response(_content.HTML_PAGE, HTML)


@route("/json")
async def json_doc(view: RequestView) -> EchoResponse:
    return json_response(_content.SLIDESHOW)


@route("/xml")
async def xml_doc(view: RequestView) -> EchoResponse:
    return text_response(_content.SLIDESHOW_XML, "application/xml")


@route("/robots.txt")
async def robots(view: RequestView) -> EchoResponse:
    return text_response(_content.ROBOTS_TXT, TEXT)


@route("/deny")
async def deny(view: RequestView) -> EchoResponse:
    return text_response(_content.DENY, TEXT)


@route("/encoding/utf8")
async def utf8(view: RequestView) -> EchoResponse:
    return text_response(_content.UTF8_DEMO, HTML)


@route("/base64/{value}")
async def decode_base64(view: RequestView, value: str) -> EchoResponse:
    try:
        padded = value + "=" * (-len(value) % 4)
        text = base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8")
    except (binascii.Error, ValueError):
        text = "Incorrect Base64 data try: SFRUUEJJTiBpcyBhd2Vzb21l"
    return text_response(text, HTML)


@route("/links/{n:int}")
async def links(view: RequestView, n: int) -> EchoResponse:
    return redirect_response(f"/links/{n}/0")


@route("/links/{n:int}/{offset:int}")
async def link_page(view: RequestView, n: int, offset: int) -> EchoResponse:
    n = min(max(1, n), MAX_LINKS)
    html = ["<html><head><title>Links</title></head><body>"]
    for i in range(n):
        html.append(f"{i} " if i == offset else f"<a href='/links/{n}/{i}'>{i}</a> ")
    html.append("</body></html>")
    return text_response("".join(html), HTML)
