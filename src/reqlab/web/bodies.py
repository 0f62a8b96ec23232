"""Response bodies kept for the page's download link, within a budget.

The page shows at most ``display_cap`` bytes of a body and links to the
whole of it; the server keeps the last few bodies of each session so that
link works.  Kept bodies cost memory (or disk, for bodies the client
spooled to a file), so the store is bounded three ways: bodies per session,
bytes per session and bytes in all.  A body over a session's byte budget is
not kept at all (its link answers 404 "no longer kept"); otherwise the
oldest bodies - the session's own first, then anyone's - make room.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections import OrderedDict
from dataclasses import dataclass

Stored = bytes | str  # the bytes, or the path of a body the client spooled to disk


@dataclass(frozen=True)
class Kept:
    session: str
    stored: Stored
    size: int


class BodyStore:
    def __init__(self, per_session: int, session_bytes: int, total_bytes: int) -> None:
        self.per_session = per_session
        self.session_bytes = session_bytes
        self.total_bytes = total_bytes
        self._kept: OrderedDict[str, Kept] = OrderedDict()  # key -> body, oldest first
        self.total = 0

    def keep(self, session: str, stored: Stored, size: int) -> str | None:
        """The key of the kept body, or None when it is over the budget
        (then a spooled file is deleted at once)."""
        if self.per_session < 1 or size > min(self.session_bytes, self.total_bytes):
            _drop(stored)
            return None
        mine = [k for k, v in self._kept.items() if v.session == session]
        used = sum(self._kept[k].size for k in mine)
        while mine and (len(mine) >= self.per_session or used + size > self.session_bytes):
            used -= self._pop(mine.pop(0)).size
        while self._kept and self.total + size > self.total_bytes:
            self._pop(next(iter(self._kept)))
        key = secrets.token_urlsafe(12)
        self._kept[key] = Kept(session, stored, size)
        self.total += size
        return key

    def get(self, session: str, key: str) -> Stored | None:
        kept = self._kept.get(key)
        return kept.stored if kept is not None and kept.session == session else None

    def rename(self, old: str, new: str) -> None:
        for key, kept in self._kept.items():
            if kept.session == old:
                self._kept[key] = Kept(new, kept.stored, kept.size)

    def drop_session(self, session: str) -> None:
        for key in [k for k, v in self._kept.items() if v.session == session]:
            self._pop(key)

    def clear(self) -> None:
        while self._kept:
            self._pop(next(iter(self._kept)))

    def __len__(self) -> int:
        return len(self._kept)

    def _pop(self, key: str) -> Kept:
        kept = self._kept.pop(key)
        self.total -= kept.size
        _drop(kept.stored)
        return kept


def _drop(stored: Stored) -> None:
    if isinstance(stored, str):
        with contextlib.suppress(OSError):
            os.unlink(stored)
