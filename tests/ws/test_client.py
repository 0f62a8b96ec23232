"""reqlab.ws.connect against the echo server, the websockets library's server, and raw
misbehaving servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from websockets.asyncio.server import serve
from wsproto.utilities import generate_accept_token

import reqlab.ws as rws
from reqlab.echo.testing import EchoHandle
from reqlab.errors import InvalidRequest, RemoteProtocolError, RequestTimeout


def run(coro: Callable[[], Awaitable[Any]]) -> Any:
    out = asyncio.run(asyncio.wait_for(coro(), 10))
    gc.collect()  # a transport left open warns here, in the test that leaked it
    return out


def url(echo: EchoHandle, path: str) -> str:
    return f"ws://{echo.host}:{echo.port}{path}"


def test_handshake_headers_auth_subprotocol_and_the_record(echo_server: EchoHandle):
    async def go() -> None:
        ws = await rws.connect(
            url(echo_server, "/ws"),
            headers=[("X-Trace", "t1")],
            subprotocols=["graphql-ws", "v1"],
            auth=("alice", "s3cret"),
        )
        async with ws:
            reflected = json.loads(await ws.recv())
            assert ["X-Trace", "t1"] in reflected["headers"]
            assert ["Authorization", "Basic YWxpY2U6czNjcmV0"] in reflected["headers"]
            assert ws.subprotocol == "graphql-ws"
            await ws.send("héllo")
            assert await ws.recv() == "héllo"
            await ws.send(b"\x00\x01")
            assert await ws.recv() == b"\x00\x01"
            assert await ws.ping(b"p", timeout=2) > 0
        rec = ws.record.to_json()
        assert rec["status"] == 101 and rec["extensions"] == ["permessage-deflate"]
        assert ["Authorization", "***"] in rec["request_headers"]  # no secret in the record
        assert set(rec["timings"]) == {"dns", "connect", "tls", "upgrade"}
        assert rec["timings"]["upgrade"] > 0
        kinds = [(f["direction"], f["opcode"], f["size"]) for f in rec["frames"]]
        assert kinds[1:5] == [
            ("out", "text", 6),
            ("in", "text", 6),
            ("out", "binary", 2),
            ("in", "binary", 2),
        ]
        assert ("out", "ping", 1) in kinds and ("in", "pong", 1) in kinds
        stamps = [f["t"] for f in rec["frames"]]
        assert stamps == sorted(stamps)
        assert rec["close"] == {"code": 1000, "reason": "", "by": "client"}
        assert kinds[-2:] == [("out", "close", 2), ("in", "close", 2)]

    run(go)


def test_client_close_code_and_reason_and_server_close(echo_server: EchoHandle):
    async def go() -> None:
        ws = await rws.connect(url(echo_server, "/ws?reflect=0"))
        await ws.close(4002, "done here")
        assert ws.closed == rws.CloseRecord(4002, "done here", "client")
        with pytest.raises(rws.WebSocketClosed):
            await ws.send("late")
        ws = await rws.connect(url(echo_server, "/ws/close?code=4001&reason=bye"))
        with pytest.raises(
            rws.WebSocketClosed, match="closed by the server with code 4001 \\(bye\\)"
        ):
            await ws.recv()
        assert ws.closed == rws.CloseRecord(4001, "bye", "server")

    run(go)


def test_messages_over_the_cap_close_1009_from_the_client(echo_server: EchoHandle):
    async def go() -> None:
        ws = await rws.connect(url(echo_server, "/ws?reflect=0"), max_size=100)
        await ws.send("x" * 100)
        assert await ws.recv() == "x" * 100
        await ws.send("x" * 101)
        with pytest.raises(rws.WebSocketClosed) as info:
            await ws.recv()
        assert (info.value.close.code, info.value.close.by) == (1009, "client")
        await ws.close()

    run(go)


def test_interop_with_the_websockets_library_server():
    async def echo(conn: Any) -> None:
        async for m in conn:
            await conn.send(m)

    async def go() -> None:
        async with serve(echo, "127.0.0.1", 0, subprotocols=["v1"]) as server:
            port = server.sockets[0].getsockname()[1]
            async with await rws.connect(f"ws://127.0.0.1:{port}/", subprotocols=["v1"]) as ws:
                assert ws.subprotocol == "v1"
                assert ws.record.extensions == ["permessage-deflate"]
                big = "z" * 70000  # a 64-bit length frame, compressed
                await ws.send(big)
                assert await ws.recv() == big
                await ws.send(b"\xff" * 3)
                assert await ws.recv() == b"\xff" * 3

    run(go)


@contextlib.asynccontextmanager
async def _raw_server(answer: Callable[[bytes], bytes | None]) -> AsyncIterator[int]:
    """A server that reads the upgrade request and answers whatever ``answer`` says (None: nothing);
    yields its port, and closes every connection it holds on the way out."""
    writers: list[asyncio.StreamWriter] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writers.append(writer)
        head = await reader.readuntil(b"\r\n\r\n")
        out = answer(head)
        if out is not None:
            writer.write(out)
        await reader.read()  # hold the connection until the client goes

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        for w in writers:
            w.close()
        await asyncio.gather(*(w.wait_closed() for w in writers), return_exceptions=True)
        await server.wait_closed()


def _accept_101(head: bytes) -> bytes:
    key = [
        ln.split(b":", 1)[1].strip()
        for ln in head.split(b"\r\n")
        if ln.lower().startswith(b"sec-websocket-key")
    ][0]
    return (
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Accept: %s\r\n\r\n" % generate_accept_token(key)
    )


def test_an_upgrade_never_answered_times_out_with_a_clear_message():
    async def go() -> None:
        async with _raw_server(lambda head: None) as port:
            with pytest.raises(
                RequestTimeout, match="websocket upgrade \\(no 101 from the server\\) after 0.2 s"
            ):
                await rws.connect(f"ws://127.0.0.1:{port}/", timeout=0.2)

    run(go)


def test_a_non_101_answer_is_a_protocol_error_naming_the_status():
    async def go() -> None:
        async with _raw_server(
            lambda head: b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
        ) as port:
            with pytest.raises(RemoteProtocolError, match="answered 404 instead of 101"):
                await rws.connect(f"ws://127.0.0.1:{port}/")

    run(go)


def test_invalid_utf8_from_the_server_is_closed_1007():
    async def go() -> None:
        async with _raw_server(lambda head: _accept_101(head) + b"\x81\x02\xff\xfe") as port:
            ws = await rws.connect(f"ws://127.0.0.1:{port}/", deflate=False)
            with pytest.raises(rws.WebSocketClosed) as info:
                await ws.recv()
            assert (info.value.close.code, info.value.close.by) == (1007, "client")
            await ws.close(timeout=0.1)

    run(go)


def test_frames_arriving_between_the_101_and_open_are_not_lost():
    """The 101 is parsed in one read; the server's next frames may come in another read
    before ``connect`` resumes and opens the WebSocket.  They must be fed after the
    head's own rest (lost once: a Close from /ws/close became 1006 under CI load)."""
    from reqlab.protocol.ws import WSConnection
    from reqlab.ws._conn import _WSProtocol
    from reqlab.ws._record import WSRecord

    server = WSConnection(client=False)
    server.send("first")
    server.close(4001, "bye")
    frames = server.data_to_send()

    async def go() -> None:
        proto = _WSProtocol(WSRecord("ws://127.0.0.1/"), 1 << 20)
        proto.head = asyncio.get_running_loop().create_future()
        proto.data_received(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n")
        proto.data_received(frames[:3])  # part of a frame comes in the same read as the head
        proto.data_received(frames[3:])  # a later read, before open()
        proto.eof_received()
        _, rest = proto.head.result()
        proto.open(WSConnection(client=True), rest)
        assert list(proto.messages) == ["first"]
        assert proto.record.close is not None
        assert (proto.record.close.code, proto.record.close.reason) == (4001, "bye")

    run(go)


@pytest.mark.parametrize("bad", ["http//x", "ftp://host/", "ws:///nohost", "ws://h:99999/"])
def test_bad_urls_are_refused_before_connecting(bad):
    with pytest.raises(InvalidRequest, match="url"):
        run(lambda: rws.connect(bad))


@pytest.mark.parametrize("tls", [False, True])
def test_over_http2_extended_connect(tls):
    from reqlab.echo.testing import start_echo_server

    async def go(base: str) -> None:
        ws = await rws.connect(f"{base}/ws", subprotocols=["v1"], http2=True, verify=False)
        async with ws:
            first = json.loads(await ws.recv())
            assert (first["http_version"], first["method"]) == ("HTTP/2", "CONNECT")
            assert [":protocol", "websocket"] in first["pseudo_headers"]
            big = "q" * 100_000  # more than the initial 64 KiB stream window
            await ws.send(big)
            assert await ws.recv() == big
        rec = ws.record
        assert (rec.http_version, rec.status, rec.subprotocol) == ("HTTP/2", 200, "v1")
        assert rec.close == rws.CloseRecord(1000, "", "client")
        assert (rec.tls is not None and rec.tls.alpn == "h2") if tls else rec.tls is None

    with start_echo_server(tls=tls) as echo:
        base = f"wss://{echo.host}:{echo.tls_port}" if tls else f"ws://{echo.host}:{echo.port}"
        run(lambda: go(base))


def test_http2_against_a_server_without_rfc_8441_is_a_clear_error():
    async def echo(conn: Any) -> None:
        async for m in conn:
            await conn.send(m)

    async def go() -> None:
        async with serve(echo, "127.0.0.1", 0) as server:
            port = server.sockets[0].getsockname()[1]
            with pytest.raises(RemoteProtocolError, match="HTTP/2"):
                await rws.connect(f"ws://127.0.0.1:{port}/", http2=True, timeout=2)

    run(go)


def test_keepalive_pings_and_a_peer_that_stops_answering(echo_server: EchoHandle):
    async def go() -> None:
        ws = await rws.connect(
            url(echo_server, "/ws?reflect=0"), ping_interval=0.05, ping_timeout=0.5
        )
        async with ws:
            await asyncio.sleep(0.2)
            await ws.send("still")
            assert await ws.recv() == "still"
        kinds = [(f.direction, f.opcode) for f in ws.record.frames]
        assert kinds.count(("out", "ping")) >= 2 and kinds.count(("in", "pong")) >= 2
        assert ws.closed == rws.CloseRecord(1000, "", "client")
        ws = await rws.connect(url(echo_server, "/ws/noping"), ping_interval=0.05, ping_timeout=0.1)
        with pytest.raises(rws.WebSocketClosed, match="1011 \\(keepalive ping timeout\\)"):
            await ws.recv(timeout=5)
        assert ws.closed == rws.CloseRecord(1011, "keepalive ping timeout", "client")
        await ws.close()

    run(go)
