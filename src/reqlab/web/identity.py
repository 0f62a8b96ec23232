"""Session ids: minted by the server only, rotated when they first hold data.

A page session is named by a random id in an HttpOnly, SameSite=Strict
cookie; history and saved requests are filed under it.  Four rules keep
one browser from reading another's data (session fixation):

* **Only ids this server minted count.**  Each minted id has a row in
  ``web_sessions``; a cookie holding any other value - invented, or set by
  another service on the same host (cookies do not keep ports apart) - is
  ignored and the page gets a freshly minted id.  Never adopted.
* **Rotation on first data.**  A fresh id only becomes worth stealing when
  something is filed under it.  The first send or save under an unused id
  files it under a *new* id instead, set in that response's cookie (and its
  CSRF token in ``X-CSRF-Token``); the old id stays empty (calls already in
  flight with it still work) until unused ids are swept.  So an id someone
  planted in a victim's browser before the victim used the workbench is
  worthless to them: the victim's data never lands under it.
* **Reissue on every page load.**  Opening the page with an id that holds
  data moves the data to a new id (set in that page's cookie) and deletes
  the old one.  So an id planted *after* its holder used it stops working
  the moment the victim opens the workbench: whatever the victim does next
  is filed under an id only the victim's browser holds.
* **A cookie name others cannot set.**  Over TLS (the request's scheme is
  https: served so, or by a ``--trust-proxy`` proxy that says so) the cookie
  is ``__Host-reqlab_sid`` (Secure, Path=/, no Domain), which browsers
  accept only from a secure origin with exactly those attributes, and only
  that name is read; and the co-hosted echo server refuses to set the
  workbench's cookie names at all.

A ``--public`` instance also bounds how many ids one client address may
mint per hour.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable

from sqlalchemy import delete, func, insert, select, update

from reqlab.web.storage import Storage, history, saved_requests, web_sessions

PLAIN_NAME = "reqlab_sid"
TLS_NAME = "__Host-reqlab_sid"
COOKIE_NAMES = (PLAIN_NAME, TLS_NAME)  # the echo server may set neither
WINDOW = 3600.0  # the per-client minting quota counts this many seconds
UNUSED_TTL = 24 * 3600.0  # an id nothing was filed under is forgotten after this
_REMEMBERED = 10_000  # ids whose state is cached in memory


class SessionQuota(Exception):
    """This client address has minted its share of sessions for now."""


def new_id() -> str:
    return secrets.token_urlsafe(24)


def well_formed(sid: str | None) -> bool:
    return (
        bool(sid)
        and 16 <= len(sid or "") <= 64
        and (sid or "").replace("-", "").replace("_", "").isalnum()
    )


class SessionIds:
    """Minting, recognising and rotating ids; all database calls are blocking
    (the web layer runs them in a thread)."""

    def __init__(
        self,
        storage: Storage,
        *,
        per_client: int | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.storage = storage
        self.per_client = per_client
        self.clock = clock
        # id -> used?  (a cache of web_sessions; the database is the truth)
        self._known: OrderedDict[str, bool] = OrderedDict()
        # new id -> the id it replaced, so a second tab's token stays good
        self.previous: OrderedDict[str, str] = OrderedDict()

    @staticmethod
    def cookie_name(secure: bool) -> str:
        return TLS_NAME if secure else PLAIN_NAME

    def read(self, cookie_header: str | None, secure: bool) -> str | None:
        """The session id the Cookie header carries; None when absent,
        malformed, or given twice (one of them planted: trust neither)."""
        if not cookie_header:
            return None
        wanted = self.cookie_name(secure)
        values = []
        for piece in cookie_header.split(";"):
            name, eq, value = piece.strip().partition("=")
            if eq and name.strip() == wanted:
                values.append(value.strip())
        if len(values) != 1 or not well_formed(values[0]):
            return None
        return values[0]

    def cached(self, sid: str) -> bool:
        """Whether :meth:`used` can answer from memory (no database call)."""
        return sid in self._known

    def used(self, sid: str) -> bool | None:
        """True / False for an id this server minted; None for any other."""
        if sid in self._known:
            self._known.move_to_end(sid)
            return self._known[sid]
        with self.storage.engine.connect() as conn:
            row = conn.execute(select(web_sessions.c.used).where(web_sessions.c.id == sid)).first()
        if row is None:
            return None
        self._remember(sid, bool(row.used))
        return bool(row.used)

    def mint(self, client: str, used: bool = False) -> str:
        now = self.clock()
        with self.storage.log_engine.begin() as conn:
            if self.per_client is not None and not used:
                # Minted ids only: the id a rotation adds is born used.
                count = conn.execute(
                    select(func.count()).where(
                        web_sessions.c.client == client[:64],
                        web_sessions.c.created_at > now - WINDOW,
                        web_sessions.c.used.is_(False),
                    )
                ).scalar_one()
                if count >= self.per_client:
                    raise SessionQuota(
                        f"this address opened {count} sessions in the last hour; "
                        "reuse one (keep cookies on) or try later"
                    )
            sid = new_id()
            conn.execute(
                insert(web_sessions).values(id=sid, client=client[:64], created_at=now, used=used)
            )
        self._remember(sid, used)
        return sid

    def first_use(self, sid: str) -> str:
        """The id to file data under: ``sid`` once it is in use, else a new id
        that replaces it (see the module docstring)."""
        if self.used(sid):
            return sid
        # The old id stays, empty (a page's calls already in flight with it
        # must not fail), and is forgotten with the other unused ids.
        with self.storage.log_engine.begin() as conn:
            row = conn.execute(
                select(web_sessions.c.client).where(web_sessions.c.id == sid)
            ).first()
            fresh = new_id()
            conn.execute(
                insert(web_sessions).values(
                    id=fresh,
                    client=row.client if row is not None else "",
                    created_at=self.clock(),
                    used=True,
                )
            )
        self._remember(fresh, True)
        self._follows(fresh, sid)
        return fresh

    def reissue(self, sid: str) -> str:
        """A new id for a used session, its data moved over, the old id gone.

        Done on every page load: an id planted in a browser *after* its
        owner used it (so rotation on first data does not apply) stops
        working for whoever planted it as soon as the victim opens the page,
        and the victim's work goes on under an id only the victim holds."""
        fresh = new_id()
        with self.storage.engine.begin() as conn:  # synced: saved requests move too
            row = conn.execute(
                select(web_sessions.c.client).where(web_sessions.c.id == sid)
            ).first()
            conn.execute(
                insert(web_sessions).values(
                    id=fresh,
                    client=row.client if row is not None else "",
                    created_at=self.clock(),
                    used=True,
                )
            )
            for table in (history, saved_requests):
                conn.execute(update(table).where(table.c.owner == sid).values(owner=fresh))
            conn.execute(delete(web_sessions).where(web_sessions.c.id == sid))
        self._known.pop(sid, None)
        self._remember(fresh, True)
        self._follows(fresh, sid)
        return fresh

    def _follows(self, fresh: str, sid: str) -> None:
        self.previous[fresh] = sid
        while len(self.previous) > _REMEMBERED:
            self.previous.popitem(last=False)

    def forget_unused(self) -> int:
        """Delete ids nothing was filed under for a day; returns how many."""
        cutoff = self.clock() - UNUSED_TTL
        with self.storage.log_engine.begin() as conn:
            gone = conn.execute(
                delete(web_sessions).where(
                    web_sessions.c.used.is_(False), web_sessions.c.created_at < cutoff
                )
            ).rowcount
        self._known.clear()
        return int(gone)

    def _remember(self, sid: str, used: bool) -> None:
        self._known[sid] = used
        self._known.move_to_end(sid)
        while len(self._known) > _REMEMBERED:
            self._known.popitem(last=False)
