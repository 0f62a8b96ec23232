"""Transports: what answers a request when it is not the network.

A client built with ``transport=`` hands each request to it instead of the
engine; :class:`MockTransport` calls a function, for users' own tests::

    def handler(request: reqlab.Request) -> reqlab.Response:
        return reqlab.Response(200, headers={"Content-Type": "text/plain"}, content=b"hi")

The session logic (cookies, redirects, digest auth, hooks) runs as with the
network, and every answer is still an exchange record, marked as not sent:
no connection, no timings, a warning saying so.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Protocol, runtime_checkable

from reqlab.body import prepare
from reqlab.client._record import Exchange
from reqlab.client._response import Response
from reqlab.model import Header, Request

Handler = Callable[[Request], "Response | Awaitable[Response]"]
NOT_SENT = "answered by a transport (no network): nothing was sent"


@runtime_checkable
class BaseTransport(Protocol):
    def handle_request(self, request: Request) -> Response: ...


@runtime_checkable
class AsyncBaseTransport(Protocol):
    async def handle_async_request(self, request: Request) -> Response: ...


class MockTransport:
    """Answers every request with ``handler(request)`` (sync or async)."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler

    def handle_request(self, request: Request) -> Response:
        answer = self.handler(request)
        if inspect.isawaitable(answer):
            raise TypeError("an async handler needs an AsyncClient")
        return answer

    async def handle_async_request(self, request: Request) -> Response:
        answer = self.handler(request)
        if inspect.isawaitable(answer):
            answer = await answer
        return answer


def outgoing(request: Request, extra: list[Header]) -> Request:
    """The request as the engine would send it: with the headers reqlab adds."""
    if not extra:
        return request
    return request.replace(headers=(*request.headers, *extra))


def record_of(request: Request, response: Response) -> Exchange:
    """The exchange record of a transport's answer to ``request``."""
    prepared = prepare(request, read_file=lambda path: Path(path).read_bytes())
    answer = response.exchange
    return Exchange(
        method=request.method,
        url=request.url,
        version=request.version or "HTTP/1.1",
        request_headers=list(prepared.headers),
        request_raw=None,
        request_body=prepared.body,
        added=prepared.added,
        status=answer.status,
        reason=answer.reason,
        response_version=answer.response_version,
        response_headers=list(answer.response_headers),
        body=response.content,
        body_size=len(response.content),
        wire_size=len(response.content),
        warnings=[NOT_SENT],
    )
