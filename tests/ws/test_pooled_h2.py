"""AsyncClient.websocket(): over HTTP/2 a WebSocket is one extended CONNECT stream
(RFC 8441) on the client's pooled connection to the origin, shared with its requests."""

from __future__ import annotations

import asyncio
import gc
import json
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest

import reqlab
from reqlab.echo.testing import EchoHandle, start_echo_server
from reqlab.ws import WebSocketClosed


def run(coro: Callable[[], Awaitable[Any]]) -> Any:
    out = asyncio.run(asyncio.wait_for(coro(), 20))
    gc.collect()  # a transport left open warns here, in the test that leaked it
    return out


@pytest.fixture(scope="module")
def tls_echo() -> Iterator[EchoHandle]:
    with start_echo_server(tls=True) as echo:
        yield echo


def bases(echo: EchoHandle) -> tuple[str, str]:
    return f"https://{echo.host}:{echo.tls_port}", f"wss://{echo.host}:{echo.tls_port}"


def test_a_websocket_joins_the_requests_connection_and_shares_it(tls_echo: EchoHandle):
    http, ws_base = bases(tls_echo)

    async def go() -> None:
        async with reqlab.AsyncClient(verify=False) as client:
            first = await client.get(http + "/get")
            conn = first.exchange.connection
            assert conn is not None and first.http_version == "HTTP/2"
            ws = await client.websocket(ws_base + "/ws", headers={"X-Trace": "t1"})
            assert ws.record.http_version == "HTTP/2"
            assert ws.record.reused is True and ws.record.connection_id == conn.id
            assert ws.record.remote == conn.remote and ws.record.timings.connect == 0.0
            reflected = json.loads(await ws.recv(timeout=5))  # the handshake, as /ws reflects it
            assert reflected["method"] == "CONNECT" and ["x-trace", "t1"] in reflected["headers"]
            await ws.send("hello")
            # while the WebSocket is open, requests keep using the same connection
            during = await asyncio.gather(*(client.get(http + f"/get?n={i}") for i in range(3)))
            assert {r.exchange.connection.id for r in during if r.exchange.connection} == {conn.id}
            assert await ws.recv(timeout=5) == "hello"
            big = bytes(range(256)) * 1000  # past the 64 KB stream windows, both ways
            await ws.send(big)
            assert await ws.recv(timeout=10) == big
            await ws.close()
            assert ws.record.close is not None and ws.record.close.code == 1000
            after = await client.get(http + "/get")
            assert after.exchange.connection is not None
            assert after.exchange.connection.id == conn.id and after.exchange.connection.reused
            record = ws.record.to_json()["connection"]
            assert record["reused"] is True and record["id"] == conn.id

    run(go)


def test_a_websocket_first_opens_the_pooled_connection_and_two_share_it(tls_echo: EchoHandle):
    http, ws_base = bases(tls_echo)

    async def go() -> None:
        async with reqlab.AsyncClient(verify=False) as client:
            a = await client.websocket(ws_base + "/ws?reflect=0")
            assert a.record.reused is False and a.record.connection_id is not None
            assert a.record.timings.connect > 0 and a.record.timings.tls > 0
            b = await client.websocket(ws_base + "/ws?reflect=0")
            assert b.record.reused is True and b.record.connection_id == a.record.connection_id
            await a.send("to a")
            await b.send("to b")
            assert (await a.recv(timeout=5), await b.recv(timeout=5)) == ("to a", "to b")
            r = await client.get(http + "/get")
            assert r.exchange.connection is not None
            assert r.exchange.connection.id == a.record.connection_id
            await a.close()
            await b.send("still here")
            assert await b.recv(timeout=5) == "still here"
            await b.close()

    run(go)


def test_the_server_closing_its_stream_leaves_the_connection(tls_echo: EchoHandle):
    http, ws_base = bases(tls_echo)

    async def go() -> None:
        async with reqlab.AsyncClient(verify=False) as client:
            ws = await client.websocket(ws_base + "/ws/close?code=4001&reason=bye")
            with pytest.raises(WebSocketClosed):
                await ws.recv(timeout=5)
            close = ws.record.close
            assert close is not None and (close.code, close.reason, close.by) == (
                4001,
                "bye",
                "server",
            )
            r = await client.get(http + "/get")
            assert r.exchange.connection is not None and r.exchange.connection.reused
            assert r.exchange.connection.id == ws.record.connection_id

    run(go)


def test_closing_the_client_ends_its_websockets(tls_echo: EchoHandle):
    _, ws_base = bases(tls_echo)

    async def go() -> None:
        client = reqlab.AsyncClient(verify=False)
        ws = await client.websocket(ws_base + "/ws?reflect=0")
        await client.aclose()
        with pytest.raises(WebSocketClosed) as info:
            await ws.recv(timeout=5)
        assert info.value.close.code == 1006

    run(go)


def test_cleartext_h2_with_prior_knowledge_and_the_http1_fallback(echo_server: EchoHandle):
    ws_base = echo_server.url.replace("http://", "ws://")

    async def go() -> None:
        async with reqlab.AsyncClient(http_version="HTTP/2") as client:
            r = await client.get(echo_server.url + "/get")
            ws = await client.websocket(ws_base + "/ws?reflect=0")
            assert r.exchange.connection is not None
            assert ws.record.http_version == "HTTP/2" and ws.record.reused
            assert ws.record.connection_id == r.exchange.connection.id
            await ws.send("h2c")
            assert await ws.recv(timeout=5) == "h2c"
            await ws.close()
        async with reqlab.AsyncClient() as client:  # cleartext, no prior knowledge: HTTP/1.1
            ws = await client.websocket(ws_base + "/ws?reflect=0")
            assert ws.record.http_version == "HTTP/1.1" and ws.record.reused is False
            assert ws.record.connection_id is None
            await ws.send("h1")
            assert await ws.recv(timeout=5) == "h1"
            await ws.close()

    run(go)
