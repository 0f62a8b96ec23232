"""The two wire formats as both engines write and record them: an HTTP/1.x
request (:class:`H1Out`) and its record (:func:`h1_record`), an HTTP/2 one
(:class:`H2Out`, :func:`h2_record`), and :func:`deliver`, which hands the
sans-IO parser's events to a body sink.  Plain values in (perf_counter
stamps, parser state, the sink), an :class:`Exchange` out.
"""

from __future__ import annotations

from typing import Protocol

from reqlab.body import prepare
from reqlab.client._body import BodySink
from reqlab.client._build import ReadFile, bare_record, fill_body, response_lint
from reqlab.client._proxy import Proxy
from reqlab.client._record import Exchange, KeepAliveInfo, Timings
from reqlab.model import Header, Request
from reqlab.protocol.h1client import (
    Data,
    EndOfResponse,
    Event,
    H1Client,
    Informational,
    ResponseHead,
)
from reqlab.protocol.keepalive import h2_forbidden, lint_response

_H2_DROP = frozenset(
    ("host", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade")
)


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
