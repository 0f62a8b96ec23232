"""What a session adds around each exchange, written once for both clients.

:func:`session_flow` is a generator: it yields (request, extra headers) to
send and receives the :class:`Exchange` that came back, so the async client
and the sync one drive the very same logic (cookies, Accept-Encoding,
digest challenges, a :class:`FlowAuth`'s token requests and its one retry
after a 401, redirects) each with its own engine.

The flow also bounds a send: at most ``max_redirects`` hops (at most 50),
and with ``total_timeout`` one :class:`Deadline` for every hop, a digest
or auth retry and an auth flow's token requests (each request it yields has its timeouts cut to the time left).  An
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
from reqlab.model import Auth, DigestAuth, FlowAuth, Header, Options, Request

_DEFAULT_OPTIONS = Options()
Flow = Generator[tuple[Request, list[Header]], Exchange, Response]


class Session:
    """The state a client keeps between requests."""

    def __init__(self, defaults: Options, auth: Auth | FlowAuth | None, jar: Jar | None) -> None:
        self.defaults = defaults
        self.auth = auth
        self.jar = jar
        self.exchanges = 0
        # The auth flow's side request in flight (a token request): a streaming
        # engine reads its body whole before the flow is sent its response.
        self.side: Request | None = None

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
    digest_done = auth_retried = False
    deadline = Deadline(options, perf_counter())
    while True:
        extra = session.extra(request)
        if auth_header is not None:
            extra.append(auth_header)
        sent = request
        try:
            if request.auth is not None and isinstance(request.auth, FlowAuth):
                # the auth flow's token requests count against the same deadline
                sent = yield from _run_auth(session, request.auth, request, history, deadline)
            exchange = yield deadline.hop(sent, perf_counter(), len(redirects)), extra
        except RequestTimeout:
            if deadline.passed(perf_counter()):
                raise deadline.expired(len(redirects)) from None
            raise
        session.exchanges += 1
        if session.jar is not None:
            session.jar.store(request.url, exchange.request_headers, exchange.response_headers)
        status = exchange.status
        if status == 401 and not auth_retried and _auth_retries(request, exchange, sent):
            auth_retried = True  # the token was refused: the auth flow renews it, once
            history.append(exchange)
            continue
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
        return Response.of(exchange, sent, history)


def _run_auth(
    session: Session,
    auth: FlowAuth,
    request: Request,
    history: list[Exchange],
    deadline: Deadline,
) -> Generator[tuple[Request, list[Header]], Exchange, Request]:
    """Drive ``auth.auth_flow``: its side requests (token fetches) are sent
    and kept in the history before the request that needed them; each is
    cut to what is left of the send's deadline."""
    flow = auth.auth_flow(request)
    # side requests go out as the request would (timeouts, verify), never following redirects
    options = replace(request.options, follow_redirects=False)
    try:
        side = next(flow)
        while True:
            side = replace(side, options=options)
            # the very object yielded: a streaming engine recognises it by identity
            session.side = deadline.hop(side, perf_counter(), 0)
            exchange = yield session.side, []
            session.side = None
            session.exchanges += 1
            history.append(exchange)
            side = flow.send(Response.of(exchange, side, []))
    except StopIteration as stop:
        signed: Request = stop.value
        return signed
    finally:
        session.side = None


def _auth_retries(request: Request, exchange: Exchange, sent: Request) -> bool:
    retry = getattr(request.auth, "should_retry", None)
    return retry is not None and bool(retry(Response.of(exchange, sent, [])))


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
    value = authorization(
        auth.username,
        auth.password,
        request.method,
        request.target,
        challenge,
        body=exchange.request_body,
    )
    return ("Authorization", value)
