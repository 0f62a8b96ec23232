"""One exchange on one connection, turned into one :class:`Exchange` record.

This is the per-request hot path: prepare (through :func:`reqlab.body.prepare`,
the one place that adds Host/Content-Length/...), take a connection from the
pool, write, wait, record.  A reused HTTP/1.x connection that the server
closed before sending a single byte is the keep-alive race; an idempotent
request is then sent once more on a fresh connection and the record says so.
"""

from __future__ import annotations

from collections.abc import Callable
from time import perf_counter
from typing import Any

from reqlab.body import prepare
from reqlab.client._body import BodySink
from reqlab.client._h1 import H1Connection
from reqlab.client._h2 import H2Connection
from reqlab.client._pool import Key, Pool
from reqlab.client._record import ConnectionInfo, Exchange, KeepAliveInfo, Timings
from reqlab.errors import RemoteProtocolError
from reqlab.model import Header, Request
from reqlab.protocol.keepalive import h2_forbidden, lint, lint_response

IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
_H2_DROP = frozenset(
    ("host", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade")
)


class Sizes:
    """Body limits of a client."""

    def __init__(self, max_body: int | None, spool_size: int, spool_dir: str | None) -> None:
        self.max_body = max_body
        self.spool_size = spool_size
        self.spool_dir = spool_dir

    def sink(self) -> BodySink:
        return BodySink(self.max_body, self.spool_size, self.spool_dir)


class _Stale(Exception):
    """A reused connection closed before any response byte."""

    def __init__(self, conn_id: int, error: Exception) -> None:
        self.conn_id = conn_id
        self.error = error


_KEYS: dict[tuple[str, bool], Key] = {}
_LINTS: dict[tuple[Any, ...], list[str]] = {}


def _lint(request: Request) -> list[str]:
    """``lint(request)`` as text; it reads only the version, headers and reuse option."""
    key = ("req", request.version, request.headers, request.options.keep_alive)
    found = _LINTS.get(key)
    if found is None:
        if len(_LINTS) > 1024:
            _LINTS.clear()
        found = _LINTS[key] = [str(w) for w in lint(request)]
    return list(found)


def _lint_response(version: str, hop: tuple[Header, ...]) -> list[str]:
    key = ("resp", version, hop)
    found = _LINTS.get(key)
    if found is None:
        if len(_LINTS) > 1024:
            _LINTS.clear()
        found = _LINTS[key] = [str(w) for w in lint_response(version, hop)]
    return found


def pool_key(request: Request) -> Key:
    """(scheme, host, port, verify), remembered per URL: parsing it is not free."""
    url, verify = request.url, request.options.verify
    key = _KEYS.get((url, verify))
    if key is None:
        if len(_KEYS) > 4096:
            _KEYS.clear()
        key = _KEYS[(url, verify)] = (request.scheme, request.host, request.port, verify)
    return key


async def send_exchange(
    pool: Pool,
    request: Request,
    extra: list[Header],
    sizes: Sizes,
    read_file: Callable[[str], bytes],
) -> Exchange:
    """Send ``request`` (plus ``extra`` headers reqlab adds) and record it."""
    t0 = perf_counter()
    notes: list[str] = []
    try:
        return await _attempt(pool, request, extra, sizes, read_file, t0, notes, False)
    except _Stale as stale:
        notes.append(
            f"reused connection #{stale.conn_id} was closed by the server before any response "
            f"byte ({stale.error}); {request.method} is idempotent, so it was retried once on a new connection"
        )
        exchange = await _attempt(pool, request, extra, sizes, read_file, t0, notes, True)
        exchange.retried = True
        return exchange


async def _attempt(
    pool: Pool,
    request: Request,
    extra: list[Header],
    sizes: Sizes,
    read_file: Callable[[str], bytes],
    t0: float,
    notes: list[str],
    fresh: bool,
) -> Exchange:
    options = request.options
    key = pool_key(request)
    timeout = options.connect_timeout or options.timeout
    conn, reused, opened = await pool.acquire(
        key, request.version, timeout, notes, fresh=fresh or not options.keep_alive
    )
    if isinstance(conn, H2Connection):
        exchange = await _h2(conn, request, extra, sizes, read_file, pool, key, reused)
    else:
        exchange = await _h1(conn, request, extra, sizes, read_file, pool, key, reused)
    t_end = perf_counter()
    timings = exchange.timings
    if opened is not None:
        timings.dns, timings.connect, timings.tls = opened.dns, opened.connect, opened.tls
    # Time spent in the pool (checks, waiting for a shared HTTP/2 connection)
    # belongs to no phase; it counts in total only.
    timings.total = (t_end - t0) * 1000
    info: ConnectionInfo = conn.info  # type: ignore[assignment]
    exchange.connection = ConnectionInfo(
        id=info.id,
        reused=reused,
        local=info.local,
        remote=info.remote,
        tls=info.tls,
        http_version=info.http_version,
        requests=conn.requests,
    )
    exchange.warnings = _lint(request) + notes + exchange.warnings
    if not options.keep_alive and exchange.keep_alive.persistent:
        exchange.warnings.append("connection reuse is off: closed after this exchange")
    return exchange


async def _h1(
    conn: H1Connection,
    request: Request,
    extra: list[Header],
    sizes: Sizes,
    read_file: Callable[[str], bytes],
    pool: Pool,
    key: Key,
    reused: bool,
) -> Exchange:
    version = request.version if request.version in ("HTTP/1.0", "HTTP/1.1") else "HTTP/1.1"
    try:
        prepared = prepare(request, read_file=read_file, extra=extra)
    except BaseException:  # refused (a bad generated header, an unreadable file): nothing sent
        conn.close()
        raise
    headers = list(prepared.headers)
    added = prepared.added
    proto = conn.proto
    data = proto.send(request.method, request.target, version, headers, prepared.body)
    sink = sizes.sink()
    t_send = perf_counter()
    try:
        sent, first, end = await conn.exchange(data, sink, request.options.timeout)
    except RemoteProtocolError as exc:
        conn.close()
        sink.discard()
        if reused and proto.received == 0 and request.method.upper() in IDEMPOTENT:
            raise _Stale(conn.id, exc) from None
        raise
    except BaseException:
        conn.close()
        sink.discard()
        raise
    head = proto.head
    assert head is not None
    ka = proto.keep_alive
    reusable = proto.reusable
    if ka is not None:
        conn.server_timeout = ka.timeout if ka.timeout is not None else conn.server_timeout
        conn.server_max = ka.max
    pool.release(key, conn, reusable and request.options.keep_alive)
    exchange = Exchange(
        method=request.method,
        url=request.url,
        version=version,
        request_headers=headers,
        request_raw=data,
        request_body=prepared.body,
        added=added,
        status=head.status,
        reason=head.reason,
        response_version=head.version,
        response_headers=head.headers,
        informational=[(i.status, i.reason) for i in conn.interim] if conn.interim else [],
        timings=Timings(
            send=(sent - t_send) * 1000,
            wait=(first - sent) * 1000,
            receive=(end - first) * 1000,
        ),
        keep_alive=KeepAliveInfo(reusable, ka.timeout if ka else None, ka.max if ka else None),
    )
    _fill_body(exchange, sink)
    if request.version == "HTTP/2":
        exchange.warnings.append(
            "the server did not agree to HTTP/2 (ALPN chose http/1.1): sent over HTTP/1.1"
        )
    if proto.hop:  # lint_response reads only Connection / Keep-Alive on HTTP/1.x
        exchange.warnings.extend(_lint_response(head.version, tuple(proto.hop)))
    return exchange


async def _h2(
    conn: H2Connection,
    request: Request,
    extra: list[Header],
    sizes: Sizes,
    read_file: Callable[[str], bytes],
    pool: Pool,
    key: Key,
    reused: bool,
) -> Exchange:
    prepared = prepare(request, read_file=read_file, host_header=False, extra=extra)
    warnings: list[str] = []
    if request.version != "HTTP/2":  # lint() already warned for an explicit HTTP/2 request
        bad = h2_forbidden(request.headers)
        if bad:
            warnings.append(
                f"HTTP/2 was negotiated and forbids connection-specific headers ({', '.join(bad)}): not sent"
            )
    authority = request.header("host") or request.split_url.netloc.rsplit("@", 1)[-1]
    headers: list[Header] = [
        (":method", request.method),
        (":scheme", request.scheme),
        (":authority", authority),
        (":path", request.target),
    ]
    for name, value in prepared.headers:
        lower = name.lower()
        if lower in _H2_DROP or (lower == "te" and value.strip().lower() != "trailers"):
            continue
        headers.append((lower, value))
    added = prepared.added
    sink = sizes.sink()
    t_send = perf_counter()
    try:
        stream, sent = await conn.exchange(headers, prepared.body, sink, request.options.timeout)
    except BaseException as exc:
        sink.discard()
        if conn.closed:
            pool.forget(key, conn)
        if reused and getattr(exc, "unanswered", False) and request.method.upper() in IDEMPOTENT:
            raise _Stale(conn.id, exc) from None  # type: ignore[arg-type]
        raise
    end = perf_counter()
    first = stream.first_byte or sent
    if conn.closed or (not request.options.keep_alive and not conn.streams):
        pool.forget(key, conn)  # reuse off: close once no other stream needs it
    exchange = Exchange(
        method=request.method,
        url=request.url,
        version="HTTP/2",
        request_headers=headers,
        request_raw=None,
        request_body=prepared.body,
        added=added,
        status=stream.status,
        reason="",
        response_version="HTTP/2",
        response_headers=stream.headers,
        informational=stream.interim,
        timings=Timings(
            send=(sent - t_send) * 1000,
            wait=max(first - sent, 0.0) * 1000,
            receive=(end - max(first, sent)) * 1000,
        ),
        keep_alive=KeepAliveInfo(not conn.closed),
        warnings=warnings,
    )
    _fill_body(exchange, sink)
    exchange.warnings.extend(str(w) for w in lint_response("HTTP/2", stream.headers))
    return exchange


def _fill_body(exchange: Exchange, sink: BodySink) -> None:
    exchange.body_path = sink.path
    exchange.body = b"" if sink.path else sink.content()
    exchange.body_size = sink.size
    exchange.wire_size = sink.wire
    exchange.content_encoding = sink.encoding
    if sink.warning:
        exchange.warnings.append(sink.warning)
