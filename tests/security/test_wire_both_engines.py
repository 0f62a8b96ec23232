"""Issue 15's client defences hold on every path of the merged client.

The other tests in this folder drive ``Client`` (the sync engine, after
issue 11).  The async engine (``AsyncClient``) and the streaming paths
(``stream()``) reach the wire through their own modules; each defence lives
in a module they share (``_policy``/``_h2core`` head limits, ``_body``'s
bounded decoders, ``_tls`` handshake reasons, ``_wire``'s ``prepare``,
``_session``'s deadline), and these tests prove it on each path.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import pytest

from reqlab.client import AsyncClient, Client
from reqlab.client._body import PIECE
from reqlab.client._stream import StreamSink
from reqlab.echo.testing import start_echo_server
from reqlab.errors import (
    InvalidRequest,
    RequestTimeout,
    ResponseHeadTooLarge,
    ResponseTooLarge,
    TLSError,
    TooManyRedirects,
)
from reqlab.model import DigestAuth, Request

from ._wire import gzip_bomb, stream_answer, tiny_server
from .test_wire_client_limits import MIB, h2_many_headers, huge_header, many_headers
from .test_wire_redirects import CUT_BY, endless_redirects, slow_redirects

T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


@pytest.mark.parametrize(
    ("answer", "limit"), [(huge_header, "max_head_bytes"), (many_headers, "max_header_count")]
)
def test_async_h1_head_is_capped(answer: Callable[..., None], limit: str) -> None:
    async def main(port: int) -> None:
        async with AsyncClient() as client:
            await client.get(f"http://127.0.0.1:{port}/")

    with tiny_server(answer) as port, pytest.raises(ResponseHeadTooLarge, match=limit):
        run(main(port))


def test_async_h2_head_is_capped_and_limits_are_configurable() -> None:
    async def main(port: int, **limits: int) -> None:
        async with AsyncClient(http_version="HTTP/2", **limits) as client:
            await client.get(f"http://127.0.0.1:{port}/")

    with (
        tiny_server(h2_many_headers(1000, 1)) as port,
        pytest.raises(ResponseHeadTooLarge, match="max_header_count"),
    ):
        run(main(port))
    with (
        tiny_server(h2_many_headers(20, 1)) as port,
        pytest.raises(ResponseHeadTooLarge, match="more than 10 header fields"),
    ):
        run(main(port, max_header_count=10))


def test_streamed_heads_are_capped_on_both_engines() -> None:
    async def main(port: int) -> None:
        async with AsyncClient() as client, client.stream("GET", f"http://127.0.0.1:{port}/"):
            pass

    with tiny_server(huge_header) as port:
        with (
            Client() as client,
            pytest.raises(ResponseHeadTooLarge, match="max_head_bytes"),
            client.stream("GET", f"http://127.0.0.1:{port}/"),
        ):
            pass
        with pytest.raises(ResponseHeadTooLarge, match="max_head_bytes"):
            run(main(port))


def _bomb(sock: socket.socket, head: bytes) -> None:
    first, piece = gzip_bomb()
    header = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nConnection: close\r\n\r\n"
    stream_answer(sock, header + first, piece, 64 * len(piece))


def test_a_streamed_bomb_comes_in_pieces_and_stops_at_the_cap() -> None:
    cap = 4 * MIB
    sizes: list[int] = []

    async def main(port: int) -> None:
        async with (
            AsyncClient(max_body=cap) as client,
            client.stream("GET", f"http://127.0.0.1:{port}/") as r,
        ):
            async for chunk in r.aiter_bytes():
                sizes.append(len(chunk))

    with tiny_server(_bomb) as port:
        with (
            Client(max_body=cap) as client,
            pytest.raises(ResponseTooLarge, match=str(cap)),
            client.stream("GET", f"http://127.0.0.1:{port}/") as r,
        ):
            for chunk in r.iter_bytes():
                sizes.append(len(chunk))
        # One read off the wire can decode past the cap before the reader
        # gets a piece (zeros compress 1000:1): then none was handed out.
        assert max(sizes, default=0) <= PIECE and sum(sizes) <= cap
        sizes.clear()
        with pytest.raises(ResponseTooLarge, match=str(cap)):
            run(main(port))
        assert max(sizes, default=0) <= PIECE and sum(sizes) <= cap


def test_the_stream_sink_hands_a_bomb_out_in_pieces() -> None:
    """What both engines' streams read from: 64 KiB pieces, then the cap."""
    cap = 4 * MIB
    first, piece = gzip_bomb()
    sink = StreamSink(cap)
    sink.start("gzip")
    taken: list[int] = []
    with pytest.raises(ResponseTooLarge, match=str(cap)):
        sink.write(first)
        taken += [len(p) for p in sink.take()]
        while True:
            sink.write(piece[:4096])
            taken += [len(p) for p in sink.take()]
    assert taken and max(taken) <= PIECE and sum(taken) <= cap


