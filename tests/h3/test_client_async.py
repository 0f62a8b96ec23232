"""The async client over HTTP/3 against reqlab's echo server."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator

import pytest

import reqlab
from reqlab.echo.testing import EchoHandle, start_echo_server
from reqlab.errors import RequestTimeout


@pytest.fixture(scope="module")
def echo() -> Iterator[EchoHandle]:
    with start_echo_server(tls=True, http3=True, h3_idle_timeout=5.0) as handle:
        yield handle


def test_reuse_and_record(echo: EchoHandle) -> None:
    async def main() -> list[reqlab.Response]:
        async with reqlab.AsyncClient(verify=False, http_version="HTTP/3") as client:
            return [await client.get(f"{echo.tls_url}/echo") for _ in range(3)]

    first, second, third = asyncio.run(main())
    assert first.json()["http_version"] == "HTTP/3"
    ex1, ex2 = first.exchange, second.exchange
    assert ex1.version == "HTTP/3" and ex1.version_reason == "asked for (version HTTP/3)"
    c1, c2 = ex1.connection, ex2.connection
    assert c1 is not None and c2 is not None
    assert (c1.reused, c2.reused) == (False, True)
    assert c1.id == c2.id and c2.requests == 2
    assert c1.http_version == "HTTP/3" and c1.tls is not None and c1.tls.alpn == "h3"
    quic = c1.to_json()["quic"]
    assert quic["version"] == "QUIC v1"
    assert quic["idle_timeout"] == {"ours": 30.0, "peer": 5.0, "effective": 5.0}
    assert quic["max_streams"] > 0 and quic["datagrams"]["sent"] > 0
    assert quic["rtt_ms"] > 0 and quic["connection_ids"]["local"]
    assert ex1.timings.connect > 0 and ex1.timings.tls > 0
    assert ex2.timings.connect == 0
    assert ex1.keep_alive.persistent and ex1.keep_alive.server_timeout == 5.0
    server_side = third.json()["connection"]
    assert server_side["request_number"] == 3


def test_multiplexed_on_one_connection(echo: EchoHandle) -> None:
    async def main() -> list[reqlab.Response]:
        async with reqlab.AsyncClient(verify=False, http_version="HTTP/3") as client:
            await client.get(f"{echo.tls_url}/echo")
            return list(
                await asyncio.gather(*(client.get(f"{echo.tls_url}/echo?i={i}") for i in range(8)))
            )

    answers = asyncio.run(main())
    assert len({r.json()["connection"]["id"] for r in answers}) == 1
    assert all(r.exchange.connection and r.exchange.connection.reused for r in answers)


def test_unanswered_udp_is_a_clear_timeout() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))
        port = silent.getsockname()[1]

        async def main() -> None:
            async with reqlab.AsyncClient(verify=False, http_version="HTTP/3", timeout=0.5) as c:
                await c.get(f"https://127.0.0.1:{port}/")

        with pytest.raises(RequestTimeout) as info:
            asyncio.run(main())
    message = str(info.value)
    assert "QUIC handshake" in message and f"127.0.0.1:{port}" in message
    assert "\n" not in message


def test_past_the_peers_stream_limit_a_second_connection(echo: EchoHandle) -> None:
    async def main() -> tuple[list[reqlab.Response], list[bool]]:
        async with reqlab.AsyncClient(verify=False, http_version="HTTP/3") as client:
            await client.get(f"{echo.tls_url}/echo")
            answers = await asyncio.gather(
                *(client.get(f"{echo.tls_url}/echo") for _ in range(150))
            )
            conns = [*client.pool.h3.conns.values(), *client.pool.h3.retired]
        return list(answers), [c.closed for c in conns]

    answers, closed_after = asyncio.run(main())
    assert all(r.status_code == 200 for r in answers)
    ids = {r.exchange.connection.id for r in answers if r.exchange.connection}
    assert len(ids) == 2  # aioquic's server allows 128 streams at once
    assert closed_after == [True, True]
