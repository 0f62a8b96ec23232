"""One streamed exchange on the async engine: head now, body as it is asked for.

The twin of ``_sync_stream``: the same pool, request bytes and record; the
connection hands body bytes to a :class:`StreamSink`, whose news wakes the
reader.  The timeout covers the response head, then each wait for more.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from time import perf_counter
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
from reqlab.client._h1 import H1Connection
from reqlab.client._h3pool import Route
from reqlab.client._params import DataTypes, FileTypes, HeaderTypes, ParamTypes
from reqlab.client._pool import Pool
from reqlab.client._record import Exchange
from reqlab.client._response import Response
from reqlab.client._session import session_flow, timed_out
from reqlab.client._stream import EARLY_CLOSE, StreamSink, broke_off, close_record
from reqlab.client._transport import AsyncBaseTransport
from reqlab.client._wire import H1Out, H2Out, h1_record, h2_record
from reqlab.errors import RemoteProtocolError, RequestTimeout
from reqlab.model import Header, Request

if TYPE_CHECKING:
    from reqlab.client._sse import AsyncEventSource


class AsyncStreamed:
    """A response whose body is still on the wire."""

    def __init__(self, pool: Pool, request: Request, sizes: Sizes) -> None:
        self.pool, self.request, self.sizes = pool, request, sizes
        self.t0 = perf_counter()
        self.timeout = request.options.timeout
        self.closed = False
        self._news: asyncio.Future[None] | None = None
        self.conn: Any = None  # H1Connection, H2Connection or AsyncH3Connection
        self.h3 = False

    async def open(self, extra: list[Header], read_file: ReadFile) -> Exchange:
        notes: list[str] = []
        try:
            self.exchange = await self._open(extra, read_file, notes, False)
        except Stale as stale:
            notes.append(stale.note(self.request.method))
            self.exchange = await self._open(extra, read_file, notes, True)
            self.exchange.retried = True
        return self.exchange

    def _wake(self) -> None:
        if self._news is not None and not self._news.done():
            self._news.set_result(None)

    async def _wait(self) -> None:
        """Until the sink has news or the response ended (or the timeout)."""
        if self.done.done():
            return
        self._news = asyncio.get_running_loop().create_future()
        finished, _ = await asyncio.wait(
            {self._news, self.done}, timeout=self.timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if not finished:
            phase = "receive" if self._first() else "wait"
            self._abandon()
            raise RequestTimeout(phase, self.timeout)

    def _first(self) -> float:
        conn = self.conn
        return conn.first_byte if isinstance(conn, H1Connection) else self.stream.first_byte

    async def _open(
        self, extra: list[Header], read_file: ReadFile, notes: list[str], fresh: bool
    ) -> Exchange:
        request, options = self.request, self.request.options
        self.key: Key = pool_key(request)
        route = self.pool.h3.route(request, self.key)
        if route is not None:
            return await self._open_h3(route, extra, read_file, notes)
        conn, reused, opened = await self.pool.acquire(
            self.key,
            request.version,
            options.connect_timeout or options.timeout,
            notes,
            fresh=fresh or not options.keep_alive,
        )
        self.conn = conn
        self.sink = sink = StreamSink(self.sizes.max_body)
        sink.on_news = self._wake
        t_send = perf_counter()
        if isinstance(conn, H1Connection):
            out = H1Out(request, extra, read_file, conn.proto, conn.forward, conn.close)
            self.done, sent = await conn.begin(out.data, sink)
            try:
                while conn.proto.head is None and not self.done.done():
                    await self._wait()
                if conn.proto.head is None:  # ended before its head; after it, chunks() raises
                    self.done.result()
            except RemoteProtocolError as exc:
                conn.end_stream()
                conn.close()
                if reused and conn.proto.received == 0 and request.method.upper() in IDEMPOTENT:
                    raise Stale(conn.id, exc) from None
                raise
            stamps = (t_send, sent, conn.first_byte or sent, perf_counter())
            exchange = h1_record(
                request, out, conn.proto, conn.interim, stamps, sink, self.sizes.record
            )
        else:
            out2 = H2Out(request, extra, read_file)
            self.stream_id, self.stream = conn.open(out2.headers, sink, end_stream=not out2.body)
            self.done = self.stream.done = asyncio.get_running_loop().create_future()
            await conn.send_body(self.stream_id, out2.body)
            sent = perf_counter()
            try:
                while not self.stream.status and not self.done.done():
                    await self._wait()
                if not self.stream.status:  # ended before its head; after it, chunks() raises
                    self.done.result()
            except BaseException as exc:
                if conn.closed:
                    self.pool.forget(self.key, conn)
                unanswered = getattr(exc, "unanswered", False)
                if reused and unanswered and request.method.upper() in IDEMPOTENT:
                    raise Stale(conn.id, exc) from None  # type: ignore[arg-type]
                raise
            exchange = h2_record(
                request, out2, self.stream, (t_send, sent, perf_counter()), True, self.sizes.record
            )
        return finish(exchange, request, conn, reused, opened, self.t0, notes, self.sizes.record)

    async def _open_h3(
        self, route: Route, extra: list[Header], read_file: ReadFile, notes: list[str]
    ) -> Exchange:
        """The HTTP/3 twin of the HTTP/2 branch: a stream on the origin's QUIC
        connection, the head awaited, the body left to :meth:`chunks`."""
        from reqlab.client._h3 import acquire_h3
        from reqlab.client._h3record import finish_h3

        request = self.request
        conn, opened, early_note = await acquire_h3(self.pool, request, self.key, route, notes)
        self.conn, self.h3 = conn, True
        self.sink = sink = StreamSink(self.sizes.max_body)
        sink.on_news = self._wake
        out = H2Out(request, extra, read_file)
        t_send = perf_counter()
        zero_rtt = not conn.handshake_done
        self.stream_id, self.stream = conn.open(out.headers, out.body, sink)
        self.done = self.stream.done = asyncio.get_running_loop().create_future()
        conn.transmit_soon()
        sent = perf_counter()
        try:
            while not self.stream.status and not self.done.done():
                await self._wait()
            if self.done.done():
                self.done.result()
        except BaseException:
            if conn.closed:
                self.pool.h3.forget(self.key, conn)
            raise
        stamps = (t_send, sent, perf_counter())
        return finish_h3(
            request,
            out,
            self.stream,
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

    async def chunks(self) -> AsyncIterator[bytes]:
        """The decoded body, chunk by chunk as it comes off the wire."""
        try:
            while True:
                for chunk in self.sink.take():
                    yield chunk
                if self.done.done():
                    self.done.result()  # raises what ended the response badly
                    for chunk in self.sink.take():
                        yield chunk
                    return
                await self._wait()
        finally:
            self.close()

    def _abandon(self) -> None:
        conn = self.conn
        if isinstance(conn, H1Connection):
            conn.end_stream()
            conn.close()
        else:
            conn.reset(self.stream_id)
            conn.streams.pop(self.stream_id, None)
            if self.h3:
                conn.transmit()  # the RESET_STREAM leaves now

    def close(self) -> None:
        """Finish the record; a stream closed early costs its connection."""
        if self.closed:
            return
        self.closed = True
        conn, request = self.conn, self.request
        ended = self.done.done() and self.done.exception() is None
        if not self.done.done():
            self.exchange.warnings.append(EARLY_CLOSE)
            self._abandon()
        elif (broken := self.done.exception()) is not None:  # cut short by the server
            self.exchange.warnings.append(broke_off(broken))
        elif isinstance(conn, H1Connection):
            conn.end_stream()
            reusable = ended and conn.proto.reusable and request.options.keep_alive
            self.pool.release(self.key, conn, reusable)
            self.exchange.keep_alive.persistent = conn.proto.reusable
        if self.h3:
            if conn.closed or not request.options.keep_alive:
                self.pool.h3.forget(self.key, conn)
            if not request.options.keep_alive:
                conn.close()
        elif not isinstance(conn, H1Connection) and (conn.closed or not request.options.keep_alive):
            self.pool.forget(self.key, conn)
        first = self._first() or perf_counter()
        close_record(self.exchange, self.sink, first, perf_counter(), self.t0)
        if self.exchange.connection is not None:
            self.exchange.connection.requests = conn.requests


class AsyncStreaming(ClientBase):
    """``AsyncClient.stream()``: the session flow with streamed exchanges."""

    pool: Pool
    transport: AsyncBaseTransport | None

    async def _exchange(self, request: Request, extra: list[Header]) -> Exchange:
        raise NotImplementedError

    @staticmethod
    async def _hooks(hooks: list[Any], arg: object) -> None:
        for hook in hooks:
            result = hook(arg)
            if inspect.isawaitable(result):
                await result

    @asynccontextmanager
    async def stream(
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
    ) -> AsyncIterator[Response]:
        """Send a request and give the response before its body is read:
        ``aiter_bytes()``, ``aiter_text()``, ``aiter_lines()`` or ``aread()``.
        The timeout covers the response head, then each wait for more."""
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
        response = await self._open_stream(request)
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
    ) -> AsyncEventSource:
        """Server-Sent Events from ``sse(URL)`` (a GET) or ``sse(METHOD, URL, ...)``.

        Iterate it (``async for event in events``), in an ``async with`` block to close it early; each connection is one streamed exchange of
        this client (``.exchanges``, and ``.connections``: attempt, Last-Event-ID
        sent, wait, status, events, how it ended).  A stream that ends or breaks
        after ``200 text/event-stream`` is reopened after the server's ``retry:``
        (else ``retry`` ms) with ``Last-Event-ID``; a 204 ends it; another status
        or type raises; ``max_reconnects`` reopenings in a row without an event
        raise.  ``timeout`` bounds the head, then each wait for more (a quiet
        stream past it is reopened)."""
        from reqlab.client._sse import AsyncEventSource, split_args

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
        return AsyncEventSource(self, request, options)  # type: ignore[arg-type]

    async def _open_stream(self, request: Request) -> Response:
        flow = session_flow(self.session, request)
        streamed: AsyncStreamed | None = None
        try:
            sent, extra = next(flow)
            while True:
                await self._hooks(self.request_hooks, sent)
                if self.transport is not None:
                    streamed, exchange = None, await self._exchange(sent, extra)
                else:
                    streamed = AsyncStreamed(self.pool, sent, self.sizes)
                    exchange = await streamed.open(extra, read_file)
                    if sent is self.session.side:  # a token request: the auth reads it
                        exchange.body = b"".join([c async for c in streamed.chunks()])
                sent, extra = flow.send(exchange)
                if streamed is not None:  # a hop (redirect, challenge): read it through
                    async for _ in streamed.chunks():
                        pass
        except StopIteration as stop:
            response: Response = stop.value
        except RequestTimeout as exc:
            timed_out(flow, exc)
        response._astream = streamed
        await self._hooks(self.response_hooks, response)
        return response
