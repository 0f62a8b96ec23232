"""An HTTP CONNECT tunnel through a proxy (RFC 9110 section 9.3.6), without I/O.

:func:`connect_request` is the request to write; :class:`TunnelReply`
takes the proxy's answer as it is read and says, once its head is in,
whether the tunnel is open (any 2xx) and what came after the head (bytes
that already belong to the tunnel).  A refusal keeps the status and reason
so the error can name them (407: the proxy wants credentials; 502: it could
not reach the target).
"""

from __future__ import annotations

import base64

from reqlab.errors import RemoteProtocolError
from reqlab.model import Header

MAX_HEAD = 64 * 1024


def basic_credentials(username: str, password: str) -> str:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return f"Basic {token}"


def connect_request(host: str, port: int, headers: list[Header] | None = None) -> bytes:
    authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    lines = [f"CONNECT {authority} HTTP/1.1", f"Host: {authority}"]
    lines += [f"{name}: {value}" for name, value in headers or ()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class TunnelReply:
    def __init__(self) -> None:
        self._buf = b""
        self.status = 0
        self.reason = ""
        self.headers: list[Header] = []
        self.rest = b""

    @property
    def complete(self) -> bool:
        return self.status != 0

    @property
    def open(self) -> bool:
        return 200 <= self.status < 300

    def receive(self, data: bytes) -> bool:
        """Feed the proxy's bytes; True once the head of its answer is in."""
        if not data:
            raise RemoteProtocolError("the proxy closed the connection before answering CONNECT")
        self._buf += data
        head, sep, rest = self._buf.partition(b"\r\n\r\n")
        if not sep:
            if len(self._buf) > MAX_HEAD:
                raise RemoteProtocolError("the proxy's answer to CONNECT has no end of head")
            return False
        status_line, *lines = head.decode("latin-1").split("\r\n")
        parts = status_line.split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
            raise RemoteProtocolError(f"the proxy answered CONNECT with {status_line[:60]!r}")
        self.status = int(parts[1])
        self.reason = parts[2] if len(parts) > 2 else ""
        for line in lines:
            name, _, value = line.partition(":")
            self.headers.append((name.strip(), value.strip()))
        self.rest = rest
        return True
