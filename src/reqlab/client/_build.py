"""What both engines do around the wire, written once: turning a request into
what goes on a connection, and what came back into an :class:`Exchange`.

The async engine (``_exchange``) and the sync one (``_sync_exchange``) differ
only in how they wait; everything they record is built here from plain
values (perf_counter stamps, the sans-IO parser's state, the body sink), so
the record cannot drift between them.
"""

from __future__ import annotations

from collections.abc import Callable
from time import perf_counter
from typing import Any, Protocol

from reqlab.body import prepare
from reqlab.client._body import BodySink
from reqlab.client._proxy import Proxy
from reqlab.client._record import ConnectionInfo, Exchange, KeepAliveInfo, Timings
from reqlab.model import Header, Request
from reqlab.protocol.h1client import (
    Data,
    EndOfResponse,
    Event,
    H1Client,
    Informational,
    ResponseHead,
)
from reqlab.protocol.keepalive import h2_forbidden, lint, lint_response

IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
_H2_DROP = frozenset(
    ("host", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade")
)
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


# ----------------------------------------------------------------- HTTP/1.x
class H1Out:
    """An HTTP/1.x request ready to write: the bytes and what they were made of."""

    __slots__ = ("version", "headers", "added", "body", "data")

    def __init__(
        self,
        request: Request,
        extra: list[Header],
        read_file: ReadFile,
        proto: H1Client,
        forward: Proxy | None = None,
    ) -> None:
        version = request.version
        self.version = version if version in ("HTTP/1.0", "HTTP/1.1") else "HTTP/1.1"
        prepared = prepare(request, read_file=read_file)
        self.headers = list(prepared.headers)
        self.added = prepared.added
        if extra:
            self.headers += extra
            self.added += tuple(n for n, _ in extra)
        self.body = prepared.body
        target = request.target
        if forward is not None:  # through an HTTP proxy: absolute form, its credentials
            target = request.url.split("#", 1)[0]
            auth = forward.authorization()
            if auth is not None and not request.has_header("proxy-authorization"):
                self.headers.append(auth)
                self.added += (auth[0],)
        self.data = proto.send(request.method, target, self.version, self.headers, self.body)


def h1_record(
    request: Request,
    out: H1Out,
    proto: H1Client,
    interim: list[Informational],
    stamps: tuple[float, float, float, float],
    sink: BodySink,
    full: bool = True,
) -> Exchange:
    """The record of a finished HTTP/1.x exchange; ``stamps`` are perf_counter
    values: before writing, written, first response byte, response complete."""
    head = proto.head
    assert head is not None
    if not full:
        return bare_record(request, head.status, head.reason, head.version, head.headers, sink)
    ka = proto.keep_alive
    t_send, sent, first, end = stamps
    exchange = Exchange(
        method=request.method,
        url=request.url,
        version=out.version,
        request_headers=out.headers,
        request_raw=out.data,
        request_body=out.body,
        added=out.added,
        status=head.status,
        reason=head.reason,
        response_version=head.version,
        response_headers=head.headers,
        informational=[(i.status, i.reason) for i in interim] if interim else [],
        timings=Timings(
            send=(sent - t_send) * 1000,
            wait=(first - sent) * 1000,
            receive=(end - first) * 1000,
        ),
        keep_alive=KeepAliveInfo(
            proto.reusable,
            ka.timeout if ka else None,
            ka.max if ka else None,
        ),
    )
    fill_body(exchange, sink)
    if request.version == "HTTP/2":
        exchange.warnings.append(
            "the server did not agree to HTTP/2 (ALPN chose http/1.1): sent over HTTP/1.1"
        )
    if proto.hop:  # lint_response reads only Connection / Keep-Alive on HTTP/1.x
        exchange.warnings.extend(response_lint(head.version, tuple(proto.hop)))
    return exchange


# ------------------------------------------------------------------ HTTP/2
class H2Out:
    """An HTTP/2 request: header list (pseudo-headers first) and body."""

    __slots__ = ("headers", "added", "body", "warnings")

    def __init__(self, request: Request, extra: list[Header], read_file: ReadFile) -> None:
        prepared = prepare(request, read_file=read_file, host_header=False)
        self.warnings: list[str] = []
        if request.version != "HTTP/2":  # lint() already warned for an explicit HTTP/2 request
            bad = h2_forbidden(request.headers)
            if bad:
                self.warnings.append(
                    f"HTTP/2 was negotiated and forbids connection-specific headers ({', '.join(bad)}): not sent"
                )
        authority = request.header("host") or request.split_url.netloc.rsplit("@", 1)[-1]
        self.headers: list[Header] = [
            (":method", request.method),
            (":scheme", request.scheme),
            (":authority", authority),
            (":path", request.target),
        ]
        for name, value in [*prepared.headers, *extra]:
            lower = name.lower()
            if lower in _H2_DROP or (lower == "te" and value.strip().lower() != "trailers"):
                continue
            self.headers.append((lower, value))
        self.added = prepared.added + tuple(n for n, _ in extra)
        self.body = prepared.body


class H2Answer(Protocol):
    status: int
    headers: list[Header]
    interim: list[tuple[int, str]]
    first_byte: float
    sink: BodySink


def h2_record(
    request: Request,
    out: H2Out,
    stream: H2Answer,
    stamps: tuple[float, float, float],
    persistent: bool,
    full: bool = True,
) -> Exchange:
    """The record of a finished HTTP/2 stream; stamps: before sending, sent, complete."""
    if not full:
        return bare_record(request, stream.status, "", "HTTP/2", stream.headers, stream.sink)
    t_send, sent, end = stamps
    first = stream.first_byte or sent
    exchange = Exchange(
        method=request.method,
        url=request.url,
        version="HTTP/2",
        request_headers=out.headers,
        request_raw=None,
        request_body=out.body,
        added=out.added,
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
        keep_alive=KeepAliveInfo(persistent),
        warnings=out.warnings,
    )
    fill_body(exchange, stream.sink)
    exchange.warnings.extend(str(w) for w in lint_response("HTTP/2", stream.headers))
    return exchange


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


def deliver(
    proto: H1Client, events: list[Event], sink: BodySink, interim: list[Informational]
) -> bool:
    """Hand the parser's events to the body sink; True once the response ended."""
    done = False
    for event in events:
        kind = type(event)
        if kind is Data:
            sink.write(event.data)  # type: ignore[union-attr]
        elif kind is ResponseHead:
            sink.start(proto.content_encoding)
        elif kind is EndOfResponse:
            done = True
        else:
            interim.append(event)  # type: ignore[arg-type]
    return done
