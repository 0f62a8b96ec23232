"""The async engine's pool: :class:`PoolRules` plus asyncio waiting.

The rules (which idle connection may be reused, when, and what the record
says when one may not) are in ``_policy``.  What is asyncio-specific: an
idle TLS connection with bytes waiting is given a turn of the loop to read
them (a session ticket) before it is judged; and requests that arrive while
an HTTP/2 connection to their origin is being opened wait for it instead of
opening their own.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, TypeAlias

from reqlab.client._build import Key
from reqlab.client._connect import Opened, hand_over, open_connection
from reqlab.client._h1 import H1Connection
from reqlab.client._policy import (
    CLOSED,
    NOT_REUSED_CLOSED,
    PENDING,
    PoolRules,
    alpn_for,
    may_share,
    speaks_h2,
    timeout_margin,
)
from reqlab.client._proxy import ProxyChoice
from reqlab.client._record import ConnectionInfo
from reqlab.client._tls import TLSConfig
from reqlab.protocol.headlimits import DEFAULT_HEAD_LIMITS, HeadLimits

if TYPE_CHECKING:
    # The HTTP/2 engine (h2, hpack) is imported only when a connection speaks
    # it; code that must tell the two apart asks ``isinstance(conn, H1Connection)``.
    from reqlab.client._h2 import H2Connection

Conn: TypeAlias = "H1Connection | H2Connection"

__all__ = ["Conn", "Key", "Pool", "timeout_margin"]


class Pool(PoolRules[H1Connection, "H2Connection"]):
    def __init__(
        self,
        tls_config: TLSConfig | None = None,
        keepalive_expiry: float = 60.0,
        max_idle: int = 10,
        proxies: ProxyChoice | None = None,
        head_limits: HeadLimits = DEFAULT_HEAD_LIMITS,
    ) -> None:
        super().__init__(keepalive_expiry, max_idle, head_limits)
        self.tls_config = tls_config or TLSConfig()
        self.proxies = proxies or ProxyChoice(None, trust_env=False)
        self.pending: dict[Key, asyncio.Future[Conn]] = {}

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
            if self.wants_idle(key, version):
                idle = self.idle.get(key)
                while idle:
                    h1 = idle.pop()
                    problem = self.too_old(h1)
                    if problem is None:
                        # The socket check, without a coroutine unless a TLS
                        # socket has bytes waiting (the common case is "open").
                        state = h1.idle_state()
                        if state == PENDING:
                            state = await self._settle(h1)
                        if state != CLOSED:
                            return h1, True, None
                        problem = f"connection #{h1.id} not reused: {NOT_REUSED_CLOSED}"
                    notes.append(problem)
                    h1.close()
        return await self._open(key, version, timeout)

    async def _shared_h2(self, key: Key) -> H2Connection | None:
        if key not in self.h2 and key in self.pending:
            try:
                await asyncio.shield(self.pending[key])
            except Exception:
                return None
        return self.live_h2(key)

    @staticmethod
    async def _settle(conn: H1Connection) -> str:
        """Bytes wait on an idle TLS socket (maybe a session ticket): let the
        loop read them, then judge the connection again."""
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        return CLOSED if conn.closed or conn.proto.state == "CLOSED" else "open"

    async def _open(
        self, key: Key, version: str | None, timeout: float | None
    ) -> tuple[Conn, bool, Opened]:
        scheme, host, port, verify = key
        tls = scheme == "https"
        proxy = self.proxies.for_target(scheme, host)
        tunnel = proxy is not None and proxy.tunnels(tls, version)
        future: asyncio.Future[Conn] | None = None
        if may_share(version, tls) and key not in self.pending:
            future = self.pending[key] = asyncio.get_running_loop().create_future()
        try:
            opened = await open_connection(
                host,
                port,
                tls=tls,
                verify=verify,
                tls_config=self.tls_config,
                alpn=alpn_for(version, tls),
                timeout=timeout,
                proxy=proxy,
                tunnel=tunnel,
                dial=self.dial,
            )
            conn_id = next(self.ids)
            conn: Conn
            if speaks_h2(opened.alpn, version, tls):
                from reqlab.client._h2 import H2Connection

                conn = H2Connection(conn_id, opened.sock, tls, self.head_limits)
                hand_over(opened, conn, conn.data_received)
                self.h2[key] = conn
            else:
                conn = H1Connection(conn_id, opened.sock, tls, self.head_limits)
                conn.forward = None if tunnel else proxy
                hand_over(opened, conn, conn.data_received)
            conn.info = ConnectionInfo(
                id=conn_id,
                reused=False,
                local=opened.local,
                remote=opened.remote,
                tls=opened.tls_info,
                http_version="HTTP/2" if conn.http2 else "HTTP/1.1",
                proxy=opened.proxy,
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

    async def aclose(self) -> None:
        self.close_all()
        await asyncio.sleep(0)
