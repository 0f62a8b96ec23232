"""The echo server's WebSocket endpoints, driven by an independent peer (the websockets library)
and, for what a correct client cannot send (bad UTF-8), by raw frames on a socket."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import socket
import struct
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from reqlab.echo.testing import EchoHandle


def ws_url(echo: EchoHandle, path: str) -> str:
    return f"ws://{echo.host}:{echo.port}{path}"


def run(coro: Callable[[], Awaitable[Any]]) -> Any:
    return asyncio.run(asyncio.wait_for(coro(), 10))


def test_ws_reflects_the_handshake_then_echoes_text_binary_fragments(echo_server: EchoHandle):
    async def go() -> None:
        async with connect(
            ws_url(echo_server, "/ws?x=1"),
            subprotocols=["chat.v2", "chat.v1"],
            additional_headers={"X-Trace": "abc", "Authorization": "Bearer t0k"},
        ) as ws:
            assert ws.subprotocol == "chat.v2"  # the first offered is chosen
            first = json.loads(await ws.recv())
            names = [n for n, _ in first["headers"]]
            assert ["X-Trace", "abc"] in first["headers"]
            assert ["Authorization", "Bearer t0k"] in first["headers"]
            assert names[:2] == ["Host", "Upgrade"]  # exact order, exact case
            assert first["method"] == "GET"
            assert first["query"] == [["x", "1"]] and first["target"] == "/ws?x=1"
            await ws.send("héllo")
            assert await ws.recv() == "héllo"
            await ws.send(b"\x00\xff" * 10)
            assert await ws.recv() == b"\x00\xff" * 10
            await ws.send(["frag", "mented", " text"])
            assert await ws.recv() == "fragmented text"
            await ws.send([b"a", b"b"])
            assert await ws.recv() == b"ab"
            await asyncio.wait_for(await ws.ping(b"hi"), 2)

    run(go)


def test_ws_permessage_deflate_is_accepted_and_declinable(echo_server: EchoHandle):
    async def go() -> None:
        async with connect(ws_url(echo_server, "/ws?reflect=0")) as ws:
            assert "permessage-deflate" in ws.response.headers["Sec-WebSocket-Extensions"]
            big = "abc" * 5000
            await ws.send(big)
            assert await ws.recv() == big
        async with connect(ws_url(echo_server, "/ws?reflect=0&deflate=0")) as ws:
            assert "Sec-WebSocket-Extensions" not in ws.response.headers
            await ws.send("x")
            assert await ws.recv() == "x"

    run(go)


def test_ws_tick_sends_on_a_timer_then_closes_normally(echo_server: EchoHandle):
    async def go() -> None:
        async with connect(ws_url(echo_server, "/ws/tick?interval=0.02&count=3")) as ws:
            got = [m async for m in ws]
            assert got == ["tick 1", "tick 2", "tick 3"]
            assert ws.close_code == 1000 and ws.close_reason == "done"

    run(go)


@pytest.mark.parametrize(
    ("query", "code", "reason", "sends"),
    [
        ("code=4001&reason=bye", 4001, "bye", 0),
        ("code=1011&after=2", 1011, "", 2),
    ],
)
def test_ws_close_with_a_chosen_code(echo_server, query, code, reason, sends):
    async def go() -> None:
        async with connect(ws_url(echo_server, f"/ws/close?{query}")) as ws:
            for i in range(sends):
                await ws.send(f"m{i}")
                assert await ws.recv() == f"m{i}"
            with pytest.raises(ConnectionClosed):
                await ws.recv()
            assert ws.close_code == code and ws.close_reason == reason

    run(go)


def test_ws_noping_ignores_pings_but_echoes(echo_server: EchoHandle):
    async def go() -> None:
        async with connect(ws_url(echo_server, "/ws/noping"), ping_interval=None) as ws:
            waiter = await ws.ping(b"?")
            await ws.send("still here")
            assert await ws.recv() == "still here"
            assert not waiter.done()  # the echo came back, the pong never did

    run(go)


def test_ws_message_over_the_cap_closes_1009(echo_server: EchoHandle):
    async def go() -> None:
        async with connect(ws_url(echo_server, "/ws?reflect=0&max_size=100")) as ws:
            await ws.send("y" * 100)
            assert await ws.recv() == "y" * 100  # exactly the cap passes
            await ws.send(["y" * 60, "y" * 60])  # fragments add up past it
            with pytest.raises(ConnectionClosed):
                await ws.recv()
            assert ws.close_code == 1009

    run(go)


def _raw_upgrade(echo: EchoHandle, path: str) -> socket.socket:
    s = socket.create_connection((echo.host, echo.port), timeout=5)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall(
        f"GET {path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        head += s.recv(1)
    assert head.startswith(b"HTTP/1.1 101 ")
    return s


def _frame(opcode: int, payload: bytes, fin: bool = True) -> bytes:
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    assert len(payload) < 126
    return bytes([(0x80 if fin else 0) | opcode, 0x80 | len(payload)]) + mask + masked


def _read_close(s: socket.socket) -> tuple[int, bytes]:
    data = b""
    while True:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    # the last frame is the Close: 0x88, length, code, reason
    i = data.rindex(b"\x88")
    length = data[i + 1]
    payload = data[i + 2 : i + 2 + length]
    return struct.unpack("!H", payload[:2])[0], payload[2:]


def test_ws_invalid_utf8_in_text_closes_1007(echo_server: EchoHandle):
    s = _raw_upgrade(echo_server, "/ws?reflect=0")
    s.sendall(_frame(0x1, b"ok \xff\xfe"))
    code, _ = _read_close(s)
    s.close()
    assert code == 1007


def test_ws_frames_sent_with_the_upgrade_request_are_not_lost(echo_server: EchoHandle):
    s = socket.create_connection((echo_server.host, echo_server.port), timeout=5)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall(
        f"GET /ws/close?after=1&code=1000 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
        + _frame(0x1, b"early")
    )
    data = b""
    while b"\x88\x02\x03\xe8" not in data:  # until the server's Close (1000)
        data += s.recv(4096)
    s.close()
    assert b"101 Switching Protocols" in data and b"\x81\x05early" in data


@pytest.mark.parametrize(
    ("path", "headers", "status", "words"),
    [
        ("/ws", "", 426, "Upgrade: websocket"),
        (
            "/ws",
            "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 8\r\n"
            "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\n",
            426,
            "Version must be 13",
        ),
        (
            "/ws",
            "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Key: short\r\n",
            400,
            "16 bytes",
        ),
        ("/ws/close?code=1005", "", 400, "code must be"),
        ("/ws/tick?interval=abc", "", 400, "could not convert"),
    ],
)
def test_ws_bad_handshakes_get_a_clear_4xx_and_the_server_stays_up(
    echo_server, path, headers, status, words
):
    s = socket.create_connection((echo_server.host, echo_server.port), timeout=5)
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n{headers}Connection: close\r\n\r\n".encode())
    data = b""
    while chunk := s.recv(4096):
        data += chunk
    s.close()
    assert data.startswith(b"HTTP/1.1 %d " % status), data[:80]
    assert words.encode() in data
    s = _raw_upgrade(echo_server, "/ws?reflect=0")  # still up
    s.close()


def test_ws_server_shutdown_closes_sessions_with_1001(echo_server: EchoHandle):
    s = _raw_upgrade(echo_server, "/ws?reflect=0")
    s.sendall(_frame(0x1, b"x"))
    assert s.recv(16) == b"\x81\x01x"
    fut = asyncio.run_coroutine_threadsafe(echo_server.server.shutdown(grace=0.5), echo_server.loop)
    code, reason = _read_close(s)
    s.close()
    fut.result(5)
    assert code == 1001 and reason == b"server shutting down"
