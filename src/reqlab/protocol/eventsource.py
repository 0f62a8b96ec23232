"""EventSource's reconnection rules, sans-IO: what each connection asks, when to retry.

The WHATWG EventSource opens a stream, dispatches its events, and when the
stream ends or breaks after a ``200 text/event-stream`` reopens it after
the server's ``retry:`` time (else a default) with ``Last-Event-ID``; a
``204`` ends it for good; any other status or type fails it.  Those rules
live here once, so every engine that carries the bytes (``reqlab.sse``'s
raw connection, ``Client.sse()`` and ``AsyncClient.sse()`` over the
clients' streaming) reconnects the same way and keeps the same record.

A driver loops::

    rec = source.begin()                       # one ConnectionRecord
    send GET with source.request_headers() ...
    source.check(status, content_type)         # raises Refused
    for chunk in body: yield from source.feed(rec, chunk)
    source.ended(rec, "end of body")  (or source.failed(rec, exc))
    wait = source.next_wait(rec)               # None: stop; raises after too many
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reqlab.errors import RemoteProtocolError, ResponseTooLarge
from reqlab.model import Header
from reqlab.protocol.sse import Comment, EventTooLarge, SSEEvent, SSEParser


@dataclass(slots=True)
class ConnectionRecord:
    """One connection of the stream: what was asked, what it cost, how it ended."""

    attempt: int  # 0 for the first connection, then 1, 2, ... for reconnects
    last_event_id: str  # sent as Last-Event-ID ("" : none)
    waited: float = 0.0  # ms slept before this attempt (the retry time)
    dns: float = 0.0
    connect: float = 0.0
    tls: float = 0.0
    first_byte: float = 0.0  # ms from the request written to the response head
    status: int = 0
    events: int = 0
    ended: str = ""  # "end of body", "connection lost: ...", "error: ..."

    def to_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


class Refused(RemoteProtocolError):
    """Not an event stream (status or type): EventSource fails instead of reconnecting."""


class EventSourceState:
    """The stream's state across connections: parser, records, reconnect budget."""

    def __init__(
        self,
        url: str,
        *,
        last_event_id: str = "",
        reconnect: bool = True,
        retry: float = 3000.0,
        max_reconnects: int = 5,
        comments: bool = False,
        max_event: int = 16 * 1024 * 1024,
    ) -> None:
        self.url = url
        self.parser = SSEParser(last_event_id, max_event)
        self.reconnect = reconnect
        self.retry = retry
        self.max_reconnects = max_reconnects
        self.comments = comments
        self.connections: list[ConnectionRecord] = []
        self._fruitless = 0  # connections in a row without an event
        self._waited = 0.0

    def begin(self) -> ConnectionRecord:
        rec = ConnectionRecord(len(self.connections), self.parser.last_event_id, self._waited)
        self.connections.append(rec)
        return rec

    def request_headers(self) -> list[Header]:
        """What EventSource sends besides the caller's headers."""
        sent = [("Accept", "text/event-stream"), ("Cache-Control", "no-cache")]
        if self.parser.last_event_id:
            sent.append(("Last-Event-ID", self.parser.last_event_id))
        return sent

    def check(self, rec: ConnectionRecord, status: int, content_type: str) -> None:
        """The response head: a 200 event stream or a 204, else :class:`Refused`."""
        rec.status = status
        if status == 204:
            return
        if status != 200 or content_type.split(";")[0].strip().lower() != "text/event-stream":
            raise Refused(
                f"event stream {self.url}: expected 200 text/event-stream, "
                f"got {status} {content_type or '(no Content-Type)'}"
            )

    def feed(self, rec: ConnectionRecord, data: bytes) -> list[SSEEvent | Comment]:
        """Body bytes in; the events (and comments, when asked for) out."""
        try:
            items = self.parser.feed(data)
        except EventTooLarge as exc:
            raise ResponseTooLarge(f"event stream {self.url}: {exc}") from None
        out: list[SSEEvent | Comment] = []
        for item in items:
            if isinstance(item, SSEEvent):
                rec.events += 1
                out.append(item)
            elif self.comments:
                out.append(item)
        return out

    def failed(self, rec: ConnectionRecord, exc: Exception) -> None:
        """A connection broke: raise when nothing ever connected, else note it and go on."""
        if isinstance(exc, (Refused, ResponseTooLarge)):
            raise exc
        if rec.status == 0 and len(self.connections) == 1:
            raise exc  # the very first connection never got an answer: no reconnecting
        rec.ended = rec.ended or f"error: {exc}"

    def next_wait(self, rec: ConnectionRecord) -> float | None:
        """Milliseconds to wait before reconnecting, or None when the stream is over."""
        if rec.status == 204 or not self.reconnect:
            return None
        self._fruitless = 0 if rec.events else self._fruitless + 1
        if self._fruitless > self.max_reconnects:
            raise RemoteProtocolError(
                f"event stream {self.url}: {self._fruitless} connections in a row "
                f"without an event (last: {rec.ended})"
            )
        self._waited = float(self.parser.retry if self.parser.retry is not None else self.retry)
        return self._waited
