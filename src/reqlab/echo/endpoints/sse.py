"""``/sse``: numbered Server-Sent Events, to try and test SSE clients and their reconnects.

``/sse?count=N&interval=S&drop=K&retry=MS``: a comment line, then events
``id: n``, ``event: tick``, ``data: {"n": n, "of": N}``, one every S seconds
(the first at once), ending the response after event N.  A request carrying
``Last-Event-ID: k`` continues with event k+1.  With ``drop=K`` the
connection is cut (no end of the chunked body) after K events of this
response, so a client's reconnect with ``Last-Event-ID`` can be tested; with
``retry=MS`` the stream starts with a ``retry:`` field.  A reconnect after
the last event gets ``204 No Content``, which tells a client to stop.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from reqlab.echo._types import EchoResponse

from ._http import error_response, parse_float, parse_int
from ._router import route
from ._view import RequestView

MAX_EVENTS = 100_000
MAX_INTERVAL = 60.0
HEADERS = [("Content-Type", "text/event-stream; charset=utf-8"), ("Cache-Control", "no-cache")]


@route("/sse")
async def sse(view: RequestView) -> EchoResponse:
    try:
        count = parse_int(view.arg("count"), 10)
        interval = parse_float(view.arg("interval"), 1.0)
        drop = parse_int(view.arg("drop"), 0)
        retry = parse_int(view.arg("retry"), -1)
    except ValueError as exc:
        return error_response(400, f"bad query value: {exc}")
    if not 0 < count <= MAX_EVENTS:
        return error_response(400, f"count must be 1..{MAX_EVENTS}")
    if not 0 <= interval <= MAX_INTERVAL:
        return error_response(400, f"interval must be 0..{MAX_INTERVAL:g} seconds")
    if drop < 0 or retry < -1:
        return error_response(400, "drop and retry must be 0 or more")
    last = (view.header("last-event-id") or "").strip()
    start = int(last) + 1 if last.isascii() and last.isdigit() else 1
    if start > count:
        return EchoResponse(204, [])  # all sent: 204 tells an EventSource to stop reconnecting
    return EchoResponse(200, list(HEADERS), _events(start, count, interval, drop, retry))


async def _events(
    start: int, count: int, interval: float, drop: int, retry: int
) -> AsyncIterator[bytes]:
    head = b": reqlab echo /sse\n"
    if retry >= 0:
        head += b"retry: %d\n" % retry
    yield head + b"\n"
    for sent, n in enumerate(range(start, count + 1), 1):
        if sent > 1:
            await asyncio.sleep(interval)
        yield b'id: %d\nevent: tick\ndata: {"n": %d, "of": %d}\n\n' % (n, n, count)
        if drop and sent >= drop and n < count:
            # the connection layer cuts the connection: no end of the body
            raise ConnectionAbortedError("/sse drop")
