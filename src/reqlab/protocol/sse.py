"""Server-Sent Events: the event-stream parser of the WHATWG HTML standard, sans-IO.

Theory of operation
-------------------
The stream is UTF-8 (bytes that do not decode become U+FFFD); one leading BOM
is dropped.  Lines end at CRLF, LF or CR; a CR at the end of a chunk may be
the first half of a CRLF, so a LF starting the next chunk is skipped.  Per line (HTML 9.2.6, "Interpreting an event stream"):

* empty: dispatch.  The last-event-ID string takes the ID buffer's value;
  with an empty data buffer nothing is dispatched; otherwise one trailing
  LF is removed from the data and an :class:`SSEEvent` goes out, of type
  ``event`` (or "message");
* starts with ``:``: a comment (the spec ignores it; it is handed out as a
  :class:`Comment` because comments are how servers keep a stream alive);
* otherwise ``field: value`` (one space after the colon is dropped; a line
  without a colon is a field with an empty value): ``event`` sets the type,
  ``data`` appends the value and a LF, ``id`` sets the ID buffer (unless the
  value holds a NUL), ``retry`` sets the reconnection time when the value is
  all ASCII digits; any other field is ignored.

At the end of the stream an event not yet ended by an empty line is
discarded (:meth:`SSEParser.feed` with ``b""`` is not needed: simply stop).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class SSEEvent:
    event: str  # the type: "message" unless an ``event:`` field said otherwise
    data: str
    id: str  # the last event ID when dispatched (what a reconnect sends as Last-Event-ID)


@dataclass(frozen=True, slots=True)
class Comment:
    text: str  # after the colon


class EventTooLarge(ValueError):
    """An event (or one line) grew past the parser's ``max_event`` characters."""


class SSEParser:
    """Feed bytes as they arrive; get events out.  ``retry`` and ``last_event_id`` persist.

    ``max_event`` caps the characters of one event's data plus an unfinished
    line, so a stream that never ends an event cannot grow without bound.
    """

    def __init__(self, last_event_id: str = "", max_event: int = 16 * 1024 * 1024) -> None:
        self.max_event = max_event
        self._data_size = 0
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._pending = ""  # text after the last line end
        self._started = False  # past the BOM check
        self._after_cr = False  # the last chunk ended with CR: a LF next is part of it
        self._data: list[str] = []
        self._type = ""
        self._id = last_event_id
        self.last_event_id = last_event_id
        self.retry: int | None = None  # milliseconds, once the server sets it

    def feed(self, data: bytes) -> list[SSEEvent | Comment]:
        text = self._decoder.decode(data)
        if self._after_cr and text:
            self._after_cr = False
            if text[0] == "\n":
                text = text[1:]  # the LF of a CRLF split across chunks
        text = self._pending + text
        if not self._started:
            if not text:
                return []
            if text[0] == "\ufeff":
                text = text[1:]
            self._started = True
        lines = _LINE_END.split(text)
        self._pending = lines.pop()  # the unfinished line (empty after a line end)
        self._after_cr = text.endswith("\r") and not self._pending
        out: list[SSEEvent | Comment] = []
        for line in lines:
            self._line(line, out)
        if self._data_size + len(self._pending) > self.max_event:
            raise EventTooLarge(f"an event over {self.max_event} characters without its end")
        return out

    def _line(self, line: str, out: list[SSEEvent | Comment]) -> None:
        if not line:
            self._dispatch(out)
            return
        if line[0] == ":":
            out.append(Comment(line[1:]))
            return
        name, colon, value = line.partition(":")
        if colon and value[:1] == " ":
            value = value[1:]
        if name == "event":
            self._type = value
        elif name == "data":
            self._data.append(value)
            self._data_size += len(value) + 1
        elif name == "id" and "\0" not in value:
            self._id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self.retry = int(value)

    def _dispatch(self, out: list[SSEEvent | Comment]) -> None:
        self.last_event_id = self._id
        if not self._data:
            self._type = ""
            return
        out.append(SSEEvent(self._type or "message", "\n".join(self._data), self._id))
        self._data = []
        self._data_size = 0
        self._type = ""
