"""One streamed exchange on the sync engine: head now, body as it is asked for.

Same pool, request bytes and record as :func:`send_exchange_sync`; the
exchange record is built when the head arrives (so redirects and cookies
work as for any response) and completed when the stream ends or is closed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from time import monotonic, perf_counter
from typing import TYPE_CHECKING, Any

from reqlab.client._base import (
    USE_CLIENT_DEFAULT,
    AuthTypes,
    ClientBase,
    UseClientDefault,
    read_file,
)
from reqlab.client._build import (
    IDEMPOTENT,
    Key,
    ReadFile,
    Sizes,
    Stale,
    finish,
    pool_key,
)
from reqlab.client._h3pool import Route
from reqlab.client._params import DataTypes, FileTypes, HeaderTypes, ParamTypes
from reqlab.client._record import Exchange
from reqlab.client._response import Response
from reqlab.client._session import session_flow, timed_out
from reqlab.client._stream import EARLY_CLOSE, StreamSink, broke_off, close_record
from reqlab.client._sync_h1 import SyncH1Connection
from reqlab.client._sync_pool import SyncPool
from reqlab.client._transport import BaseTransport
from reqlab.client._wire import H1Out, H2Out, h1_record, h2_record
from reqlab.errors import RemoteProtocolError, RequestTimeout
from reqlab.model import Header, Request

if TYPE_CHECKING:
    from reqlab.client._sse import EventSource


class SyncStreamed:
    """A response whose body is still on the wire."""

    def __init__(
        self,
        pool: SyncPool,
        request: Request,
        extra: list[Header],
        sizes: Sizes,
        read_file: ReadFile,
    ) -> None:
        self.pool, self.request, self.sizes = pool, request, sizes
        self.t0 = perf_counter()
        self.timeout = request.options.timeout
        self.conn: Any = None  # SyncH1Connection, SyncH2Connection or SyncH3Connection
        self.h3 = False
        notes: list[str] = []
        try:
            self.exchange = self._open(extra, read_file, notes, False)
        except Stale as stale:
            notes.append(stale.note(request.method))
            self.exchange = self._open(extra, read_file, notes, True)
            self.exchange.retried = True

    def _open(
        self, extra: list[Header], read_file: ReadFile, notes: list[str], fresh: bool
    ) -> Exchange:
        request, options = self.request, self.request.options
        self.key: Key = pool_key(request)
        route = self.pool.h3.route(request, self.key)
        if route is not None:
            return self._open_h3(route, extra, read_file, notes)
        conn, reused, opened = self.pool.acquire(
            self.key,
            request.version,
            options.connect_timeout or options.timeout,
            notes,
            fresh=fresh or not options.keep_alive,
        )
        self.conn = conn
        self.sink = sink = StreamSink(self.sizes.max_body)
        t_send = perf_counter()
        if isinstance(conn, SyncH1Connection):
            out = H1Out(request, extra, read_file, conn.proto, conn.forward, conn.close)
            try:
                sent, self.first, self.ended = conn.begin(out.data, sink, self.timeout)
            except RemoteProtocolError as exc:
                if reused and conn.proto.received == 0 and request.method.upper() in IDEMPOTENT:
                    raise Stale(conn.id, exc) from None
                raise
            now = perf_counter()
            exchange = h1_record(
                request,
                out,
                conn.proto,
                conn.interim,
                (t_send, sent, self.first, now),
                sink,
                self.sizes.record,
            )
        else:
            out2 = H2Out(request, extra, read_file)
            try:
                self.stream_id, self.stream, sent = conn.begin(
                    out2.headers, out2.body, sink, self.timeout
                )
            except BaseException as exc:
                if conn.closed:
                    self.pool.forget(self.key, conn)
                unanswered = getattr(exc, "unanswered", False)
                if reused and unanswered and request.method.upper() in IDEMPOTENT:
                    raise Stale(conn.id, exc) from None  # type: ignore[arg-type]
                raise
            self.first = self.stream.first_byte or sent
            self.ended = self.stream.ended
            now = perf_counter()
            exchange = h2_record(
                request, out2, self.stream, (t_send, sent, now), True, self.sizes.record
            )
        return finish(exchange, request, conn, reused, opened, self.t0, notes, self.sizes.record)

    def _open_h3(
        self, route: Route, extra: list[Header], read_file: ReadFile, notes: list[str]
    ) -> Exchange:
        """The HTTP/3 twin of the HTTP/2 branch: a stream on the origin's QUIC
        connection, pumped until its head; the body is left to :meth:`chunks`."""
        from reqlab.client._h3record import finish_h3
        from reqlab.client._sync_h3 import acquire_h3_sync

        request = self.request
        conn, opened, early_note = acquire_h3_sync(self.pool, request, self.key, route, notes)
        self.conn, self.h3 = conn, True
        self.sink = sink = StreamSink(self.sizes.max_body)
        out = H2Out(request, extra, read_file)
        t_send = perf_counter()
        zero_rtt = not conn.handshake_done
        self.stream_id, self.stream = conn.open(out.headers, out.body, sink)
        stream = self.stream
        conn.flush()
        sent = perf_counter()
        try:
            self._pump_h3(lambda: bool(stream.status) or stream.ended)
        except BaseException:
            if conn.closed:
                self.pool.h3.forget(self.key, conn)
            raise
        self.first = stream.first_byte or sent
        self.ended = stream.ended
        stamps = (t_send, sent, perf_counter())
        return finish_h3(
            request,
            out,
            stream,
            stamps,
            conn,
            opened,
            zero_rtt,
            early_note,
            route.reason,
            self.t0,
            notes,
            self.sizes.record,
        )

    def _pump_h3(self, done: Callable[[], bool]) -> bool:
        """Drive the QUIC connection until ``done()``; True once the stream ended."""
        conn, stream, timeout = self.conn, self.stream, self.timeout
        deadline = None if timeout is None else monotonic() + timeout
        if not conn.pump(done, deadline):
            phase = "receive" if stream.status else "wait"
            conn.reset(self.stream_id)
            conn.end(self.stream_id, RequestTimeout(phase, timeout))
            conn.flush()
            raise RequestTimeout(phase, timeout)
        if not stream.ended and conn.closed:  # the connection ended first
            conn.end(self.stream_id, conn.error)
        if stream.error is not None:
            raise stream.error
        return bool(stream.ended)

    def chunks(self) -> Iterator[bytes]:
        """The decoded body, chunk by chunk as it comes off the wire."""
        try:
            yield from self.sink.take()
            while not self.ended:
                self.ended = self._pump()
                yield from self.sink.take()
        except Exception as exc:  # not closed early by the caller: cut short
            self.broken: Exception | None = exc
            raise
        finally:
            self.close()

    def _pump(self) -> bool:
        conn = self.conn
        if self.h3:
            return self._pump_h3(lambda: bool(self.sink.pending) or self.stream.ended)
        if isinstance(conn, SyncH1Connection):
            return bool(conn.pump(self.sink, self.timeout))
        return bool(conn.pump(self.stream_id, self.stream, self.timeout))

    def close(self) -> None:
        """Finish the record; a stream closed early costs its connection."""
        if getattr(self, "_closed", False):
            return
        self._closed = True
        conn, request = self.conn, self.request
        if not self.ended:
            broken = getattr(self, "broken", None)
            self.exchange.warnings.append(EARLY_CLOSE if broken is None else broke_off(broken))
            if isinstance(conn, SyncH1Connection):
                conn.close()
            else:
                conn.reset(self.stream_id)
                conn.streams.pop(self.stream_id, None)
                if self.h3:
                    conn.flush()  # the RESET_STREAM leaves now
        elif isinstance(conn, SyncH1Connection):
            self.pool.release(self.key, conn, conn.proto.reusable and request.options.keep_alive)
            self.exchange.keep_alive.persistent = conn.proto.reusable
        if self.h3:
            if conn.closed or not request.options.keep_alive:
                self.pool.h3.forget(self.key, conn)
            if not request.options.keep_alive:
                conn.close()
        elif not isinstance(conn, SyncH1Connection) and (
            conn.closed or not request.options.keep_alive
        ):
            self.pool.forget(self.key, conn)
        close_record(self.exchange, self.sink, self.first, perf_counter(), self.t0)
        if self.exchange.connection is not None:
            self.exchange.connection.requests = conn.requests


class SyncStreaming(ClientBase):
    """``Client.stream()``: the session flow with streamed exchanges."""

    pool: SyncPool
    transport: BaseTransport | None
    _lock: threading.Lock

    def _exchange(self, request: Request, extra: list[Header]) -> Exchange:
        raise NotImplementedError

    @contextmanager
    def stream(
        self,
        method: str,
        url: str,
        *,
        params: ParamTypes | None = None,
        headers: HeaderTypes | None = None,
        content: bytes | str | None = None,
        data: DataTypes | None = None,
        files: FileTypes | None = None,
        json: Any = None,
        auth: AuthTypes | None = None,
        timeout: float | None | UseClientDefault = USE_CLIENT_DEFAULT,
        follow_redirects: bool | UseClientDefault = USE_CLIENT_DEFAULT,
        version: str | None | UseClientDefault = USE_CLIENT_DEFAULT,
    ) -> Iterator[Response]:
        """Send a request and give the response before its body is read:
        ``iter_bytes()``, ``iter_text()``, ``iter_lines()`` or ``read()``.
        The timeout covers the response head, then each read."""
        request = self.build_request(
            method,
            url,
            params=params,
            headers=headers,
            content=content,
            data=data,
            files=files,
            json=json,
            auth=auth,
            timeout=timeout,
            follow_redirects=follow_redirects,
            version=version,
        )
        response = self._open_stream(request)
        try:
            yield response
        finally:
            response.close()

    def sse(
        self,
        method_or_url: str,
        url: str | None = None,
        *,
        params: ParamTypes | None = None,
        headers: HeaderTypes | None = None,
        content: bytes | str | None = None,
        data: DataTypes | None = None,
        json: Any = None,
        auth: AuthTypes | None = None,
        timeout: float | None | UseClientDefault = USE_CLIENT_DEFAULT,
        follow_redirects: bool | UseClientDefault = USE_CLIENT_DEFAULT,
        version: str | None | UseClientDefault = USE_CLIENT_DEFAULT,
        last_event_id: str = "",
        reconnect: bool = True,
        retry: float = 3000.0,
        max_reconnects: int = 5,
        comments: bool = False,
        max_event: int = 16 * 1024 * 1024,
    ) -> EventSource:
        """Server-Sent Events from ``sse(URL)`` (a GET) or ``sse(METHOD, URL, ...)``.

        Iterate it (``for event in events``), in a ``with`` block to close it early; each connection is one streamed exchange of
        this client (``.exchanges``, and ``.connections``: attempt, Last-Event-ID
        sent, wait, status, events, how it ended).  A stream that ends or breaks
        after ``200 text/event-stream`` is reopened after the server's ``retry:``
        (else ``retry`` ms) with ``Last-Event-ID``; a 204 ends it; another status
        or type raises; ``max_reconnects`` reopenings in a row without an event
        raise.  ``timeout`` bounds the head, then each wait for more (a quiet
        stream past it is reopened)."""
        from reqlab.client._sse import EventSource, split_args

        method, target = split_args(method_or_url, url)
        request = self.build_request(
            method,
            target,
            params=params,
            headers=headers,
            content=content,
            data=data,
            json=json,
            auth=auth,
            timeout=timeout,
            follow_redirects=follow_redirects,
            version=version,
        )
        options = {
            "last_event_id": last_event_id,
            "reconnect": reconnect,
            "retry": retry,
            "max_reconnects": max_reconnects,
            "comments": comments,
            "max_event": max_event,
        }
        return EventSource(self, request, options)  # type: ignore[arg-type]

    def _open_stream(self, request: Request) -> Response:
        flow = session_flow(self.session, request)
        streamed: SyncStreamed | None = None
        with self._lock:
            try:
                sent, extra = next(flow)
                while True:
                    self._before(sent)
                    if self.transport is not None:
                        streamed, exchange = None, self._exchange(sent, extra)
                    else:
                        streamed = SyncStreamed(self.pool, sent, extra, self.sizes, read_file)
                        exchange = streamed.exchange
                        if sent is self.session.side:  # a token request: the auth reads it
                            exchange.body = b"".join(streamed.chunks())
                    sent, extra = flow.send(exchange)
                    if streamed is not None:  # a hop (redirect, challenge): read it through
                        for _ in streamed.chunks():
                            pass
            except StopIteration as stop:
                response: Response = stop.value
            except RequestTimeout as exc:
                timed_out(flow, exc)
        response._stream = streamed
        self._after(response)
        return response
