"""Sending a request for a page session and shaping the answer for the page."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from reqlab.model import Request
from reqlab.web import tls_settings
from reqlab.web.bodies import BodyStore
from reqlab.web.config import WebConfig
from reqlab.web.errors import APIError
from reqlab.web.guard import check, guarding, loop_guards, resolve_public
from reqlab.web.sessions import Session, Sessions
from reqlab.web.tls_settings import TLSMaterial
from reqlab.web.view import exchange_view


def guarded(config: WebConfig) -> bool:
    return config.public and not config.allow_private


def make_client(config: WebConfig, **kwargs: Any) -> Any:
    """One :class:`reqlab.AsyncClient` per page session (and a one-off one
    for a send with its own TLS material)."""
    from reqlab import AsyncClient

    if config.public:
        kwargs["max_body"] = config.public_max_body
        # The guard checks the address connected to: through a proxy taken
        # from the environment that would be the proxy's, not the target's.
        kwargs["trust_env"] = False
    return AsyncClient(**kwargs)


def capped(request: Request, config: WebConfig) -> Request:
    """A public instance bounds the whole send - every redirect hop, a digest
    retry - with one deadline (the client's ``total_timeout``), and how many
    redirects it may follow."""
    if not config.public:
        return request
    options = request.options
    cap = config.public_max_time
    if options.total_timeout is None or options.total_timeout > cap:
        options = replace(options, total_timeout=cap)
    if options.timeout is None or options.timeout > cap:
        options = replace(options, timeout=cap)
    if options.max_redirects > config.public_max_redirects:
        options = replace(options, max_redirects=config.public_max_redirects)
    return request if options is request.options else replace(request, options=options)


def _head(exchange: Any, cap: int) -> bytes:
    if exchange.body_path:
        with open(exchange.body_path, "rb") as f:
            return f.read(cap)
    return bytes(exchange.body[:cap])


async def send(
    sessions: Sessions,
    session: Session,
    request: Request,
    config: WebConfig,
    bodies: BodyStore,
    on_response: Callable[[Any], None] | None = None,
    tls: TLSMaterial | None = None,
) -> dict[str, Any]:
    """Send for the page; ``on_response`` sees the client's response (a
    workspace keeps it for requests that quote it)."""
    guard: contextlib.AbstractContextManager[None] = contextlib.nullcontext()
    echo = config.echo_origin
    if guarded(config):
        if not loop_guards():  # fail closed: never send unguarded from a public instance
            raise APIError(500, "this public instance runs without its address guard")
        # Checked up front for a clear error; the guarded loop checks again
        # the addresses the client actually connects to (and redirects).
        await resolve_public(request.host, request.port, echo, request.scheme)
        guard = guarding(echo)
    tls = tls or tls_settings.for_host(session.tls_hosts, request.host, request.port)
    # One send at a time per session: the page's "reused" badge is only
    # meaningful if two sends do not race for the same pooled connection.
    async with session.lock:
        with guard:
            if tls is None:
                response = await sessions.client_of(session).send(capped(request, config))
            else:  # its own TLS context: a one-off client, not the session's pool
                ctx = tls_settings.context(tls, request.options.verify)
                async with make_client(config, verify=ctx) as client:
                    response = await client.send(capped(request, config))
    exchange = response.exchange
    if guarded(config) and exchange.connection is not None:
        remote, _, port = exchange.connection.remote.rpartition(":")
        check(request.host, remote.strip("[]"), int(port), echo)
    if on_response is not None:
        on_response(response)
    record = exchange.to_json(body_limit=0)
    size = exchange.body_size or len(exchange.body)
    head = _head(exchange, config.display_cap)
    stored: bytes | str = exchange.body_path or bytes(exchange.body)
    key = bodies.keep(session.id, stored, size)
    download = f"/api/bodies/{key}" if key is not None else None
    view = exchange_view(request, record, head, size, config.display_cap, download=download)
    # token requests an auth sent first: their own exchanges, linked by purpose
    side = [e.to_json(body_limit=4000) for e in response.history if e.purpose]
    if side:
        view["auth_exchanges"] = side
    return view
