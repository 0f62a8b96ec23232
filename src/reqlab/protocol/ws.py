"""One WebSocket connection after the handshake, sans-IO: bytes in, messages out.

Theory of operation
-------------------
wsproto parses and writes the frames (masking, fragmentation, control frames,
permessage-deflate, UTF-8 checks with close code 1007).  This class adds what
both of reqlab's engines need on top:

* whole messages: wsproto hands out a message in pieces as bytes arrive;
  :meth:`WSConnection.receive` joins them and returns :class:`Message` events;
* a size cap: a message growing past ``max_size`` is answered with close 1009
  (RFC 6455 7.4.1 "message too big") instead of being buffered;
* the closing handshake: a peer's Close is answered with the same code, a
  protocol failure wsproto detects is answered with its code (1002, 1007), and
  :class:`Closed` says who closed first;
* pings answered with pongs unless ``auto_pong`` is off (the echo server's
  ``/ws/noping``);
* a frame log (:class:`FrameInfo`) when ``log_frames`` is on, for the client's
  record: direction, opcode, payload size (after decompression), FIN.

Bytes to write collect in an outbox (:meth:`data_to_send`).
"""

from __future__ import annotations

from dataclasses import dataclass

from wsproto.connection import Connection, ConnectionState, ConnectionType
from wsproto.events import BytesMessage, CloseConnection, Ping, Pong, TextMessage
from wsproto.extensions import Extension
from wsproto.frame_protocol import CloseReason

from reqlab.protocol import ws_frames
from reqlab.protocol.ws_frames import BINARY, TEXT

DEFAULT_MAX_SIZE = 16 * 1024 * 1024
TOO_BIG = int(CloseReason.MESSAGE_TOO_BIG)  # 1009
NORMAL = int(CloseReason.NORMAL_CLOSURE)  # 1000
GOING_AWAY = int(CloseReason.GOING_AWAY)  # 1001
NO_STATUS = int(CloseReason.NO_STATUS_RCVD)  # 1005
ABNORMAL = int(CloseReason.ABNORMAL_CLOSURE)  # 1006


@dataclass(frozen=True, slots=True)
class Message:
    data: str | bytes  # str for a text message, bytes for binary
    frames: int  # how many frames carried it


@dataclass(frozen=True, slots=True)
class PingReceived:
    payload: bytes


@dataclass(frozen=True, slots=True)
class PongReceived:
    payload: bytes


@dataclass(frozen=True, slots=True)
class Closed:
    code: int
    reason: str
    by: str  # "peer" (the peer's Close came first), "local", or "transport" (no Close at all)


@dataclass(frozen=True, slots=True)
class FrameInfo:
    direction: str  # "in" | "out"
    opcode: str  # "text" | "binary" | "continuation" | "ping" | "pong" | "close"
    size: int
    fin: bool


Event = Message | PingReceived | PongReceived | Closed


