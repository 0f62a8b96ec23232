"""The pool's rules, shared by the async and the sync engine.

Idle HTTP/1.x connections wait in a LIFO list per origin (the most recently
used is the least likely to have been closed by the server).  Before one is
handed out again it is checked:

    check                                       on failure
    ------------------------------------------  ----------------------------
    server's Keep-Alive timeout not yet reached  closed, a note in the record
    client's own idle limit not reached          closed, a note
    server's Keep-Alive max not used up          never pooled
    socket not at EOF, no stray bytes waiting    closed, a note

HTTP/2 connections are shared by every request to their origin.  The
engines add only how they wait (for a socket check, for a connection being
opened); which connection may be used, and when, is decided here.
"""

from __future__ import annotations

from itertools import count
from time import perf_counter
from typing import Generic, Protocol, TypeVar

from reqlab.client._build import Key
from reqlab.client._dial import NO_DIAL
from reqlab.client._h3pool import H3Rules
from reqlab.protocol.h1client import H1Client
from reqlab.protocol.headlimits import DEFAULT_HEAD_LIMITS, HeadLimits


class IdleConn(Protocol):
    id: int
    closed: bool
    idle_since: float
    server_timeout: int | float | None
    server_max: int | None
    proto: H1Client

    def close(self) -> None: ...


class SharedConn(Protocol):
    closed: bool

    @property
    def can_take_stream(self) -> bool: ...

    def close(self) -> None: ...


H1 = TypeVar("H1", bound=IdleConn)
H2 = TypeVar("H2", bound=SharedConn)

# The socket check's answers.
OPEN, CLOSED, PENDING = "open", "closed", "pending"
NOT_REUSED_CLOSED = "the server closed it while it was idle"


def timeout_margin(server_timeout: float) -> float:
    """Stop reusing a connection this long before the server's idle timeout."""
    return min(1.0, server_timeout * 0.1)


def alpn_for(version: str | None, tls: bool) -> tuple[str, ...]:
    """What to offer by ALPN: h2 only when HTTP/2 is wanted or left to the server."""
    if not tls:
        return ()
    if version == "HTTP/2" or version is None:
        return ("h2", "http/1.1")
    return ("http/1.1",)


def may_share(version: str | None, tls: bool) -> bool:
    """Whether a connection opened for this request may turn out to be HTTP/2."""
    return version == "HTTP/2" or (version is None and tls)


def speaks_h2(alpn: str | None, version: str | None, tls: bool) -> bool:
    """h2 by ALPN, or h2c with prior knowledge when HTTP/2 is asked for on http://."""
    return alpn == "h2" or (version == "HTTP/2" and not tls)


class PoolRules(Generic[H1, H2]):
    def __init__(
        self,
        keepalive_expiry: float = 60.0,
        max_idle: int = 10,
        head_limits: HeadLimits = DEFAULT_HEAD_LIMITS,
    ) -> None:
        self.keepalive_expiry = keepalive_expiry
        # How big a response head each connection accepts (HTTP/1.x and HTTP/2).
        self.head_limits = head_limits
        self.max_idle = max_idle
        self.idle: dict[Key, list[H1]] = {}
        self.h2: dict[Key, H2] = {}
        self.ids = count(1)
        self.closed = False
        self.h3 = H3Rules()  # HTTP/3: its own connections, tickets, Alt-Svc (``_h3pool``)
        self.dial = NO_DIAL  # --connect-to, --resolve, -4/-6 (``_dial``)

    def wants_idle(self, key: Key, version: str | None) -> bool:
        """HTTP/2 asked for on http:// is h2c: no HTTP/1.x connection serves it."""
        return version != "HTTP/2" or key[0] == "https"

    def live_h2(self, key: Key) -> H2 | None:
        conn = self.h2.get(key)
        if conn is not None and conn.can_take_stream:
            return conn
        return None

    def too_old(self, conn: H1) -> str | None:
        """Why an idle connection is past its time (server's or ours), or None."""
        idle = perf_counter() - conn.idle_since
        timeout = conn.server_timeout
        if timeout is not None and idle >= timeout - timeout_margin(timeout):
            return (
                f"connection #{conn.id} not reused: idle {idle:.2f} s, at or past the server's "
                f"Keep-Alive timeout={timeout}"
            )
        if idle > self.keepalive_expiry:
            return f"connection #{conn.id} not reused: idle {idle:.1f} s, longer than the client's {self.keepalive_expiry:g} s"
        return None

    def release(self, key: Key, conn: H1, reusable: bool) -> None:
        """Return an HTTP/1.x connection after its exchange, remembering the
        server's Keep-Alive terms for the check before its next use."""
        ka = conn.proto.keep_alive
        if ka is not None:
            if ka.timeout is not None:
                conn.server_timeout = ka.timeout
            conn.server_max = ka.max
        if not reusable or self.closed or conn.closed:
            conn.close()
            return
        conn.proto.start_next()
        conn.idle_since = perf_counter()
        idle = self.idle.setdefault(key, [])
        idle.append(conn)
        if len(idle) > self.max_idle:
            idle.pop(0).close()

    def forget(self, key: Key, conn: H1 | H2) -> None:
        if self.h2.get(key) is conn:
            del self.h2[key]
        conn.close()

    def connections(self) -> list[H1 | H2]:
        return [c for idle in self.idle.values() for c in idle] + list(self.h2.values())

    def close_all(self) -> None:
        self.closed = True
        for conn in self.connections():
            conn.close()
        self.idle.clear()
        self.h2.clear()
        self.h3.close_all()
