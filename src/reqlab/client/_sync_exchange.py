"""One exchange on one connection, the sync engine's way.

The twin of ``_exchange`` over blocking sockets: the same request bytes and
record (``_build``), the same pool rules, the same one recorded retry of an
idempotent request that met a reused connection the server had closed.
"""

from __future__ import annotations

from time import perf_counter
from typing import TYPE_CHECKING

from reqlab.client._build import (
    IDEMPOTENT,
    Key,
    ReadFile,
    Sizes,
    Stale,
    finish,
    pool_key,
)
from reqlab.client._record import Exchange
from reqlab.client._sync_h1 import SyncH1Connection
from reqlab.client._sync_pool import SyncPool
from reqlab.client._wire import H1Out, H2Out, h1_record, h2_record
from reqlab.errors import RemoteProtocolError
from reqlab.model import Header, Request

if TYPE_CHECKING:  # imported by the pool only when a connection speaks HTTP/2
    from reqlab.client._sync_h2 import SyncH2Connection


def send_exchange_sync(
    pool: SyncPool, request: Request, extra: list[Header], sizes: Sizes, read_file: ReadFile
) -> Exchange:
    """Send ``request`` (plus ``extra`` headers reqlab adds) and record it."""
    t0 = perf_counter()
    notes: list[str] = []
    try:
        return _attempt(pool, request, extra, sizes, read_file, t0, notes, False)
    except Stale as stale:
        notes.append(stale.note(request.method))
        exchange = _attempt(pool, request, extra, sizes, read_file, t0, notes, True)
        exchange.retried = True
        return exchange


def _attempt(
    pool: SyncPool,
    request: Request,
    extra: list[Header],
    sizes: Sizes,
    read_file: ReadFile,
    t0: float,
    notes: list[str],
    fresh: bool,
) -> Exchange:
    options = request.options
    key = pool_key(request)
    route = pool.h3.route(request, key)
    if route is not None:  # HTTP/3: its own module, aioquic loaded only here
        from reqlab.client._sync_h3 import send_h3_sync

        return send_h3_sync(pool, request, extra, sizes, read_file, key, route, t0, notes)
    timeout = options.connect_timeout or options.timeout
    conn, reused, opened = pool.acquire(
        key, request.version, timeout, notes, fresh=fresh or not options.keep_alive
    )
    if isinstance(conn, SyncH1Connection):
        exchange = _h1(conn, request, extra, sizes, read_file, pool, key, reused)
    else:
        exchange = _h2(conn, request, extra, sizes, read_file, pool, key, reused)
    if pool.h3.alt_svc:
        pool.h3.learn(key, exchange)
    return finish(exchange, request, conn, reused, opened, t0, notes, sizes.record)


def _h1(
    conn: SyncH1Connection,
    request: Request,
    extra: list[Header],
    sizes: Sizes,
    read_file: ReadFile,
    pool: SyncPool,
    key: Key,
    reused: bool,
) -> Exchange:
    proto = conn.proto
    out = H1Out(request, extra, read_file, proto, conn.forward, conn.close)
    sink = sizes.sink()
    t_send = perf_counter()
    try:
        sent, first, end = conn.exchange(out.data, sink, request.options.timeout)
    except RemoteProtocolError as exc:
        sink.discard()
        if reused and proto.received == 0 and request.method.upper() in IDEMPOTENT:
            raise Stale(conn.id, exc) from None
        raise
    except BaseException:
        sink.discard()
        raise
    pool.release(key, conn, proto.reusable and request.options.keep_alive)
    return h1_record(
        request, out, proto, conn.interim, (t_send, sent, first, end), sink, sizes.record
    )


def _h2(
    conn: SyncH2Connection,
    request: Request,
    extra: list[Header],
    sizes: Sizes,
    read_file: ReadFile,
    pool: SyncPool,
    key: Key,
    reused: bool,
) -> Exchange:
    out = H2Out(request, extra, read_file)
    sink = sizes.sink()
    t_send = perf_counter()
    try:
        stream, sent = conn.exchange(out.headers, out.body, sink, request.options.timeout)
    except BaseException as exc:
        sink.discard()
        if conn.closed:
            pool.forget(key, conn)
        if reused and getattr(exc, "unanswered", False) and request.method.upper() in IDEMPOTENT:
            raise Stale(conn.id, exc) from None  # type: ignore[arg-type]
        raise
    end = perf_counter()
    if conn.closed or not request.options.keep_alive:
        pool.forget(key, conn)  # reuse off: one stream, then closed
    return h2_record(request, out, stream, (t_send, sent, end), not conn.closed, sizes.record)