class WSConnection:
    """Either side of an open WebSocket (``client=True`` masks what it sends)."""

    def __init__(
        self,
        *,
        client: bool,
        extensions: list[Extension] | None = None,
        max_size: int = DEFAULT_MAX_SIZE,
        auto_pong: bool = True,
        log_frames: bool = False,
        fast: bool = True,
    ) -> None:
        kind = ConnectionType.CLIENT if client else ConnectionType.SERVER
        self._ws = Connection(kind, extensions)
        self._client = client
        # The common frame is handled in ws_frames unless an extension may
        # transform frames (permessage-deflate) or the caller asks for wsproto only.
        self._fast = fast and not extensions
        self._buf = b""  # the start of a frame not yet whole
        self._in_fragment = False  # a fragmented message is arriving (wsproto's)
        self._out_fragment = False  # we are sending one (wsproto's)
        self.max_size = max_size
        self.auto_pong = auto_pong
        self.frames: list[FrameInfo] | None = [] if log_frames else None
        self.closed: Closed | None = None
        self._out: list[bytes] = []
        self._parts: list[str | bytes] = []
        self._size = 0
        self._frames_in = 0  # frames of the message being assembled
        self._frame_size = 0  # bytes of the incoming frame so far

    @property
    def open(self) -> bool:
        return self._ws.state is ConnectionState.OPEN

    @property
    def handshake_done(self) -> bool:
        """Both Close frames have passed (or the transport ended): nothing more to say."""
        return self._ws.state is ConnectionState.CLOSED

    def data_to_send(self) -> bytes:
        out = b"".join(self._out)
        self._out.clear()
        return out

    # -- sending ------------------------------------------------------------
    def send(self, data: str | bytes, *, fin: bool = True) -> None:
        """Queue a text (str) or binary (bytes) message or, with ``fin=False``, a fragment."""
        if not self.open:
            return
        text = isinstance(data, str)
        if self._fast and fin and not self._out_fragment:
            payload = data.encode() if isinstance(data, str) else data
            self._out.append(ws_frames.frame(TEXT if text else BINARY, payload, mask=self._client))
        elif isinstance(data, str):
            self._out.append(self._ws.send(TextMessage(data, message_finished=fin)))
        else:
            self._out.append(self._ws.send(BytesMessage(data, message_finished=fin)))
        if self.frames is not None:
            kind = "continuation" if self._out_fragment else ("text" if text else "binary")
            self.frames.append(FrameInfo("out", kind, _nbytes(data), fin))
        self._out_fragment = not fin

    def ping(self, payload: bytes = b"") -> None:
        if self.open:
            self._out.append(self._ws.send(Ping(payload)))
            self._log("out", "ping", len(payload))

    def close(self, code: int = NORMAL, reason: str = "") -> None:
        """Start (or answer) the closing handshake."""
        state = self._ws.state
        if state not in (ConnectionState.OPEN, ConnectionState.REMOTE_CLOSING):
            return
        self._out.append(self._ws.send(CloseConnection(code, reason or None)))
        self._log("out", "close", len(reason.encode()) + 2)
        if self.closed is None and state is ConnectionState.OPEN:
            self.closed = Closed(code, reason, "local")

    # -- receiving ----------------------------------------------------------
    def receive(self, data: bytes) -> list[Event]:
        """Feed bytes from the peer (``b""``: the transport ended); events out."""
        if self._ws.state is ConnectionState.CLOSED:
            return []
        if not data:
            return self._transport_ended()
        if self._buf:
            data = self._buf + data
        out: list[Event] = []
        i, n = 0, len(data)
        while i < n:
            head = ws_frames.parse_head(data, i)
            if head is None:
                break
            if head.length > self.max_size and head.opcode < 3 and not head.rsv:
                out.append(self._too_big())  # refused before it is buffered
                i = n
                break
            end = i + head.size + head.length
            if end > n:
                break
            if (
                self._fast
                and head.fin
                and not head.rsv
                and (head.opcode == TEXT or head.opcode == BINARY)
                and head.masked is not self._client
                and not self._in_fragment
                and self._ws.state is ConnectionState.OPEN
            ):
                msg = self._whole(data, i + head.size, end, head.masked, head.opcode == TEXT)
                if msg is not None:
                    out.append(msg)
                    i = end
                    continue
            elif head.opcode < 3:  # a data frame for wsproto: a fragment starts, goes on or ends
                self._in_fragment = not head.fin
            if self._slow(data[i:end], out):
                i = n  # closed: whatever follows is not read
                break
            i = end
        self._buf = data[i:] if i < n else b""
        return out

    def _whole(self, data: bytes, start: int, end: int, masked: bool, text: bool) -> Message | None:
        """The common frame's message; None (wsproto decides) for text that is not UTF-8."""
        payload = data[start:end]
        if masked:
            payload = ws_frames.unmask(data[start - 4 : start], payload)
        if self.frames is not None:
            self.frames.append(FrameInfo("in", "text" if text else "binary", len(payload), True))
        if not text:
            return Message(payload, 1)
        try:
            return Message(payload.decode(), 1)
        except UnicodeDecodeError:
            if self.frames is not None:
                self.frames.pop()
            return None

    def _too_big(self) -> Closed:
        self._parts.clear()
        self.close(TOO_BIG, f"message over {self.max_size} bytes")
        assert self.closed is not None
        return self.closed

    def _slow(self, frame: bytes, out: list[Event]) -> bool:
        """One whole frame through wsproto; True once the connection is closing or closed."""
        ws = self._ws
        ws.receive_data(frame)
        for ev in ws.events():
            if isinstance(ev, TextMessage | BytesMessage):
                if ws.state is ConnectionState.LOCAL_CLOSING:
                    continue  # after our Close, data is discarded (RFC 6455 1.4)
                msg = self._piece(ev)
                if msg is not None:
                    out.append(msg)
                if self._size > self.max_size:
                    out.append(self._too_big())
                    return True
            elif isinstance(ev, Ping):
                payload = bytes(ev.payload)
                self._log("in", "ping", len(payload))
                if self.auto_pong:
                    self._out.append(ws.send(Pong(payload)))
                    self._log("out", "pong", len(payload))
                out.append(PingReceived(payload))
            elif isinstance(ev, Pong):
                payload = bytes(ev.payload)
                self._log("in", "pong", len(payload))
                out.append(PongReceived(payload))
            elif isinstance(ev, CloseConnection):
                out.append(self._on_close(ev))
                return True
        return False

    def _piece(self, ev: TextMessage | BytesMessage) -> Message | None:
        data: str | bytes = ev.data if isinstance(ev, TextMessage) else bytes(ev.data)
        size = len(data)
        if size * 4 > self.max_size and type(data) is str and not data.isascii():
            size = len(data.encode())  # the cap is in bytes; only text near it pays for this
        if ev.message_finished and not self._parts:  # the common case: one whole frame
            self._size = size
            if size > self.max_size:
                return None
            if self.frames is not None:
                self._frame_end(ev)
            return Message(data, 1)
        self._parts.append(data)
        self._size += size
        if ev.frame_finished:
            if self.frames is not None:
                self._frame_end(ev)
            self._frames_in += 1
        elif self.frames is not None:
            self._frame_size += _nbytes(ev.data)
        if not ev.message_finished or self._size > self.max_size:
            return None
        parts = self._parts
        joined = "".join(parts) if isinstance(data, str) else b"".join(parts)  # type: ignore[arg-type]  # parts share the message's type
        frames = self._frames_in
        self._parts = []
        self._size = 0
        self._frames_in = 0
        return Message(joined, frames)

    def _frame_end(self, ev: TextMessage | BytesMessage) -> None:
        assert self.frames is not None
        if self._frames_in:
            kind = "continuation"
        else:
            kind = "text" if isinstance(ev, TextMessage) else "binary"
        size = self._frame_size + _nbytes(ev.data)
        self.frames.append(FrameInfo("in", kind, size, ev.message_finished))
        self._frame_size = 0

    def _on_close(self, ev: CloseConnection) -> Closed:
        reason = ev.reason or ""
        code = int(ev.code)  # wsproto gives its IntEnum for known codes
        if self._ws.state is ConnectionState.REMOTE_CLOSING:
            self._log("in", "close", len(reason.encode()) + (2 if code != NO_STATUS else 0))
            if self.closed is None:
                self.closed = Closed(code, reason, "peer")
            # Answer with the same code (RFC 6455 5.5.1); 1005 means "none given".
            self._out.append(self._ws.send(CloseConnection(code if code != NO_STATUS else NORMAL)))
            self._log("out", "close", 2)
            return self.closed
        if self._ws.state is ConnectionState.CLOSED:  # the answer to our own Close
            self._log("in", "close", len(reason.encode()) + 2)
            assert self.closed is not None
            return self.closed
        # wsproto found a protocol error (bad UTF-8: 1007, bad framing: 1002)
        self.close(code, reason[:120])
        assert self.closed is not None
        return self.closed

    def _transport_ended(self) -> list[Event]:
        self._ws.receive_data(None)
        list(self._ws.events())
        if self.closed is None:
            self.closed = Closed(ABNORMAL, "connection closed without a Close frame", "transport")
            return [self.closed]
        return []

    def _log(self, direction: str, opcode: str, size: int) -> None:
        if self.frames is not None:
            self.frames.append(FrameInfo(direction, opcode, size, True))


def _nbytes(data: str | bytes | bytearray) -> int:
    """Payload bytes (text counted as UTF-8), for the frame log."""
    return len(data.encode()) if isinstance(data, str) else len(data)
