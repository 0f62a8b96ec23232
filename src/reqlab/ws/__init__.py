"""WebSocket client (RFC 6455 on wsproto, over reqlab's timed connector).

    import reqlab.ws

    async with await reqlab.ws.connect("ws://127.0.0.1:8081/ws?reflect=0") as ws:
        await ws.send("hello")
        print(await ws.recv())
        print(ws.record.to_json())  # timings, every frame, who closed

See ``docs/ws.md``.
"""

from __future__ import annotations

from reqlab.ws._client import WebSocket, WebSocketClosed, basic_auth, connect
from reqlab.ws._record import CloseRecord, FrameRecord, HandshakeTimings, WSRecord

__all__ = [
    "CloseRecord",
    "FrameRecord",
    "HandshakeTimings",
    "WSRecord",
    "WebSocket",
    "WebSocketClosed",
    "basic_auth",
    "connect",
]
