"""The app factory: routes, the security guard, storage and sessions."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import JSONResponse

from reqlab.web import api, pages, sender
from reqlab.web.config import WebConfig
from reqlab.web.ratelimit import RateLimiter
from reqlab.web.security import SecurityMiddleware, served_hosts
from reqlab.web.sessions import Sessions
from reqlab.web.storage import Storage, default_db_url

MAX_REQUEST_BODY = 64 * 1024 * 1024  # uploads arrive base64-encoded in JSON


async def _internal_error(request: Any, exc: Exception) -> JSONResponse:
    # Still logged by Starlette; the page gets the one error shape it knows.
    return JSONResponse(
        {"error": {"status": 500, "message": f"internal error: {type(exc).__name__}: {exc}"}}, 500
    )


def create_app(config: WebConfig | None = None, storage: Storage | None = None) -> Starlette:
    config = config or WebConfig()
    own_storage = storage is None
    storage = storage or Storage(config.db_url or default_db_url())
    sessions = Sessions(config.secret, config.session_idle, lambda: sender.make_client(config))
    limiter = RateLimiter(config.rate_per_minute, config.rate_burst) if config.public else None

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await sessions.start()
        try:
            yield
        finally:
            await sessions.close()
            if own_storage:
                storage.close()

    app = Starlette(
        routes=[*api.routes, *pages.routes],
        middleware=[
            Middleware(
                SecurityMiddleware,
                sessions=sessions,
                allowed_hosts=served_hosts(config.host, config.allowed_hosts),
                limiter=limiter,
            )
        ],
        lifespan=lifespan,
        max_body_size=MAX_REQUEST_BODY,
        exception_handlers={Exception: _internal_error},
    )
    state: Any = app.state
    state.config = config
    state.storage = storage
    state.sessions = sessions
    return app
