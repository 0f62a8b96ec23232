"""The sync engine's pool: :class:`PoolRules` over blocking connections.

Same rules as the async pool (``_policy``); a sync client sends one request
at a time, so nobody ever waits for a connection being opened, and an
HTTP/2 connection catches up on what the server sent while it sat idle
before it carries the next stream.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from reqlab.client._build import Key
from reqlab.client._policy import (
    CLOSED,
    NOT_REUSED_CLOSED,
    PoolRules,
    alpn_for,
    speaks_h2,
)
from reqlab.client._proxy import ProxyChoice
from reqlab.client._record import ConnectionInfo
from reqlab.client._sync_connect import SyncOpened, open_blocking
from reqlab.client._sync_h1 import SyncH1Connection
from reqlab.client._tls import TLSConfig
from reqlab.protocol.headlimits import DEFAULT_HEAD_LIMITS, HeadLimits

if TYPE_CHECKING:
    # The HTTP/2 engine (h2, hpack) is imported only when a connection speaks
    # it; code that must tell the two apart asks ``isinstance(conn,
    # SyncH1Connection)``.
    from reqlab.client._sync_h2 import SyncH2Connection

SyncConn: TypeAlias = "SyncH1Connection | SyncH2Connection"


class SyncPool(PoolRules[SyncH1Connection, "SyncH2Connection"]):
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

    def acquire(
        self,
        key: Key,
        version: str | None,
        timeout: float | None,
        notes: list[str],
        fresh: bool = False,
    ) -> tuple[SyncConn, bool, SyncOpened | None]:
        """A connection for ``key``: (connection, reused, how it was opened)."""
        if not fresh:
            if version not in ("HTTP/1.0", "HTTP/1.1") and key in self.h2:
                shared = self.h2[key]
                shared.catch_up()
                if self.live_h2(key) is not None:
                    return shared, True, None
                self.forget(key, shared)
            if self.wants_idle(key, version):
                idle = self.idle.get(key)
                while idle:
                    conn = idle.pop()
                    problem = self.too_old(conn)
                    if problem is None and conn.idle_state() == CLOSED:
                        problem = f"connection #{conn.id} not reused: {NOT_REUSED_CLOSED}"
                    if problem is None:
                        return conn, True, None
                    notes.append(problem)
                    conn.close()
        return self._open(key, version, timeout)

    def _open(
        self, key: Key, version: str | None, timeout: float | None
    ) -> tuple[SyncConn, bool, SyncOpened]:
        scheme, host, port, verify = key
        tls = scheme == "https"
        proxy = self.proxies.for_target(scheme, host)
        tunnel = proxy is not None and proxy.tunnels(tls, version)
        opened = open_blocking(
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
        conn: SyncConn
        if speaks_h2(opened.alpn, version, tls):
            from reqlab.client._sync_h2 import SyncH2Connection

            conn = SyncH2Connection(conn_id, opened.sock, tls, self.head_limits)
            self.h2[key] = conn
        else:
            conn = SyncH1Connection(conn_id, opened.sock, tls, self.head_limits)
            conn.forward = None if tunnel else proxy
        conn.info = ConnectionInfo(
            id=conn_id,
            reused=False,
            local=opened.local,
            remote=opened.remote,
            tls=opened.tls_info,
            http_version="HTTP/2" if conn.http2 else "HTTP/1.1",
            proxy=opened.proxy,
        )
        return conn, False, opened

    def close(self) -> None:
        self.close_all()
