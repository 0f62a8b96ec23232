"""Issue 15 item 6: what a hostile server can make the client hold.

A 50 MB response header, 100,000 headers (HTTP/1.1 and HTTP/2) and a
10 GiB gzip bomb, each served by a small real server here.  The client
stops at its limits (``max_head_bytes``, ``max_header_count``, the body cap)
with an error naming the limit, and a ``reqlab send`` process never holds
much more than the cap.
"""

from __future__ import annotations

import socket
import time
import zlib

import hpack
import pytest

from reqlab.client import Client
from reqlab.errors import ResponseHeadTooLarge, ResponseTooLarge

from ._wire import (
    END_HEADERS,
    END_STREAM,
    HEADERS,
    SETTINGS,
    frame,
    gzip_bomb,
    send_peak_rss,
    stream_answer,
    tiny_server,
)

MIB = 1024 * 1024


def huge_header(sock: socket.socket, head: bytes) -> None:
    stream_answer(sock, b"HTTP/1.1 200 OK\r\nX-Big: ", b"a" * 65536, 50 * MIB)


def many_headers(sock: socket.socket, head: bytes) -> None:
    stream_answer(sock, b"HTTP/1.1 200 OK\r\n", b"X-H: 1\r\n" * 1000, 100_000 * 8)


def endless_interim(sock: socket.socket, head: bytes) -> None:
    stream_answer(
        sock, b"", b"HTTP/1.1 103 Early Hints\r\nLink: </a>; rel=preload\r\n\r\n" * 100, 50 * MIB
    )


@pytest.mark.parametrize(
    ("answer", "limit"),
    [
        (huge_header, "max_head_bytes"),
        (many_headers, "max_header_count"),
        (endless_interim, "max_head"),
    ],
)
def test_h1_response_head_is_capped(answer, limit: str) -> None:  # type: ignore[no-untyped-def]
    with tiny_server(answer) as port, Client() as client:
        t0 = time.monotonic()
        with pytest.raises(ResponseHeadTooLarge, match=limit):
            client.get(f"http://127.0.0.1:{port}/")
        assert time.monotonic() - t0 < 2


def test_head_limits_are_configurable() -> None:
    def small(sock: socket.socket, head: bytes) -> None:
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n" + b"X-H: 1\r\n" * 20 + b"\r\n")

    with tiny_server(small) as port:
        refusing = Client(max_header_count=10)
        with refusing, pytest.raises(ResponseHeadTooLarge, match="more than 10 header fields"):
            refusing.get(f"http://127.0.0.1:{port}/")
        with Client() as client:
            assert client.get(f"http://127.0.0.1:{port}/").status_code == 200


def h2_many_headers(count: int, size: int):  # type: ignore[no-untyped-def]
    """An h2c server answering stream 1 with ``count`` headers of ``size`` bytes."""

    def answer(sock: socket.socket, head: bytes) -> None:
        block = hpack.Encoder().encode(
            [(b":status", b"200")] + [(b"x-h%d" % i, b"v" * size) for i in range(count)]
        )
        out = frame(SETTINGS, 0, 0)
        pieces = [block[i : i + 16384] for i in range(0, len(block), 16384)]
        for n, piece in enumerate(pieces):
            last = n == len(pieces) - 1
            kind = HEADERS if n == 0 else 0x9  # CONTINUATION
            flags = (END_HEADERS if last else 0) | (END_STREAM if n == 0 else 0)
            out += frame(kind, flags, 1, piece)
        try:
            sock.sendall(out)
            sock.recv(65536)
        except OSError:
            pass

    return answer


@pytest.mark.parametrize(
    ("count", "size", "limit"), [(1000, 1, "max_header_count"), (100, 1000, "max_head_bytes")]
)
def test_h2_response_head_is_capped(count: int, size: int, limit: str) -> None:
    with (
        tiny_server(h2_many_headers(count, size)) as port,
        Client(http_version="HTTP/2") as client,
        pytest.raises(ResponseHeadTooLarge, match=limit),
    ):
        client.get(f"http://127.0.0.1:{port}/")


def test_cli_refuses_a_50_mb_header_with_bounded_memory() -> None:
    with tiny_server(huge_header) as port:
        code, err, peak = send_peak_rss(f"http://127.0.0.1:{port}/")
    assert code == 8, err
    assert "max_head_bytes" in err and len(err.strip().splitlines()) == 1, err
    assert peak < 150, peak  # was 333 MB; Python, rich and h2 alone are ~50 MB


def test_gzip_bomb_stops_at_the_cap_with_bounded_memory() -> None:
    first, piece = gzip_bomb()
    header = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nConnection: close\r\n\r\n"

    def bomb(sock: socket.socket, head: bytes) -> None:
        stream_answer(sock, header + first, piece, 10 * 1024 * 1024 * 1024 // MIB * len(piece))

    def small(sock: socket.socket, head: bytes) -> None:
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")

    cap = 100 * MIB
    with tiny_server(small) as port:
        code, err, baseline = send_peak_rss(f"http://127.0.0.1:{port}/")
    assert code == 0, err
    with tiny_server(bomb) as port:
        code, err, peak = send_peak_rss(f"http://127.0.0.1:{port}/")
    assert code == 8, err
    assert f"limit of {cap} bytes" in err
    # The body spools to disk past 8 MiB; decoding hands out 64 KiB at a time.
    assert peak - baseline < 0.5 * cap / MIB, (baseline, peak)


def test_each_encoding_decodes_whole_below_the_cap() -> None:
    """The piecewise decoders lose nothing (gzip, deflate, br, zstd)."""
    import brotli
    import zstandard

    from reqlab.client._body import BodySink

    data = bytes(range(256)) * 20_000
    for encoding, packed in [
        ("gzip", zlib.compress(data, wbits=31)),
        ("deflate", zlib.compress(data)),
        ("br", brotli.compress(data)),
        ("zstd", zstandard.ZstdCompressor().compress(data)),
    ]:
        sink = BodySink(None, 1 << 30)
        sink.start(encoding)
        for i in range(0, len(packed), 777):
            sink.write(packed[i : i + 777])
        sink.finish()
        assert sink.content() == data, encoding
        bomb = BodySink(1 * MIB, 1 << 30)
        bomb.start(encoding)
        with pytest.raises(ResponseTooLarge):
            bomb.write(packed * 0 + _bomb(encoding))


def _bomb(encoding: str) -> bytes:
    import brotli
    import zstandard

    zeros = bytes(32 * MIB)
    return {
        "gzip": lambda: zlib.compress(zeros, 9, wbits=31),
        "deflate": lambda: zlib.compress(zeros, 9),
        "br": lambda: brotli.compress(zeros, quality=4),
        "zstd": lambda: zstandard.ZstdCompressor().compress(zeros),
    }[encoding]()
