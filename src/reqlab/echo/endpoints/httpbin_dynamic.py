"""httpbin's generated-data endpoints: /bytes/{n} /stream/{n} /stream-bytes/{n}
/drip /range/{n}.

Sizes are capped (as httpbin caps them) so one request cannot make the
server allocate or stream without bound.  With ``seed``, /bytes and
/stream-bytes produce exactly httpbin's bytes for the same seed: both draw
``random.randint(0, 255)`` per byte from a generator seeded with it.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
from collections.abc import AsyncIterator

from reqlab.echo._types import EchoResponse

from ._http import empty_response, parse_float, parse_int, text_response
from ._httpbin import get_dict
from ._router import route
from ._view import RequestView

MAX_BYTES = 100 * 1024  # /bytes, /stream-bytes, /range
MAX_STREAM_LINES = 100
MAX_DRIP_BYTES = 10 * 1024 * 1024
MAX_DRIP_SECONDS = 60.0
MAX_DRIP_CHUNKS = 1000  # beyond this, bytes drip in batches rather than one by one
MAX_DELAY = 10.0
OCTETS = "application/octet-stream"


def _bad(message: str) -> EchoResponse:
    return text_response(message, status=400)


def _random_bytes(n: int, seed: str | None) -> bytes:
    if seed is None:
        return os.urandom(n)
    rng = random.Random(int(seed))
    return bytes(rng.randint(0, 255) for _ in range(n))


@route("/bytes/{n:int}")
async def random_bytes(view: RequestView, n: int) -> EchoResponse:
    try:
        data = _random_bytes(min(n, MAX_BYTES), view.arg("seed"))
    except ValueError:
        return _bad("seed must be an integer")
    return text_response(data, OCTETS)


@route("/stream-bytes/{n:int}")
async def stream_bytes(view: RequestView, n: int) -> EchoResponse:
    try:
        data = _random_bytes(min(n, MAX_BYTES), view.arg("seed"))
        chunk = max(1, parse_int(view.arg("chunk_size"), 10 * 1024))
    except ValueError:
        return _bad("seed and chunk_size must be integers")

    async def chunks() -> AsyncIterator[bytes]:
        for i in range(0, len(data), chunk):
            yield data[i : i + chunk]

    return EchoResponse(200, [("Content-Type", OCTETS)], chunks())


@route("/stream/{n:int}")
async def stream_lines(view: RequestView, n: int) -> EchoResponse:
    base = get_dict(view, "url", "args", "headers", "origin")

    async def lines() -> AsyncIterator[bytes]:
        for i in range(min(n, MAX_STREAM_LINES)):
            yield (json.dumps({**base, "id": i}) + "\n").encode()

    return EchoResponse(200, [("Content-Type", "application/json")], lines())


@route("/drip")
async def drip(view: RequestView) -> EchoResponse:
    try:
        duration = min(max(parse_float(view.arg("duration"), 2.0), 0.0), MAX_DRIP_SECONDS)
        numbytes = min(parse_int(view.arg("numbytes"), 10), MAX_DRIP_BYTES)
        code = parse_int(view.arg("code"), 200)
        delay = min(max(parse_float(view.arg("delay"), 0.0), 0.0), MAX_DELAY)
    except ValueError:
        return _bad("duration, numbytes, code and delay must be numbers")
    if numbytes <= 0:
        return _bad("number of bytes must be positive")
    if not 200 <= code <= 599:
        return _bad("code must be between 200 and 599")
    if delay:
        await asyncio.sleep(delay)
    response = EchoResponse(code, [("Content-Type", OCTETS)], drip_body(numbytes, duration))
    response.extra["content_length"] = numbytes
    return response


async def drip_body(numbytes: int, duration: float) -> AsyncIterator[bytes]:
    """``numbytes`` asterisks spread evenly over ``duration``: the first at once, the last at the end."""
    steps = min(numbytes, MAX_DRIP_CHUNKS)
    size, extra = divmod(numbytes, steps)
    start = time.monotonic()
    for i in range(steps):
        if i and steps > 1:
            # Sleep to an absolute schedule, so slow writes do not stretch the total.
            due = start + duration * i / (steps - 1)
            await asyncio.sleep(max(0.0, due - time.monotonic()))
        yield b"*" * (size + (1 if i < extra else 0))


def parse_range(header: str | None, size: int) -> tuple[int, int]:
    """httpbin's reading of ``Range: bytes=a-b`` (one range; open ends allowed)."""
    first: int | None = None
    last: int | None = None
    text = (header or "").strip()
    if text.startswith("bytes"):
        _, eq, spec = text.partition("=")
        if eq:
            left, _, right = spec.partition("-")
            first = int(left) if left.strip().isdigit() else None
            last = int(right) if right.strip().isdigit() else None
    if first is None and last is None:
        return 0, size - 1
    if first is None:
        assert last is not None
        return max(0, size - last), size - 1
    if last is None:
        return first, size - 1
    return first, min(last, size - 1)


@route("/range/{n:int}")
async def range_request(view: RequestView, n: int) -> EchoResponse:
    tag = [("ETag", f"range{n}"), ("Accept-Ranges", "bytes")]
    if n <= 0 or n > MAX_BYTES:
        return text_response(
            f"number of bytes must be in the range (0, {MAX_BYTES}]", status=404, headers=tag
        )
    try:
        duration = min(max(parse_float(view.arg("duration"), 0.0), 0.0), MAX_DRIP_SECONDS)
        chunk = max(1, parse_int(view.arg("chunk_size"), 10 * 1024))
    except ValueError:
        return _bad("duration and chunk_size must be numbers")
    first, last = parse_range(view.header("range"), n)
    if first > last or not 0 <= first < n:
        return empty_response(416, [*tag, ("Content-Range", f"bytes */{n}")])
    # Byte i is letter i mod 26, so every range of the resource is predictable.
    data = bytes(97 + i % 26 for i in range(first, last + 1))
    headers = [("Content-Type", OCTETS), *tag, ("Content-Range", f"bytes {first}-{last}/{n}")]
    status = 200 if (first, last) == (0, n - 1) else 206
    if not duration:
        return EchoResponse(status, headers, data)
    pause = duration / n

    async def paced() -> AsyncIterator[bytes]:
        for i in range(0, len(data), chunk):
            piece = data[i : i + chunk]
            await asyncio.sleep(pause * len(piece))
            yield piece

    response = EchoResponse(status, headers, paced())
    response.extra["content_length"] = len(data)
    return response
