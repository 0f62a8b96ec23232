"""WebSocket frame boundaries and the common frame, in a few lines of integer code.

:class:`reqlab.protocol.ws.WSConnection` cuts the incoming bytes into whole
frames here (only the header is read: FIN, RSV, opcode, mask bit, length),
and handles the common frame itself: a whole text or binary message in one
frame, no extension bits, masked as the role requires.  Every other frame
(control frames, fragments, compressed frames, anything malformed) goes to
wsproto whole, so wsproto never holds a partial frame and both paths see
the same stream.  tests/ws/test_protocol_ws.py checks that the two paths
give the same events for the same bytes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

TEXT = 0x1
BINARY = 0x2


@dataclass(frozen=True, slots=True)
class FrameHead:
    fin: bool
    rsv: int
    opcode: int
    masked: bool
    length: int
    size: int  # header bytes (mask key included)


def parse_head(buf: bytes | bytearray, i: int) -> FrameHead | None:
    """The header of the frame starting at ``buf[i]``; None until it is all there."""
    n = len(buf) - i
    if n < 2:
        return None
    b0 = buf[i]
    b1 = buf[i + 1]
    length = b1 & 0x7F
    size = 2
    if length == 126:
        if n < 4:
            return None
        length = int.from_bytes(buf[i + 2 : i + 4], "big")
        size = 4
    elif length == 127:
        if n < 10:
            return None
        length = int.from_bytes(buf[i + 2 : i + 10], "big")
        size = 10
    masked = bool(b1 & 0x80)
    if masked:
        size += 4
    return FrameHead(bool(b0 & 0x80), b0 & 0x70, b0 & 0x0F, masked, length, size)


def unmask(key: bytes | bytearray, data: bytes | bytearray) -> bytes:
    """XOR ``data`` with the repeated 4-byte ``key`` (one big-integer XOR: C speed)."""
    n = len(data)
    if not n:
        return b""
    stream = (bytes(key) * (n // 4 + 1))[:n]
    return (int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")).to_bytes(n, "big")


def frame(opcode: int, payload: bytes, *, mask: bool) -> bytes:
    """One whole frame (FIN set), masked with a fresh key when ``mask``."""
    n = len(payload)
    bit = 0x80 if mask else 0
    if n < 126:
        head = bytes((0x80 | opcode, bit | n))
    elif n < 65536:
        head = bytes((0x80 | opcode, bit | 126)) + n.to_bytes(2, "big")
    else:
        head = bytes((0x80 | opcode, bit | 127)) + n.to_bytes(8, "big")
    if not mask:
        return head + payload
    key = os.urandom(4)
    return head + key + unmask(key, payload)
