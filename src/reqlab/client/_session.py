"""What a session adds around each exchange, written once for both clients.

:func:`session_flow` is a generator: it yields (request, extra headers) to
send and receives the :class:`Exchange` that came back, so the async client
and the sync one drive the very same logic (cookies, Accept-Encoding,
digest challenges, redirects) each with its own engine.

The flow also bounds a send: at most ``max_redirects`` hops (at most 50),
and with ``total_timeout`` one :class:`Deadline` for every hop and a digest
retry (each request it yields has its timeouts cut to the time left).  An
engine's :class:`RequestTimeout` goes back into the flow (:func:`timed_out`)
so that the deadline running out is named as such.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import replace
from time import perf_counter
from typing import Any, NoReturn

from reqlab.client._body import ACCEPT_ENCODING
from reqlab.client._cookies import Jar
from reqlab.client._record import Exchange
from reqlab.client._redirects import REDIRECT_STATUS, Deadline, check_count, next_request
from reqlab.client._response import Response
from reqlab.errors import RequestTimeout
from reqlab.model import Auth, DigestAuth, Header, Options, Request

_DEFAULT_OPTIONS = Options()
Flow = Generator[tuple[Request, list[Header]], Exchange, Response]


class Session:
    """The state a client keeps between requests."""

    def __init__(self, defaults: Options, auth: Auth | None, jar: Jar | None) -> None:
        self.defaults = defaults
        self.auth = auth
        self.jar = jar
        self.exchanges = 0

    def with_defaults(self, request: Request) -> Request:
        if request.auth is None and self.auth is not None:
            request = replace(request, auth=self.auth)
        if request.options is not self.defaults and request.options == _DEFAULT_OPTIONS:
            # a Request built without options takes the client's (verify, timeout, ...)
            request = replace(request, options=self.defaults)
        return request

    def extra(self, request: Request) -> list[Header]:
        extra: list[Header] = []
        if request.options.compressed and not request.has_header("accept-encoding"):
            extra.append(("Accept-Encoding", ACCEPT_ENCODING))
        jar = self.jar
        if jar is not None and jar.has_cookies and not request.has_header("cookie"):
            cookie = jar.header_for(request.url, list(request.headers))
            if cookie:
                extra.append(("Cookie", cookie))
        return extra


def session_flow(session: Session, request: Request) -> Flow:
    """Send ``request`` as a session does; returns the last response."""
    request = session.with_defaults(request)
    options = request.options
    history: list[Exchange] = []
    redirects: list[dict[str, Any]] = []
    auth_header: Header | None = None
    digest_done = False
    deadline = Deadline(options, perf_counter())
    while True:
        extra = session.extra(request)
        if auth_header is not None:
            extra.append(auth_header)
        hop = deadline.hop(request, perf_counter(), len(redirects))
        try:
            exchange = yield hop, extra
        except RequestTimeout:
            if deadline.passed(perf_counter()):
                raise deadline.expired(len(redirects)) from None
            raise
        session.exchanges += 1
        if session.jar is not None:
            session.jar.store(request.url, exchange.request_headers, exchange.response_headers)
        status = exchange.status
        if status == 401 and not digest_done:
            auth_header = _digest_answer(request, exchange)
            if auth_header is not None:
                digest_done = True
                history.append(exchange)
                continue
        location = exchange.header("location") if status in REDIRECT_STATUS else None
        if options.follow_redirects and location:
            check_count(len(redirects), options, status, location)
            redirects.append(
                {
                    "status": status,
                    "method": request.method,
                    "url": request.url,
                    "location": location,
                }
            )
            history.append(exchange)
            request = next_request(request, status, location)
            auth_header, digest_done = None, False
            continue
        exchange.redirects = redirects
        return Response.of(exchange, request, history)


def timed_out(flow: Flow, exc: RequestTimeout) -> NoReturn:
    """Raise an engine's timeout through the flow: as the whole send's when
    its deadline (``total_timeout``) is what ran out, else as it is."""
    flow.throw(exc)
    raise exc  # not reached: the flow raises one or the other


def _digest_answer(request: Request, exchange: Exchange) -> Header | None:
    from reqlab.client._digest import authorization, find_challenge

    auth = request.auth
    if not isinstance(auth, DigestAuth) or request.has_header("authorization"):
        return None
    challenge = find_challenge(exchange.response_headers)
    if challenge is None:
        return None
    value = authorization(auth.username, auth.password, request.method, request.target, challenge)
    return ("Authorization", value)
