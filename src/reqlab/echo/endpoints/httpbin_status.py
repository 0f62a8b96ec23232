"""httpbin's status and redirect endpoints: /status/{codes} /redirect/{n}
/redirect-to /relative-redirect/{n} /absolute-redirect/{n}."""

from __future__ import annotations

import json
import random

from reqlab.echo._types import EchoResponse

from ._content import TEAPOT
from ._http import (
    JSON,
    empty_response,
    error_response,
    header_safe,
    redirect_response,
    text_response,
)
from ._router import HTTPBIN_METHODS, route
from ._view import RequestView

MAX_REDIRECTS = 100
ACCEPTED_MEDIA_TYPES = ["image/webp", "image/svg+xml", "image/jpeg", "image/png", "image/*"]


def status_answer(code: int) -> EchoResponse:
    """httpbin's canned answer for ``code`` (Location for redirects, teapot, ...)."""
    if code in (301, 302, 303, 305, 307):
        return empty_response(code, [("Location", "/redirect/1")])
    if code == 401:
        return empty_response(code, [("WWW-Authenticate", 'Basic realm="Fake Realm"')])
    if code == 402:
        return text_response(
            "Pay me!", status=code, headers=[("x-more-info", "http://vimeo.com/22053820")]
        )
    if code == 406:
        body = {
            "message": "Client did not request a supported media type.",
            "accept": ACCEPTED_MEDIA_TYPES,
        }
        return text_response(json.dumps(body), JSON, code)
    if code == 407:
        return empty_response(code, [("Proxy-Authenticate", 'Basic realm="Fake Realm"')])
    if code == 418:
        return text_response(
            TEAPOT, status=code, headers=[("x-more-info", "http://tools.ietf.org/html/rfc2324")]
        )
    return text_response(b"", "text/html; charset=utf-8", code)


def _parse_codes(codes: str) -> list[tuple[int, float]]:
    """``"200"`` or ``"200:3,500:1"`` -> [(code, weight)]; ValueError if malformed."""
    choices = []
    for choice in codes.split(","):
        code, _, weight = choice.partition(":")
        value, w = int(code), float(weight) if weight else 1.0
        # Informational codes are not final answers; the framing layer cannot send them as one.
        if not 200 <= value <= 599 or w < 0:
            raise ValueError(choice)
        choices.append((value, w))
    return choices


@route("/status/{codes}", methods=HTTPBIN_METHODS)
async def status(view: RequestView, codes: str) -> EchoResponse:
    try:
        choices = _parse_codes(codes)
    except ValueError:
        return text_response("Invalid status code", status=400)
    if len(choices) == 1:
        return status_answer(choices[0][0])
    weights = [w for _, w in choices]
    if sum(weights) <= 0:
        return text_response("Invalid status code", status=400)
    code = random.choices([c for c, _ in choices], weights=weights)[0]
    return status_answer(code)


def _check_n(n: int) -> EchoResponse | None:
    if not 1 <= n <= MAX_REDIRECTS:
        return error_response(400, f"n must be between 1 and {MAX_REDIRECTS}")
    return None


@route("/redirect/{n:int}")
async def redirect_n(view: RequestView, n: int) -> EchoResponse:
    if bad := _check_n(n):
        return bad
    absolute = (view.arg("absolute") or "false").lower() == "true"
    base = view.base_url() if absolute else ""
    if n == 1:
        return redirect_response(base + "/get")
    kind = "absolute" if absolute else "relative"
    return redirect_response(f"{base}/{kind}-redirect/{n - 1}")


@route("/relative-redirect/{n:int}")
async def relative_redirect(view: RequestView, n: int) -> EchoResponse:
    if bad := _check_n(n):
        return bad
    location = "/get" if n == 1 else f"/relative-redirect/{n - 1}"
    return empty_response(302, [("Location", location)])


@route("/absolute-redirect/{n:int}")
async def absolute_redirect(view: RequestView, n: int) -> EchoResponse:
    if bad := _check_n(n):
        return bad
    base = view.base_url()
    return redirect_response(base + ("/get" if n == 1 else f"/absolute-redirect/{n - 1}"))


@route("/redirect-to", methods=HTTPBIN_METHODS)
async def redirect_to(view: RequestView) -> EchoResponse:
    url = view.arg("url")
    if url is None:
        return error_response(400, "the url query parameter is required")
    status = 302
    code = view.arg("status_code")
    if code is not None:
        try:
            if 300 <= int(code) < 400:
                status = int(code)
        except ValueError:
            return error_response(400, "status_code must be an integer")
    if not header_safe(url):
        return error_response(400, "url must not contain line breaks")
    return empty_response(status, [("Location", url)])
