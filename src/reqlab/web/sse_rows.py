"""A streamed body read as Server-Sent Events, for the page's live event list.

Each row is ``[t, type, id, data, retry, kind]``: ``t`` the ms since the send
began when the chunk that ended it arrived, ``type`` the event type
("message" unless named), ``id`` the last event ID at dispatch, ``data``
(its first ``DATA_CAP`` characters), ``retry`` the reconnection time in
effect once its chunk was read (ms, ``None`` until the server sets one), ``kind`` 0 an event, 1 a
comment (the keep-alives), 2 cut to ``DATA_CAP``, 3 the parser's error (an
event past its size limit: parsing stops, the body goes on).
"""

from __future__ import annotations

from typing import Any

from reqlab.protocol.sse import Comment, EventTooLarge, SSEParser

DATA_CAP = 64 * 1024  # characters of one event's data sent to the page
MAX_EVENT = 16 * 1024 * 1024  # an event never ended by a blank line stops here


def is_event_stream(content_type: str | None) -> bool:
    return (content_type or "").split(";")[0].strip().lower() == "text/event-stream"


class EventRows:
    def __init__(self) -> None:
        self.parser: SSEParser | None = SSEParser(max_event=MAX_EVENT)

    def feed(self, chunk: bytes, t: float) -> list[list[Any]]:
        parser = self.parser
        if parser is None:
            return []
        try:
            items = parser.feed(chunk)
        except EventTooLarge as exc:
            self.parser = None
            return [[t, "error", parser.last_event_id, str(exc), parser.retry, 3]]
        rows: list[list[Any]] = []
        for item in items:
            if isinstance(item, Comment):
                rows.append([t, "comment", "", item.text[:DATA_CAP], parser.retry, 1])
            else:
                cut = len(item.data) > DATA_CAP
                data = item.data[:DATA_CAP] if cut else item.data
                rows.append([t, item.event, item.id, data, parser.retry, 2 if cut else 0])
        return rows
