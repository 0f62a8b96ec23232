"""Page sessions: one client (so one connection pool) per open workbench.

A browser gets a random session id in an HttpOnly, SameSite=Strict cookie.
The server keeps, per session, the :class:`reqlab.AsyncClient` that sends
its requests - so pressing Send twice reuses the connection, as the page's
"connection #N reused" badge shows - and the bodies of its last responses,
for the download link of a truncated body.  A session idle for longer than
``idle`` seconds has its client closed; its history stays in the database.

The CSRF token is an HMAC of the session id under a per-process secret: the
page reads it from its own HTML (or GET /api/session) and sends it in the
``X-CSRF-Token`` header, which a cross-site page can neither read nor set.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import os
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

COOKIE = "reqlab_sid"
KEEP_BODIES = 4  # recent full bodies kept per session for download


@dataclass
class Session:
    id: str
    last_used: float
    client: Any = None  # a reqlab.AsyncClient, made on first send
    # key -> (bytes, or the path of a body the client spooled to disk; content type)
    bodies: OrderedDict[str, tuple[bytes | str, str]] = field(default_factory=OrderedDict)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def keep_body(self, body: bytes | str, content_type: str) -> str:
        key = secrets.token_urlsafe(9)
        self.bodies[key] = (body, content_type)
        while len(self.bodies) > KEEP_BODIES:
            _drop(self.bodies.popitem(last=False)[1][0])
        return key

    def drop_bodies(self) -> None:
        while self.bodies:
            _drop(self.bodies.popitem()[1][0])


def _drop(stored: bytes | str) -> None:
    if isinstance(stored, str):
        with contextlib.suppress(OSError):
            os.unlink(stored)


class Sessions:
    def __init__(
        self,
        secret: bytes,
        idle: float,
        make_client: Callable[[], Any],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.secret = secret or secrets.token_bytes(32)
        self.idle = idle
        self.make_client = make_client
        self.clock = clock
        self._sessions: dict[str, Session] = {}
        self._reaper: asyncio.Task[None] | None = None

    @staticmethod
    def new_id() -> str:
        return secrets.token_urlsafe(24)

    @staticmethod
    def valid_id(sid: str | None) -> bool:
        return (
            bool(sid)
            and 16 <= len(sid or "") <= 64
            and (sid or "").replace("-", "").replace("_", "").isalnum()
        )

    def csrf_token(self, sid: str) -> str:
        return hmac.new(self.secret, sid.encode(), hashlib.sha256).hexdigest()

    def check_csrf(self, sid: str, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf_token(sid), token or "")

    def get(self, sid: str) -> Session:
        session = self._sessions.get(sid)
        if session is None:
            session = self._sessions[sid] = Session(sid, self.clock())
        session.last_used = self.clock()
        return session

    def client_of(self, session: Session) -> Any:
        if session.client is None:
            session.client = self.make_client()
        return session.client

    async def expire(self) -> int:
        """Close the clients of sessions idle too long; returns how many."""
        cutoff = self.clock() - self.idle
        stale = [s for s in self._sessions.values() if s.last_used < cutoff]
        for session in stale:
            self._sessions.pop(session.id, None)
            session.drop_bodies()
            await _close(session.client)
        return len(stale)

    def __len__(self) -> int:
        return len(self._sessions)

    def __contains__(self, sid: str) -> bool:
        return sid in self._sessions

    async def start(self) -> None:
        async def reap() -> None:
            while True:
                await asyncio.sleep(max(1.0, min(60.0, self.idle / 4)))
                await self.expire()

        self._reaper = asyncio.create_task(reap())

    async def close(self) -> None:
        if self._reaper is not None:
            self._reaper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reaper
        for session in list(self._sessions.values()):
            session.drop_bodies()
            await _close(session.client)
        self._sessions.clear()


async def _close(client: Any) -> None:
    if client is None:
        return
    closer = getattr(client, "aclose", None) or getattr(client, "close", None)
    if closer is not None:
        result = closer()
        if asyncio.iscoroutine(result):
            await result
