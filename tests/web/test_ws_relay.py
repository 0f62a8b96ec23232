"""The WebSocket tab's relay (/api/ws/relay) against the real echo server:
the handshake checks (Origin, session, token), frames and close relayed with
the record's timings, and a public instance's guard and limits."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection, connect

from reqlab.web.testing import Workbench, start_workbench


def page_socket(
    wb: Workbench, origin: str | None = "self", token: str | None = "ok", api: Any = None
) -> Any:
    """Open the relay as the page would: session cookie, Origin, token in the query."""
    api = api or wb.api()
    csrf = api.headers["X-CSRF-Token"] if token == "ok" else token
    cookie = "; ".join(f"{k}={v}" for k, v in api.cookies.items())
    url = wb.url.replace("http://", "ws://") + "/api/ws/relay"
    if csrf is not None:
        url += f"?csrf={csrf}"
    headers = {"Cookie": cookie}
    return connect(
        url,
        origin=wb.url if origin == "self" else origin,  # type: ignore[arg-type]
        additional_headers=headers,
        open_timeout=5,
    )


def until(sock: ClientConnection, kind: str, timeout: float = 5) -> list[dict[str, Any]]:
    """Messages up to and including the first of type ``kind``."""
    seen = []
    while True:
        msg = json.loads(sock.recv(timeout=timeout))
        seen.append(msg)
        if msg["type"] == kind:
            return seen


def frames_of(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for m in messages if m["type"] == "frames" for f in m["frames"]]


@pytest.fixture
def sock(workbench: Workbench) -> Iterator[ClientConnection]:
    with page_socket(workbench) as s:
        yield s


def test_handshake_frames_ping_and_close_are_relayed(
    workbench: Workbench, sock: ClientConnection
) -> None:
    url = workbench.echo_url.replace("http://", "ws://") + "/ws?reflect=0"
    sock.send(json.dumps({"type": "connect", "url": url, "headers": [["X-Trace", "7"]]}))
    hs = until(sock, "handshake")[-1]
    assert hs["status"] == 101
    assert ["X-Trace", "7"] in hs["request_headers"]
    assert set(hs["timings"]) == {"dns", "connect", "tls", "upgrade"}
    assert hs["timings"]["upgrade"] > 0
    sock.send(json.dumps({"type": "send", "text": "hello"}))
    sock.send(json.dumps({"type": "send", "base64": base64.b64encode(b"\x00\x01").decode()}))
    sock.send(json.dumps({"type": "ping", "text": "p"}))
    seen: list[dict[str, Any]] = []
    while len([f for f in frames_of(seen) if f["direction"] == "in"]) < 3:  # 2 echoes, a pong
        seen += until(sock, "frames")
    sock.send(json.dumps({"type": "close", "code": 4001, "reason": "bye"}))
    seen += until(sock, "closed")
    frames = frames_of(seen)
    kinds = [(f["direction"], f["opcode"]) for f in frames]
    assert ("out", "text") in kinds and ("in", "text") in kinds
    assert ("in", "binary") in kinds and ("in", "pong") in kinds and ("out", "ping") in kinds
    echoed = [f for f in frames if f["direction"] == "in" and f["opcode"] == "text"]
    assert echoed[0]["message"] == "hello" and echoed[0]["size"] == 5
    assert seen[-1] == {"type": "closed", "code": 4001, "reason": "bye", "by": "client"}


def test_server_close_and_bad_commands(workbench: Workbench, sock: ClientConnection) -> None:
    sock.send("{")
    assert json.loads(sock.recv(timeout=5)) == {"type": "error", "message": "not JSON"}
    sock.send(json.dumps({"type": "send", "text": "x"}))
    assert json.loads(sock.recv(timeout=5))["message"] == "not connected"
    sock.send(json.dumps({"type": "connect", "url": "http//nope"}))
    assert "ws:// or wss://" in json.loads(sock.recv(timeout=5))["message"]
    url = workbench.echo_url.replace("http://", "ws://") + "/ws/close?code=4003&reason=gone"
    sock.send(json.dumps({"type": "connect", "url": url}))
    closed = until(sock, "closed")[-1]
    assert (closed["code"], closed["reason"], closed["by"]) == (4003, "gone", "server")


@pytest.mark.parametrize(
    ("origin", "token"),
    [(None, "ok"), ("http://evil.example", "ok"), ("self", None), ("self", "wrong")],
)
def test_handshake_without_origin_or_token_is_refused(
    workbench: Workbench, origin: str | None, token: str | None
) -> None:
    with pytest.raises(InvalidStatus) as info:
        page_socket(workbench, origin, token)
    assert info.value.response.status_code == 403


def test_public_instance_guards_and_caps(tmp_path: Any) -> None:
    with start_workbench(
        public=True,
        public_ws_max_message=10,
        public_ws_per_session=1,
        public_ws_max_time=0.5,
        public_ws_messages_per_minute=30,  # a burst of 3
    ) as wb:
        echo = wb.echo_url.replace("http://", "ws://")
        api = wb.api()
        with page_socket(wb, api=api) as s:
            # a private address is refused as a send is; the co-hosted echo server is not
            s.send(json.dumps({"type": "connect", "url": "ws://10.0.0.1:9/ws"}))
            assert "refuses it" in json.loads(s.recv(timeout=5))["message"]
            s.send(json.dumps({"type": "connect", "url": echo + "/ws?reflect=0"}))
            assert until(s, "handshake")[-1]["status"] == 101
            s.send(json.dumps({"type": "send", "text": "x" * 11}))
            assert "over this workbench's cap of 10" in until(s, "error")[-1]["message"]
            for _ in range(3):  # the cap's refusal took one of the burst
                s.send(json.dumps({"type": "send", "text": "y"}))
            assert "too many messages" in until(s, "error")[-1]["message"]
            # a second tab of the same session is over the per-session cap
            with page_socket(wb, api=api) as other:
                assert json.loads(other.recv(timeout=5)) == {
                    "type": "error",
                    "message": "at most 1 WebSocket tabs per session",
                }
            closed = until(s, "closed")[-1]  # the connection time limit
            assert (closed["code"], closed["by"]) == (1000, "client")
            assert closed["reason"] == "connection time limit of this workbench"
