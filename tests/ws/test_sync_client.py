"""reqlab.ws.connect_sync: the blocking client on the same core, against the echo server."""

from __future__ import annotations

import json
import socket

import pytest

from reqlab.echo.testing import EchoHandle, start_echo_server
from reqlab.errors import ConnectError, RemoteProtocolError, RequestTimeout
from reqlab.ws import CloseRecord, WebSocketClosed, connect_sync


def url(echo: EchoHandle, path: str) -> str:
    return f"ws://{echo.host}:{echo.port}{path}"


def test_echo_ping_close_and_the_record(echo_server: EchoHandle):
    with connect_sync(
        url(echo_server, "/ws"), headers=[("X-A", "1")], subprotocols=["s"], bearer="t"
    ) as ws:
        assert ["X-A", "1"] in json.loads(ws.recv(timeout=5))["headers"]
        assert ws.subprotocol == "s"
        ws.send("héllo")
        ws.send(b"\x01\x02")
        assert ws.ping(b"p", timeout=5) > 0
        assert [ws.recv(timeout=5), ws.recv(timeout=5)] == [
            "héllo",
            b"\x01\x02",
        ]  # kept across the ping
    rec = ws.record.to_json()
    assert rec["status"] == 101 and rec["extensions"] == ["permessage-deflate"]
    assert ["Authorization", "***"] in rec["request_headers"]
    assert rec["timings"]["connect"] > 0 and rec["timings"]["upgrade"] > 0
    assert rec["close"] == {"code": 1000, "reason": "", "by": "client"}
    assert [f["message"] for f in rec["frames"] if f["direction"] == "out" and "message" in f] == [
        "héllo",
        "AQI=",
    ]


def test_server_close_ticks_and_the_cap(echo_server: EchoHandle):
    ws = connect_sync(url(echo_server, "/ws/tick?interval=0.01&count=2"))
    assert list(ws) == ["tick 1", "tick 2"] and ws.closed == CloseRecord(1000, "done", "server")
    ws = connect_sync(url(echo_server, "/ws?reflect=0"), max_size=10)
    ws.send("x" * 11)
    with pytest.raises(WebSocketClosed, match="1009"):
        ws.recv(timeout=5)
    ws.close()


def test_tls(echo_server: EchoHandle):
    with (
        start_echo_server(tls=True) as echo,
        connect_sync(f"wss://{echo.host}:{echo.tls_port}/ws?reflect=0", verify=False) as ws,
    ):
        ws.send("secure")
        assert ws.recv(timeout=5) == "secure"
        assert ws.record.tls is not None and ws.record.tls.version.startswith("TLS")


def test_limits_and_errors(echo_server: EchoHandle):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()  # the kernel completes the connection; nobody ever answers
    try:
        with pytest.raises(RequestTimeout, match="no 101 from the server"):
            connect_sync(f"ws://127.0.0.1:{silent.getsockname()[1]}/", timeout=0.2)
    finally:
        silent.close()
    with pytest.raises(RemoteProtocolError, match="answered 404"):
        connect_sync(url(echo_server, "/nothing-here"))
    with start_echo_server() as gone:
        port = gone.port
    with pytest.raises(ConnectError, match="cannot connect"):
        connect_sync(f"ws://127.0.0.1:{port}/")
    with (
        connect_sync(url(echo_server, "/ws?reflect=0")) as ws,
        pytest.raises(RequestTimeout, match="receive after 0.05 s"),
    ):
        ws.recv(timeout=0.05)