def test_async_total_timeout_covers_every_redirect() -> None:
    async def main(port: int) -> None:
        client = AsyncClient(follow_redirects=True, max_redirects=50, timeout=5, total_timeout=1.0)
        async with client:
            await client.get(f"http://127.0.0.1:{port}/0")

    with tiny_server(slow_redirects) as port:
        t0 = time.monotonic()
        with pytest.raises(RequestTimeout, match="whole send") as info:
            run(main(port))
        assert time.monotonic() - t0 < CUT_BY
    assert info.value.seconds == 1.0


def test_streamed_total_timeout_covers_every_redirect() -> None:
    client = Client(follow_redirects=True, max_redirects=50, timeout=5, total_timeout=1.0)
    with tiny_server(slow_redirects) as port, client:
        t0 = time.monotonic()
        with (
            pytest.raises(RequestTimeout, match="whole send"),
            client.stream("GET", f"http://127.0.0.1:{port}/0"),
        ):
            pass
        assert time.monotonic() - t0 < CUT_BY


def test_async_redirect_ceiling_names_the_count() -> None:
    async def main(port: int) -> None:
        async with AsyncClient(follow_redirects=True) as client:
            await client.get(f"http://127.0.0.1:{port}/")

    with (
        tiny_server(endless_redirects) as port,
        pytest.raises(TooManyRedirects, match=r"too many redirects \(11\)"),
    ):
        run(main(port))


def test_async_tls_to_a_plain_http_port_names_the_reason() -> None:
    def plain(sock: socket.socket, head: bytes) -> None:
        sock.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    async def main(port: int) -> None:
        async with AsyncClient() as client:
            await client.get(f"https://127.0.0.1:{port}/")

    with (
        tiny_server(plain, any_bytes=True) as port,
        pytest.raises(TLSError, match="answered in plain HTTP, not TLS"),
    ):
        run(main(port))


def _bad_digest_request(url: str) -> Request:
    auth = DigestAuth("user", "pw")
    object.__setattr__(auth, "username", "user\r\nX-Injected: 1")  # past the model's check
    return Request("GET", url + "/digest-auth/auth/user/pw", auth=auth)


def test_a_refused_request_closes_the_connection_it_took_on_both_engines() -> None:
    """The digest answer is refused by prepare() on the connection the 401
    came on (reused from the pool): that connection is closed, not leaked."""
    with start_echo_server() as echo:
        taken: list[Any] = []
        hooks = {"request": [lambda request: taken.extend(client.pool.connections())]}
        with Client(event_hooks=hooks) as client, pytest.raises(InvalidRequest):
            client.send(_bad_digest_request(echo.url))
        assert taken and all(conn.closed for conn in taken)

        async def main() -> list[Any]:
            seen: list[Any] = []
            hooks = {"request": [lambda request: seen.extend(aclient.pool.connections())]}
            async with AsyncClient(event_hooks=hooks) as aclient:
                with pytest.raises(InvalidRequest):
                    await aclient.send(_bad_digest_request(echo.url))
                return seen

        seen = run(main())
        assert seen and all(conn.closed for conn in seen)
