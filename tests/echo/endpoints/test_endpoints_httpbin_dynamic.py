"""httpbin generated data: /bytes /stream-bytes /stream /drip /range."""

from __future__ import annotations

import asyncio
import json
import random
import time

import pytest
from endpoint_kit import body_of, chunks_of, header, send

from reqlab.echo.endpoints.httpbin_dynamic import MAX_BYTES, drip_body, parse_range


def httpbin_bytes(n: int, seed: int) -> bytes:
    # What httpbin computes: random.seed(seed) then randint(0, 255) per byte.
    rng = random.Random(seed)
    return bytes(rng.randint(0, 255) for _ in range(n))


def test_bytes_seeded_matches_httpbin_and_unseeded_is_random():
    r = send("GET", "/bytes/64?seed=42")
    assert header(r, "content-type") == "application/octet-stream"
    assert body_of(r) == httpbin_bytes(64, 42)
    a, b = body_of(send("GET", "/bytes/32")), body_of(send("GET", "/bytes/32"))
    assert len(a) == 32 and a != b
    assert len(body_of(send("GET", f"/bytes/{MAX_BYTES * 10}"))) == MAX_BYTES
    assert send("GET", "/bytes/5?seed=x").status == 400


def test_stream_bytes_chunks():
    r = send("GET", "/stream-bytes/25?seed=1&chunk_size=10")
    chunks = chunks_of(r)
    assert [len(c) for c in chunks] == [10, 10, 5]
    assert b"".join(chunks) == httpbin_bytes(25, 1)
    assert send("GET", "/stream-bytes/5?chunk_size=x").status == 400


def test_stream_lines():
    lines = chunks_of(send("GET", "/stream/3?a=1"))
    docs = [json.loads(line) for line in lines]
    assert [d["id"] for d in docs] == [0, 1, 2]
    assert all(line.endswith(b"\n") for line in lines)
    assert list(docs[0]) == ["url", "args", "headers", "origin", "id"]
    assert docs[0]["args"] == {"a": "1"}
    assert len(chunks_of(send("GET", "/stream/1000"))) == 100


def test_drip_timing_and_content():
    r = send("GET", "/drip?numbytes=5&duration=0.4&code=201")
    assert r.status == 201 and r.extra["content_length"] == 5

    async def timed() -> list[tuple[float, bytes]]:
        t0 = time.monotonic()
        assert not isinstance(r.body, bytes)
        return [(time.monotonic() - t0, c) async for c in r.body]

    got = asyncio.run(timed())
    assert b"".join(c for _, c in got) == b"*****"
    # Byte i is due at i * 0.1 s: never earlier (lower bounds hold even on a
    # loaded machine), and the whole drip ends near the duration.
    for i, (at, _) in enumerate(got):
        assert at >= i * 0.1 - 0.01
    assert got[0][0] < 0.2
    assert got[-1][0] < 2.0


def test_drip_batches_large_counts():
    async def collect() -> list[bytes]:
        return [c async for c in drip_body(10_000, 0.0)]

    chunks = asyncio.run(collect())
    assert len(chunks) == 1000 and sum(map(len, chunks)) == 10_000


@pytest.mark.parametrize(
    "query", ["numbytes=0", "numbytes=x", "duration=nan", "code=99", "delay=x"]
)
def test_drip_bad_parameters(query):
    assert send("GET", f"/drip?{query}").status == 400


def test_drip_delay():
    t0 = time.monotonic()
    r = send("GET", "/drip?numbytes=1&duration=0&delay=0.2")
    assert time.monotonic() - t0 >= 0.19 and body_of(r) == b"*"


@pytest.mark.parametrize(
    ("rng", "status", "content_range", "data"),
    [
        (None, 200, "bytes 0-25/26", b"abcdefghijklmnopqrstuvwxyz"),
        ("bytes=0-3", 206, "bytes 0-3/26", b"abcd"),
        ("bytes=24-", 206, "bytes 24-25/26", b"yz"),
        ("bytes=-3", 206, "bytes 23-25/26", b"xyz"),
        ("bytes=20-100", 206, "bytes 20-25/26", b"uvwxyz"),
        ("bytes=0-25", 200, "bytes 0-25/26", b"abcdefghijklmnopqrstuvwxyz"),
        ("items=0-3", 200, "bytes 0-25/26", b"abcdefghijklmnopqrstuvwxyz"),
    ],
)
def test_range(rng, status, content_range, data):
    r = send("GET", "/range/26", [("Range", rng)] if rng else [])
    assert r.status == status
    assert header(r, "content-range") == content_range
    assert header(r, "accept-ranges") == "bytes" and header(r, "etag") == "range26"
    assert body_of(r) == data


@pytest.mark.parametrize("rng", ["bytes=26-", "bytes=5-2", "bytes=30-40"])
def test_range_unsatisfiable(rng):
    r = send("GET", "/range/26", [("Range", rng)])
    assert r.status == 416 and header(r, "content-range") == "bytes */26" and body_of(r) == b""


def test_range_limits_and_duration():
    assert send("GET", "/range/0").status == 404
    assert send("GET", f"/range/{MAX_BYTES + 1}").status == 404
    t0 = time.monotonic()
    r = send("GET", "/range/100?duration=0.2&chunk_size=50")
    assert [len(c) for c in chunks_of(r)] == [50, 50]
    assert time.monotonic() - t0 >= 0.18


def test_parse_range_wraps_suffix():
    assert parse_range("bytes=-100", 10) == (0, 9)
