"""Connections per origin, reused only when both sides allow it.

Idle HTTP/1.x connections wait in a LIFO list per origin (the most recently
used is the least likely to have been closed by the server).  Before one is
handed out again it is checked:

    check                                       on failure
    ------------------------------------------  ----------------------------
    server's Keep-Alive timeout not yet reached  closed, a note in the record
    client's own idle limit not reached          closed, a note
    server's Keep-Alive max not used up          never pooled
    socket not at EOF, no stray bytes waiting    closed, a note

HTTP/2 connections are shared by every request to their origin at once
(multiplexing); requests that arrive while one is being opened wait for it
instead of opening their own.
"""

from __future__ import annotations

import asyncio
from itertools import count
from time import perf_counter
from typing import Any

from reqlab.client._connect import Opened, hand_over, open_connection
from reqlab.client._h1 import H1Connection
from reqlab.client._h2 import H2Connection
from reqlab.client._record import ConnectionInfo
from reqlab.protocol.headlimits import DEFAULT_HEAD_LIMITS, HeadLimits

Key = tuple[str, str, int, bool]
Conn = H1Connection | H2Connection


def timeout_margin(server_timeout: float) -> float:
    """Stop reusing a connection this long before the server's idle timeout."""
    return min(1.0, server_timeout * 0.1)


class Pool:
    def __init__(
        self,
        cafile: str | None = None,
        keepalive_expiry: float = 60.0,
        max_idle: int = 10,
        head_limits: HeadLimits = DEFAULT_HEAD_LIMITS,
    ) -> None:
        self.cafile = cafile
        self.head_limits = head_limits
        self.keepalive_expiry = keepalive_expiry
        self.max_idle = max_idle
        self.idle: dict[Key, list[H1Connection]] = {}
        self.h2: dict[Key, H2Connection] = {}
        self.pending: dict[Key, asyncio.Future[Conn]] = {}
        self.ids = count(1)
        self.closed = False

    async def acquire(
        self,
        key: Key,
        version: str | None,
        timeout: float | None,
        notes: list[str],
        fresh: bool = False,
    ) -> tuple[Conn, bool, Opened | None]:
        """A connection for ``key``: (connection, reused, how it was opened)."""
        if not fresh:
            if version not in ("HTTP/1.0", "HTTP/1.1"):
                conn = await self._shared_h2(key)
                if conn is not None:
                    return conn, True, None
            if version != "HTTP/2" or key[0] == "https":
                idle = self.idle.get(key)
                while idle:
                    h1 = idle.pop()
                    problem = await self._check(h1)
                    if problem is None:
                        return h1, True, None
                    notes.append(problem)
                    h1.close()
        return await self._open(key, version, timeout)

    async def _shared_h2(self, key: Key) -> H2Connection | None:
        conn = self.h2.get(key)
        if conn is None and key in self.pending:
            try:
                opened = await asyncio.shield(self.pending[key])
            except Exception:
                return None
            conn = opened if isinstance(opened, H2Connection) else None
        if conn is not None and conn.can_take_stream:
            return conn
        return None

    async def _check(self, conn: H1Connection) -> str | None:
        idle = perf_counter() - conn.idle_since
        name = f"connection #{conn.id}"
        if conn.server_timeout is not None and idle >= conn.server_timeout - timeout_margin(
            conn.server_timeout
        ):
            return (
                f"{name} not reused: idle {idle:.2f} s, at or past the server's "
                f"Keep-Alive timeout={conn.server_timeout}"
            )
        if idle > self.keepalive_expiry:
            return f"{name} not reused: idle {idle:.1f} s, longer than the client's {self.keepalive_expiry:g} s"
        state = conn.idle_state()
        if state == "pending":  # let the loop read what is waiting, then look again
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            state = "closed" if conn.closed or conn.proto.state == "CLOSED" else "open"
        if state == "closed":
            return f"{name} not reused: the server closed it while it was idle"
        return None

    async def _open(
        self, key: Key, version: str | None, timeout: float | None
    ) -> tuple[Conn, bool, Opened]:
        scheme, host, port, verify = key
        tls = scheme == "https"
        if version == "HTTP/2" or (version is None and tls):
            alpn: tuple[str, ...] = ("h2", "http/1.1") if tls else ()
        else:
            alpn = ("http/1.1",) if tls else ()
        may_h2 = version == "HTTP/2" or (version is None and tls)
        future: asyncio.Future[Conn] | None = None
        if may_h2 and key not in self.pending:
            future = self.pending[key] = asyncio.get_running_loop().create_future()
        try:
            opened = await open_connection(
                host, port, tls=tls, verify=verify, cafile=self.cafile, alpn=alpn, timeout=timeout
            )
            conn_id = next(self.ids)
            conn: Conn
            if opened.alpn == "h2" or (version == "HTTP/2" and not tls):
                conn = H2Connection(conn_id, opened.sock, tls, self.head_limits)
                hand_over(opened, conn, conn.data_received)
                self.h2[key] = conn
            else:
                conn = H1Connection(conn_id, opened.sock, tls, self.head_limits)
                hand_over(opened, conn, conn.data_received)
            conn.info = ConnectionInfo(
                id=conn_id,
                reused=False,
                local=opened.local,
                remote=opened.remote,
                tls=opened.tls_info,
                http_version="HTTP/2" if conn.http2 else "HTTP/1.1",
            )
            if future is not None:
                future.set_result(conn)
            return conn, False, opened
        except BaseException as exc:
            if future is not None:
                future.set_exception(exc)
                future.exception()  # retrieved: waiters fall back to their own connection
            raise
        finally:
            if future is not None:
                self.pending.pop(key, None)

    def release(self, key: Key, conn: H1Connection, reusable: bool) -> None:
        """Return an HTTP/1.x connection after its exchange."""
        if not reusable or self.closed or conn.closed:
            conn.close()
            return
        conn.proto.start_next()
        conn.idle_since = perf_counter()
        idle = self.idle.setdefault(key, [])
        idle.append(conn)
        if len(idle) > self.max_idle:
            idle.pop(0).close()

    def forget(self, key: Key, conn: Conn) -> None:
        if self.h2.get(key) is conn:
            del self.h2[key]
        conn.close()

    def connections(self) -> list[Any]:
        return [c for idle in self.idle.values() for c in idle] + list(self.h2.values())

    async def aclose(self) -> None:
        self.closed = True
        for conn in self.connections():
            conn.close()
        self.idle.clear()
        self.h2.clear()
        await asyncio.sleep(0)
