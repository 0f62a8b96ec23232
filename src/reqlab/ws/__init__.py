"""WebSocket client (RFC 6455 on wsproto, over reqlab's timed connector).

    import reqlab.ws

    async with await reqlab.ws.connect("ws://127.0.0.1:8081/ws?reflect=0") as ws:
        await ws.send("hello")
        print(await ws.recv())
        print(ws.record.to_json())  # timings, every frame, who closed

``connect_sync`` is the same client on a blocking socket.  See ``docs/ws.md``.
"""

from __future__ import annotations

from reqlab.ws._client import WebSocket, basic_auth, connect
from reqlab.ws._conn import WebSocketClosed
from reqlab.ws._record import CloseRecord, FrameRecord, HandshakeTimings, WSRecord
from reqlab.ws._sync import SyncWebSocket, connect_sync

__all__ = [
    "CloseRecord",
    "FrameRecord",
    "HandshakeTimings",
    "SyncWebSocket",
    "WSRecord",
    "WebSocket",
    "WebSocketClosed",
    "basic_auth",
    "connect",
    "connect_sync",
]
