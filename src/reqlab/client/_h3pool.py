"""When a request goes over HTTP/3, and which QUIC connection carries it.

Shared by both engines (each pool holds one :class:`H3Rules` as ``pool.h3``):

    request                                      HTTP/3?
    -------------------------------------------  ----------------------------
    version="HTTP/3"                             yes, to the URL's port (UDP)
    version unset, https, alt_svc on, and the    yes, to the advertised port;
      origin advertised h3 within its ma         the record says why
    anything else                                no (TCP as before)

One QUIC connection per origin is shared by every request to it, like
HTTP/2.  Before reuse it is checked: ended (CONNECTION_CLOSE, idle timeout)
or idle past the effective idle timeout means a new connection, with a note
saying why.  Session tickets are kept per origin for resumption and 0-RTT.
Nothing here imports aioquic: a client that never speaks HTTP/3 never
loads it.
"""

from __future__ import annotations

from time import monotonic, perf_counter
from typing import Any, Protocol

from reqlab._records import record
from reqlab.client._build import IDEMPOTENT, Key
from reqlab.client._record import Exchange
from reqlab.model import Request
from reqlab.protocol.altsvc import parse_alt_svc


class QuicConn(Protocol):
    id: int
    closed: bool
    end_reason: str | None
    last_activity: float

    @property
    def can_take_stream(self) -> bool: ...

    def idle_timeout(self) -> float: ...

    def close(self) -> None: ...


@record(frozen=True, slots=True)
class Route:
    port: int  # UDP port
    reason: str  # why HTTP/3 (the record's version_reason)


class H3Rules:
    def __init__(self) -> None:
        self.conns: dict[Key, Any] = {}
        self.retired: list[Any] = []  # replaced while busy: closed with the pool
        self.pending: dict[Key, Any] = {}  # async engine: origin -> future of the one opening
        self.tickets: dict[Key, Any] = {}  # aioquic SessionTickets, newest per origin
        self.advertised: dict[Key, tuple[int, float, int]] = {}  # port, expires, ma
        self.alt_svc = False  # follow Alt-Svc h3 advertisements
        self.zero_rtt = False  # send idempotent requests as 0-RTT data when a ticket allows
        self.idle_timeout = 30.0  # our max_idle_timeout transport parameter, seconds
        self.honour_peer_idle = True  # False: the probe's, outliving the peer's timeout

    def route(self, request: Request, key: Key) -> Route | None:
        if request.version == "HTTP/3":
            return Route(key[2], "asked for (version HTTP/3)")
        if not self.alt_svc or request.version is not None or key[0] != "https":
            return None
        found = self.advertised.get(key)
        if found is None:
            return None
        port, expires, max_age = found
        left = expires - monotonic()
        if left <= 0:
            del self.advertised[key]
            return None
        return Route(
            port,
            f"Alt-Svc: the origin advertised h3 on UDP port {port} "
            f"(ma={max_age}, {left:.0f} s left)",
        )

    def learn(self, key: Key, exchange: Exchange) -> None:
        """Remember an ``Alt-Svc`` answer for the origin (when alt_svc is on)."""
        value = exchange.header("alt-svc")
        if value is None or not self.alt_svc:
            return
        services = parse_alt_svc(value)
        if services is None:  # "clear"
            self.advertised.pop(key, None)
            return
        for svc in services:
            if svc.protocol == "h3" and svc.host in ("", key[1]):
                self.advertised[key] = (svc.port, monotonic() + svc.max_age, svc.max_age)
                return

    def live(self, key: Key, notes: list[str]) -> Any:
        """The origin's QUIC connection if it may take this request, else None."""
        conn = self.conns.get(key)
        if conn is None:
            return None
        name = f"connection #{conn.id}"
        if conn.closed:
            notes.append(f"{name} not reused: {conn.end_reason or 'it was closed'}")
        else:
            idle = perf_counter() - conn.last_activity
            limit = conn.idle_timeout()
            if idle < limit * 0.9 and conn.can_take_stream:
                return conn
            if conn.can_take_stream:
                notes.append(
                    f"{name} not reused: idle {idle:.2f} s, at or past the effective "
                    f"QUIC idle timeout {limit:g} s"
                )
                conn.end_reason = f"idle {idle:.2f} s, past the effective idle timeout {limit:g} s"
            else:
                return None  # busy (all streams in use): a second connection
        conn.close()
        del self.conns[key]
        return None

    def early_ok(self, request: Request, key: Key) -> tuple[Any, str | None]:
        """(ticket to resume with, why 0-RTT will not be used or None)."""
        ticket = self.tickets.get(key)
        if not self.zero_rtt:
            return ticket, None
        if ticket is None:
            return None, "0-RTT not used: no session ticket from this server yet"
        if request.method.upper() not in IDEMPOTENT:
            return ticket, f"0-RTT not used: {request.method} is not idempotent (replay risk)"
        if not getattr(ticket, "max_early_data_size", None):
            return ticket, "0-RTT not used: the server's ticket does not allow early data"
        return ticket, None

    def adopt(self, key: Key, conn: Any) -> None:
        """Make ``conn`` the origin's connection; a busy one it replaces keeps
        its streams and is closed with the pool."""
        old = self.conns.get(key)
        if old is not None and old is not conn:
            self.retired = [c for c in self.retired if not c.closed]
            self.retired.append(old)
        self.conns[key] = conn

    def forget(self, key: Key, conn: Any) -> None:
        """Stop offering ``conn`` for the origin (it ended, or was not to be kept)."""
        if self.conns.get(key) is conn:
            del self.conns[key]

    def close_all(self) -> None:
        for conn in [*self.conns.values(), *self.retired]:
            conn.close()
        self.conns.clear()
        self.retired.clear()
