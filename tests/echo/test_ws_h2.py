"""WebSocket over HTTP/2 (RFC 8441 extended CONNECT), driven with the h2 library as the client."""

from __future__ import annotations

import contextlib
import socket

import h2.config
import h2.connection
import h2.events

from reqlab.echo.testing import EchoHandle
from reqlab.protocol import ws_frames


class H2Peer:
    def __init__(self, echo: EchoHandle) -> None:
        self.sock = socket.create_connection((echo.host, echo.port), timeout=5)
        self.conn = h2.connection.H2Connection(
            h2.config.H2Configuration(client_side=True, header_encoding="utf-8")
        )
        self.conn.initiate_connection()
        self.sock.sendall(self.conn.data_to_send())
        self.events: list = []

    def pump(self, until) -> list:
        """Read until ``until()`` holds (it looks at self.events)."""
        while not until():
            data = self.sock.recv(65536)
            if not data:
                break
            self.events += self.conn.receive_data(data)
            out = self.conn.data_to_send()
            if out:
                self.sock.sendall(out)
        return self.events

    def has(self, kind: type) -> bool:
        return any(isinstance(e, kind) for e in self.events)

    def data(self, sid: int) -> bytes:
        return b"".join(
            e.data
            for e in self.events
            if isinstance(e, h2.events.DataReceived) and e.stream_id == sid
        )

    def connect(self, path: str, extra: list[tuple[str, str]] = ()) -> int:
        sid = self.conn.get_next_available_stream_id()
        self.conn.send_headers(
            sid,
            [
                (":method", "CONNECT"),
                (":protocol", "websocket"),
                (":scheme", "http"),
                (":path", path),
                (":authority", "x"),
                ("sec-websocket-version", "13"),
                *extra,
            ],
        )
        self.sock.sendall(self.conn.data_to_send())
        return sid

    def send(self, sid: int, data: bytes, end: bool = False) -> None:
        self.conn.send_data(sid, data, end_stream=end)
        self.sock.sendall(self.conn.data_to_send())


def test_server_advertises_extended_connect_and_echoes_over_a_stream(echo_server: EchoHandle):
    peer = H2Peer(echo_server)
    peer.pump(lambda: peer.has(h2.events.RemoteSettingsChanged))
    assert peer.conn.remote_settings.enable_connect_protocol == 1
    sid = peer.connect("/ws?reflect=0", [("sec-websocket-protocol", "chat, x")])
    peer.pump(lambda: peer.has(h2.events.ResponseReceived))
    (resp,) = [e for e in peer.events if isinstance(e, h2.events.ResponseReceived)]
    headers = dict(resp.headers)
    assert headers[":status"] == "200" and headers["sec-websocket-protocol"] == "chat"
    assert "sec-websocket-accept" not in headers
    peer.send(sid, ws_frames.frame(1, b"over h2", mask=True))
    peer.pump(lambda: b"over h2" in peer.data(sid))
    assert peer.data(sid) == b"\x81\x07over h2"
    # a second stream on the same connection: the tick endpoint ends with a normal close
    sid2 = peer.connect("/ws/tick?interval=0.01&count=2")
    peer.pump(lambda: b"done" in peer.data(sid2))
    assert peer.data(sid2).startswith(b"\x81\x06tick 1\x81\x06tick 2\x88")
    # the client's Close answered, the stream ended by the server
    peer.send(sid2, ws_frames.frame(8, b"\x03\xe8", mask=True))
    peer.pump(
        lambda: any(
            isinstance(e, h2.events.StreamEnded) and e.stream_id == sid2 for e in peer.events
        )
    )
    peer.sock.close()


def test_a_connect_without_the_version_is_refused(echo_server: EchoHandle):
    peer = H2Peer(echo_server)
    peer.pump(lambda: peer.has(h2.events.RemoteSettingsChanged))
    sid = peer.conn.get_next_available_stream_id()
    peer.conn.send_headers(
        sid,
        [
            (":method", "CONNECT"),
            (":protocol", "websocket"),
            (":scheme", "http"),
            (":path", "/ws"),
            (":authority", "x"),
        ],
    )
    peer.sock.sendall(peer.conn.data_to_send())
    peer.pump(lambda: peer.has(h2.events.ResponseReceived))
    (resp,) = [e for e in peer.events if isinstance(e, h2.events.ResponseReceived)]
    assert dict(resp.headers)[":status"] == "400"
    peer.sock.close()


def test_a_peer_that_sends_without_reading_is_slowed_by_flow_control(echo_server: EchoHandle):
    peer = H2Peer(echo_server)
    peer.pump(lambda: peer.has(h2.events.RemoteSettingsChanged))
    sid = peer.connect("/ws?reflect=0&deflate=0")
    peer.pump(lambda: peer.has(h2.events.ResponseReceived))
    frame = ws_frames.frame(2, b"x" * 16000, mask=True)
    sent = 0
    peer.sock.settimeout(0.05)
    # never read the echoes (no WINDOW_UPDATE from us); keep sending while the server lets us
    while peer.conn.local_flow_control_window(sid) >= len(frame) and sent < 200:
        peer.send(sid, frame)
        sent += 1
        with contextlib.suppress(TimeoutError):  # its WINDOW_UPDATEs (and echoes, unread)
            peer.conn.receive_data(peer.sock.recv(65536))
    assert sent < 200  # the server stopped opening our window
    sessions = [c for c in echo_server.server.connections if hasattr(c, "ws")]
    assert sessions and all(len(c.transport._pending) < 2 * 1024 * 1024 for c in sessions)
    peer.sock.close()
