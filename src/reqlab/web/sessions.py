"""Page sessions: one client (so one connection pool) per open workbench.

A browser holds a session id the server minted (see :mod:`identity`).  The
server keeps, per session, the :class:`reqlab.AsyncClient` that sends its
requests - so pressing Send twice reuses the connection, as the page's
"connection #N reused" badge shows.  (The bodies of its last responses, for
the download link of a truncated body, live in :mod:`bodies`.)  A session
idle for longer than ``idle`` seconds has its client closed; its history
stays in the database.

The CSRF token is an HMAC of the session id under a per-process secret: the
page reads it from its own HTML (or GET /api/session) and sends it in the
``X-CSRF-Token`` header, which a cross-site page can neither read nor set.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Session:
    id: str
    last_used: float
    client: Any = None  # a reqlab.AsyncClient, made on first send
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # Per-host client certificates / CA bundles (web.tls_settings): memory only.
    tls_hosts: dict[str, Any] = field(default_factory=dict)


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
        self.on_expire: Callable[[str], None] = lambda sid: None

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

    def rename(self, old: str, new: str) -> None:
        """The id rotated: the same page session (and pool) goes on under ``new``."""
        session = self._sessions.pop(old, None)
        if session is not None:
            session.id = new
            self._sessions[new] = session

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
            self.on_expire(session.id)
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
            self.on_expire(session.id)
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
