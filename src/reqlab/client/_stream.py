"""Streamed responses: the body handed to the caller as it arrives.

A :class:`StreamSink` decodes like any body sink but keeps nothing: decoded
bytes wait in ``pending`` until the caller takes them, and every read off
the wire is stamped, so the record keeps time-to-first-byte and the time
each chunk arrived.  The record's receive phase ends when the stream does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from time import perf_counter

from reqlab.client._body import BodySink
from reqlab.client._record import Exchange
from reqlab.errors import ResponseTooLarge

EARLY_CLOSE = "the stream was closed before the end of the body: its connection was closed"


def broke_off(exc: BaseException) -> str:
    """The record's note for a body the server (or the network) cut short."""
    return f"the body broke off before its end: {exc}"


class StreamSink(BodySink):
    __slots__ = ("pending", "arrivals", "on_news")

    def __init__(self, max_size: int | None) -> None:
        super().__init__(max_size, spool_size=0)
        self.pending: list[bytes] = []
        self.arrivals: list[tuple[float, int]] = []  # (perf_counter, wire bytes)
        self.on_news: Callable[[], None] | None = None  # the async engine's wake-up

    def start(self, content_encoding: str | None) -> None:
        super().start(content_encoding)
        if self.on_news is not None:
            self.on_news()

    def write(self, data: bytes) -> None:
        self.arrivals.append((perf_counter(), len(data)))
        super().write(data)
        if self.on_news is not None:
            self.on_news()

    def _keep(self, data: bytes) -> None:
        if not data:
            return
        self.size += len(data)
        if self.max_size is not None and self.size > self.max_size:
            raise ResponseTooLarge(
                f"response body is larger than the limit of {self.max_size} bytes"
            )
        self.pending.append(data)

    def take(self) -> list[bytes]:
        taken, self.pending = self.pending, []
        return taken

    def content(self) -> bytes:
        return b""  # a streamed body belongs to the caller, not the record


def close_record(exchange: Exchange, sink: StreamSink, first: float, end: float, t0: float) -> None:
    """The record of a stream that has ended: receive up to now, arrivals, sizes."""
    timings = exchange.timings
    if exchange.connection is not None:  # the full record is kept
        timings.receive = (end - first) * 1000
        timings.total = (end - t0) * 1000
        sent_at = first - timings.wait / 1000
        exchange.arrivals = [(round((at - sent_at) * 1000, 3), size) for at, size in sink.arrivals]
    exchange.body_size = sink.size
    exchange.wire_size = sink.wire


def lines(chunks: Iterator[str], carry: list[str] | None = None) -> Iterator[str]:
    """Text split into lines (without their ends), as they complete.

    With ``carry`` (a one-item list), an unfinished last line is left there
    instead of being yielded, so the next call can continue it."""
    rest = carry[0] if carry else ""
    for text in chunks:
        rest += text
        *done, rest = rest.splitlines(keepends=True) or [""]
        if rest.endswith(("\n", "\r")):
            done.append(rest)
            rest = ""
        for line in done:
            yield line.rstrip("\r\n")
    if carry is not None:
        carry[0] = rest
    elif rest:
        yield rest
