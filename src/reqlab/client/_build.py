"""What both engines do around an exchange, written once: body limits, the
retry of a stale connection, pool keys, lint, and finishing the record with
what the pool knows (the wire formats themselves are in ``_wire``).

The async engine (``_exchange``) and the sync one (``_sync_exchange``) differ
only in how they wait; everything they record is built here from plain
values (perf_counter stamps, the sans-IO parser's state, the body sink), so
the record cannot drift between them.
"""

from __future__ import annotations

from collections.abc import Callable
from time import perf_counter
from typing import Any, Protocol

from reqlab.client._body import BodySink
from reqlab.client._record import ConnectionInfo, Exchange
from reqlab.model import Header, Request
from reqlab.protocol.keepalive import lint, lint_response

IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
Key = tuple[str, str, int, bool]
ReadFile = Callable[[str], bytes]


class Sizes:
    """Body limits of a client, and whether it keeps the full record.

    ``record`` is an internal switch for the benchmark that prices the record
    (``benchmarks/client.py``): off, an exchange keeps only what a
    :class:`Response` reads (status, headers, body), no timings, connection,
    raw bytes or warnings.
    """

    def __init__(
        self, max_body: int | None, spool_size: int, spool_dir: str | None, record: bool = True
    ) -> None:
        self.max_body = max_body
        self.spool_size = spool_size
        self.spool_dir = spool_dir
        self.record = record

    def sink(self) -> BodySink:
        return BodySink(self.max_body, self.spool_size, self.spool_dir)


class Stale(Exception):
    """A reused connection closed before any response byte: retry once."""

    def __init__(self, conn_id: int, error: Exception) -> None:
        self.conn_id = conn_id
        self.error = error

    def note(self, method: str) -> str:
        return (
            f"reused connection #{self.conn_id} was closed by the server before any response "
            f"byte ({self.error}); {method} is idempotent, so it was retried once on a new connection"
        )


class Opening(Protocol):
    """How a connection was opened (either engine's connector)."""

    dns: float
    connect: float
    tls: float
    tunnel: float


class Carrier(Protocol):
    """A pooled connection as the record sees it."""

    info: ConnectionInfo | None
    requests: int


# A few remembered answers: the same headers come back request after request.
_KEYS: dict[tuple[str, bool], Key] = {}
_LINTS: dict[tuple[Any, ...], list[str]] = {}


def _remember(cache: dict[Any, Any], key: Any, make: Callable[[], Any]) -> Any:
    found = cache.get(key)
    if found is None:
        if len(cache) > 1024:
            cache.clear()
        found = cache[key] = make()
    return found


def pool_key(request: Request) -> Key:
    """(scheme, host, port, verify), remembered per URL: parsing it is not free."""
    url, verify = request.url, request.options.verify
    key: Key = _remember(
        _KEYS, (url, verify), lambda: (request.scheme, request.host, request.port, verify)
    )
    return key


def request_lint(request: Request) -> list[str]:
    """``lint(request)`` as text; it reads only the version, headers and reuse option."""
    key = ("req", request.version, request.headers, request.options.keep_alive)
    found: list[str] = _remember(_LINTS, key, lambda: [str(w) for w in lint(request)])
    return list(found)


def response_lint(version: str, hop: tuple[Header, ...]) -> list[str]:
    key = ("resp", version, hop)
    found: list[str] = _remember(_LINTS, key, lambda: [str(w) for w in lint_response(version, hop)])
    return found


# ------------------------------------------------------------------- both
def bare_record(
    request: Request,
    status: int,
    reason: str,
    version: str,
    headers: list[Header],
    sink: BodySink,
) -> Exchange:
    """Only what a Response reads: the record switched off (benchmarks)."""
    exchange = Exchange(
        method=request.method,
        url=request.url,
        version=version,
        request_headers=[],
        request_raw=None,
        request_body=b"",
        added=(),
        status=status,
        reason=reason,
        response_version=version,
        response_headers=headers,
    )
    exchange.body = sink.content()
    exchange.body_path = sink.path
    return exchange


def fill_body(exchange: Exchange, sink: BodySink) -> None:
    exchange.body_path = sink.path
    exchange.body = b"" if sink.path else sink.content()
    exchange.body_size = sink.size
    exchange.wire_size = sink.wire
    exchange.content_encoding = sink.encoding
    if sink.warning:
        exchange.warnings.append(sink.warning)


def finish(
    exchange: Exchange,
    request: Request,
    conn: Carrier,
    reused: bool,
    opened: Opening | None,
    t0: float,
    notes: list[str],
    full: bool = True,
) -> Exchange:
    """Add what the pool knows: connection, phases of opening it, total, notes."""
    if not full:
        return exchange
    t_end = perf_counter()
    timings = exchange.timings
    if opened is not None:
        timings.dns, timings.connect, timings.tls = opened.dns, opened.connect, opened.tls
        timings.tunnel = opened.tunnel
    # Time spent in the pool (checks, waiting for a shared HTTP/2 connection)
    # belongs to no phase; it counts in total only.
    timings.total = (t_end - t0) * 1000
    info = conn.info
    assert info is not None
    exchange.connection = ConnectionInfo(
        id=info.id,
        reused=reused,
        local=info.local,
        remote=info.remote,
        tls=info.tls,
        http_version=info.http_version,
        requests=conn.requests,
        proxy=info.proxy,
    )
    exchange.warnings = request_lint(request) + notes + exchange.warnings
    if not request.options.keep_alive and exchange.keep_alive.persistent:
        exchange.warnings.append("connection reuse is off: closed after this exchange")
    return exchange
