"""Server-Sent Events client: an async iterator with reconnects and ``Last-Event-ID``.

    from reqlab.sse import EventStream

    async with EventStream("http://127.0.0.1:8081/sse?count=5&interval=0.1") as stream:
        async for event in stream:
            print(event.id, event.event, event.data)
        print(stream.connections)   # one record per connection: timings, how it ended

Each connection goes through :func:`reqlab.client.open_connection` (DNS,
TCP, TLS timed) and the sans-IO HTTP/1.1 client core; the body is fed to
:class:`reqlab.protocol.sse.SSEParser` as it arrives, so events come out as
soon as their blank line does.  As the WHATWG EventSource does, a stream
that ends (or breaks) after a ``200 text/event-stream`` is reopened after
the server's ``retry:`` time (else ``retry`` ms) with ``Last-Event-ID``; a
``204`` ends it for good; any other status or type is an error.  After
``max_reconnects`` reopenings in a row without an event, the iterator raises.
Those rules are :class:`reqlab.protocol.eventsource.EventSourceState`'s,
shared with ``Client.sse()`` and ``AsyncClient.sse()``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from time import perf_counter
from urllib.parse import urlsplit

from reqlab.client import open_connection
from reqlab.errors import InvalidRequest, RemoteProtocolError, RequestTimeout, TransportError
from reqlab.protocol.eventsource import ConnectionRecord, EventSourceState
from reqlab.protocol.h1client import Data, EndOfResponse, H1Client, ResponseHead
from reqlab.protocol.sse import Comment, SSEEvent

__all__ = ["Comment", "ConnectionRecord", "EventStream", "SSEEvent"]

Header = tuple[str, str]


class _Reader:
    """Bytes from the transport onto a queue (None at the end)."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[bytes | None] = asyncio.Queue()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        pass

    def data_received(self, data: bytes) -> None:
        self.queue.put_nowait(data)

    def eof_received(self) -> bool:
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.queue.put_nowait(None)

    def pause_writing(self) -> None: ...

    def resume_writing(self) -> None: ...


class EventStream:
    """``async for`` over the events of ``url``, reconnecting as EventSource does."""

    def __init__(
        self,
        url: str,
        *,
        headers: Sequence[Header] = (),
        last_event_id: str = "",
        reconnect: bool = True,
        retry: float = 3000.0,
        max_reconnects: int = 5,
        timeout: float | None = 10.0,
        read_timeout: float | None = None,
        comments: bool = False,
        max_event: int = 16 * 1024 * 1024,
        verify: bool = True,
        cafile: str | None = None,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidRequest("url", f"an event stream URL is http:// or https://, not {url!r}")
        self.url = url
        self._tls = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port or (443 if self._tls else 80)
        self._target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._authority = parts.netloc.rpartition("@")[2]
        self.headers = list(headers)
        self.state = EventSourceState(
            url, last_event_id=last_event_id, reconnect=reconnect, retry=retry,
            max_reconnects=max_reconnects, comments=comments, max_event=max_event,
        )  # fmt: skip
        self.parser = self.state.parser
        self.connections: list[ConnectionRecord] = self.state.connections
        self.timeout = timeout
        self.read_timeout = read_timeout
        self._verify, self._cafile = verify, cafile
        self._transport: asyncio.Transport | None = None

    async def __aenter__(self) -> EventStream:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    async def __aiter__(self) -> AsyncIterator[SSEEvent | Comment]:
        state = self.state
        while True:
            rec = state.begin()
            try:
                async for item in self._one(rec):
                    yield item
            except (TransportError, OSError) as exc:
                state.failed(rec, exc)
            finally:
                await self.aclose()
            waited = state.next_wait(rec)
            if waited is None:
                return
            await asyncio.sleep(waited / 1000)

    async def _one(self, rec: ConnectionRecord) -> AsyncIterator[SSEEvent | Comment]:
        opened = await open_connection(
            self._host, self._port, tls=self._tls, verify=self._verify,
            cafile=self._cafile, alpn=("http/1.1",), timeout=self.timeout,
        )  # fmt: skip
        rec.dns, rec.connect, rec.tls = opened.dns, opened.connect, opened.tls
        reader = _Reader()
        opened.transport.set_protocol(reader)  # type: ignore[arg-type]
        self._transport = opened.transport
        if opened.buffered:
            reader.data_received(opened.buffered)
        h1 = H1Client()
        sent = [("Host", self._authority), *self.state.request_headers(), *self.headers]
        t0 = perf_counter()
        opened.transport.write(h1.send("GET", self._target, "HTTP/1.1", sent))
        while True:
            chunk = await self._read(reader, self.timeout if rec.status == 0 else self.read_timeout)
            try:
                events = h1.receive_data(chunk or b"")
            except RemoteProtocolError as exc:
                if rec.status == 0:
                    raise
                rec.ended = f"connection lost: {exc}"
                return
            for ev in events:
                if isinstance(ev, ResponseHead):
                    rec.first_byte = (perf_counter() - t0) * 1000
                    kind = next((v for n, v in ev.headers if n.lower() == "content-type"), "")
                    self.state.check(rec, ev.status, kind)
                elif isinstance(ev, Data):
                    for item in self.state.feed(rec, ev.data):
                        yield item
                elif isinstance(ev, EndOfResponse):
                    rec.ended = "end of body"
                    return
            if chunk is None:
                rec.ended = rec.ended or "connection closed"
                return

    async def _read(self, reader: _Reader, timeout: float | None) -> bytes | None:
        try:
            return await asyncio.wait_for(reader.queue.get(), timeout)
        except TimeoutError:
            phase = "event stream response" if timeout == self.timeout else "event stream read"
            raise RequestTimeout(phase, timeout) from None
