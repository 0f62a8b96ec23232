"""The app factory: routes, the security guard, storage and sessions."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware

from reqlab.web import (
    api,
    auth_api,
    cookie_api,
    graphql_api,
    pages,
    sender,
    stream_send,
    workspace_api,
    ws_relay,
)
from reqlab.web.bodies import BodyStore
from reqlab.web.config import WebConfig
from reqlab.web.errors import ContainErrors
from reqlab.web.identity import SessionIds
from reqlab.web.ratelimit import RateLimiter
from reqlab.web.security import SecurityMiddleware, served_hosts
from reqlab.web.sessions import Sessions
from reqlab.web.storage import Storage, default_db_url
from reqlab.web.workspace_host import WorkspaceHost

MAX_REQUEST_BODY = 64 * 1024 * 1024  # uploads arrive base64-encoded in JSON
HOUSEKEEPING = 600.0  # seconds between sweeps of unused session ids
log = logging.getLogger("reqlab.web")


def max_request_body(config: WebConfig) -> int:
    """The largest API request: on a public instance, the upload cap as
    base64 (4/3) plus room for the rest of the JSON."""
    if not config.public:
        return MAX_REQUEST_BODY
    return config.public_max_upload * 4 // 3 + 256 * 1024


async def _housekeeping(ids: SessionIds) -> None:
    while True:
        await asyncio.sleep(HOUSEKEEPING)
        try:
            await run_in_threadpool(ids.forget_unused)
        except Exception as exc:  # the database was busy or gone: try again next time
            log.warning("session sweep failed: %s", type(exc).__name__)


def create_app(config: WebConfig | None = None, storage: Storage | None = None) -> Starlette:
    config = config or WebConfig()
    own_storage = storage is None
    storage = storage or Storage(config.db_url or default_db_url())
    sessions = Sessions(config.secret, config.session_idle, lambda: sender.make_client(config))
    ids = SessionIds(
        storage, per_client=config.public_sessions_per_client if config.public else None
    )
    bodies = BodyStore(
        int(config.limit("keep_bodies") or 0),
        int(config.limit("keep_session_bytes") or 0),
        int(config.limit("keep_total_bytes") or 0),
    )
    sessions.on_expire = bodies.drop_session
    limiter = RateLimiter(config.rate_per_minute, config.rate_burst) if config.public else None

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await sessions.start()
        host = app.state.workspace
        if host is not None:  # loaded and indexed before the URL is announced
            try:
                await run_in_threadpool(host.current)
            except Exception as exc:  # the first API call reports it properly
                log.warning("workspace preload failed: %s", type(exc).__name__)
        sweeper = asyncio.create_task(_housekeeping(ids))
        try:
            yield
        finally:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper
            await sessions.close()
            bodies.clear()
            if own_storage:
                storage.close()

    app = Starlette(
        routes=[
            *api.routes,
            *stream_send.routes,
            *graphql_api.routes,
            *workspace_api.routes,
            *auth_api.routes,
            *cookie_api.routes,
            *ws_relay.routes,
            *pages.routes,
        ],
        middleware=[
            Middleware(ContainErrors),
            Middleware(
                SecurityMiddleware,
                sessions=sessions,
                ids=ids,
                allowed_hosts=served_hosts(config.host, config.allowed_hosts),
                limiter=limiter,
            ),
        ],
        lifespan=lifespan,
        max_body_size=max_request_body(config),
    )
    state: Any = app.state
    state.config = config
    state.storage = storage
    state.sessions = sessions
    state.ids = ids
    state.bodies = bodies
    state.ws_open = {}  # session id -> open WebSocket tabs (the public cap)
    state.workspace = WorkspaceHost(config.workspace) if config.workspace else None
    return app
