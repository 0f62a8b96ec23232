"""``Client.sse()`` and ``AsyncClient.sse()``: Server-Sent Events over the clients' streaming.

Each connection of the stream is one ordinary streamed exchange of the
client (its pool, session, cookies, auth, proxies, HTTP/2, record), so
``exchanges`` holds the full record of each; the EventSource rules (what
a reconnect sends, when it happens, when to give up) are
:class:`reqlab.protocol.eventsource.EventSourceState`'s, shared with
:class:`reqlab.sse.EventStream`.

    with Client() as client:
        with client.sse("http://127.0.0.1:8081/sse?count=3&interval=0.1") as events:
            for event in events:
                print(event.id, event.event, event.data)
        print(events.connections, events.exchanges)
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from reqlab.client._params import merge_headers
from reqlab.client._record import Exchange
from reqlab.client._response import Response
from reqlab.errors import RemoteProtocolError, TransportError
from reqlab.model import Request
from reqlab.protocol.eventsource import ConnectionRecord, EventSourceState
from reqlab.protocol.sse import Comment, SSEEvent

if TYPE_CHECKING:
    from reqlab.client._api import AsyncClient
    from reqlab.client._sync import Client

__all__ = ["AsyncEventSource", "EventSource", "SSEOptions"]

Item = SSEEvent | Comment
SSEOptions = dict[str, Any]  # last_event_id, reconnect, retry, max_reconnects, comments, max_event


def split_args(method_or_url: str, url: str | None) -> tuple[str, str]:
    """``sse(URL)`` is a GET; ``sse("POST", URL)`` names the method."""
    return ("GET", method_or_url) if url is None else (method_or_url, url)


class _Source:
    """What both flavours share: the template request, the state, the records."""

    def __init__(self, request: Request, options: SSEOptions) -> None:
        given = [h for h in request.headers if h[0].lower() != "last-event-id"]
        header_id = next((v for n, v in request.headers if n.lower() == "last-event-id"), "")
        if not options.get("last_event_id"):
            options["last_event_id"] = header_id
        self.request = replace(request, headers=tuple(given))
        self.state = EventSourceState(request.url, **options)
        self.connections: list[ConnectionRecord] = self.state.connections
        # the client's record of each connection (None when it got no response)
        self.exchanges: list[Exchange | None] = []
        self._response: Response | None = None

    def _next_request(self) -> tuple[ConnectionRecord, Request]:
        rec = self.state.begin()
        self.exchanges.append(None)
        headers = merge_headers(self.state.request_headers(), list(self.request.headers))
        if self.state.parser.last_event_id:  # the stream's own, never the caller's
            headers = [h for h in headers if h[0].lower() != "last-event-id"]
            headers.append(("Last-Event-ID", self.state.parser.last_event_id))
        return rec, replace(self.request, headers=tuple(headers))

    def _opened(self, rec: ConnectionRecord, response: Response) -> None:
        self._response = response
        self.exchanges[-1] = response.exchange
        t = response.exchange.timings
        rec.dns, rec.connect, rec.tls, rec.first_byte = t.dns, t.connect, t.tls, t.wait
        self.state.check(rec, response.status_code, response.headers.get("content-type") or "")

    def _failed(self, rec: ConnectionRecord, exc: Exception) -> None:
        if isinstance(exc, RemoteProtocolError) and rec.status and not rec.ended:
            rec.ended = f"connection lost: {exc}"
        self.state.failed(rec, exc)


class EventSource(_Source):
    """``for event in client.sse(url)``: events as they arrive, reconnecting."""

    def __init__(self, client: Client, request: Request, options: SSEOptions) -> None:
        super().__init__(request, options)
        self._client = client

    def __enter__(self) -> EventSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the current connection (the record notes a stream closed early)."""
        if self._response is not None:
            self._response.close()
            self._response = None

    def __iter__(self) -> Iterator[Item]:
        while True:
            rec, request = self._next_request()
            try:
                yield from self._one(rec, request)
            except (TransportError, OSError) as exc:
                self._failed(rec, exc)
            finally:
                self.close()
            waited = self.state.next_wait(rec)
            if waited is None:
                return
            time.sleep(waited / 1000)

    def _one(self, rec: ConnectionRecord, request: Request) -> Iterator[Item]:
        response = self._client.send(request, stream=True)
        self._opened(rec, response)
        for chunk in response.iter_bytes():
            yield from self.state.feed(rec, chunk)
        rec.ended = "end of body"


class AsyncEventSource(_Source):
    """``async for event in client.sse(url)``: the async twin of :class:`EventSource`."""

    def __init__(self, client: AsyncClient, request: Request, options: SSEOptions) -> None:
        super().__init__(request, options)
        self._client = client

    async def __aenter__(self) -> AsyncEventSource:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the current connection (the record notes a stream closed early)."""
        if self._response is not None:
            self._response.close()
            self._response = None

    async def __aiter__(self) -> AsyncIterator[Item]:
        while True:
            rec, request = self._next_request()
            try:
                async for item in self._one(rec, request):
                    yield item
            except (TransportError, OSError) as exc:
                self._failed(rec, exc)
            finally:
                await self.aclose()
            waited = self.state.next_wait(rec)
            if waited is None:
                return
            await asyncio.sleep(waited / 1000)

    async def _one(self, rec: ConnectionRecord, request: Request) -> AsyncIterator[Item]:
        response = await self._client.send(request, stream=True)
        self._opened(rec, response)
        async for chunk in response.aiter_bytes():
            for item in self.state.feed(rec, chunk):
                yield item
        rec.ended = "end of body"
