"""One wrapper for the JSON API's endpoints: what any failure answers.

A known error (bad input, a failed send) becomes its 4xx/5xx JSON answer;
anything else is a bug, answered by one line that tells nothing of it (the
traceback goes to the log).  Both keep the session cookie rotating.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request as HTTPRequest
from starlette.responses import Response

from reqlab.errors import ReqlabError
from reqlab.web.cookies import rotated
from reqlab.web.errors import APIError, from_exception, internal_error

Endpoint = Callable[[HTTPRequest], Awaitable[Response]]


def contained(handler: Endpoint) -> Endpoint:
    async def endpoint(request: HTTPRequest) -> Response:
        try:
            return await handler(request)
        except (APIError, ReqlabError) as exc:
            return rotated(request, from_exception(exc))
        except Exception as exc:  # a bug: one answer that tells nothing of it
            return internal_error(request.method, request.url.path, exc)

    endpoint.__name__ = handler.__name__
    endpoint.__doc__ = handler.__doc__
    return endpoint
