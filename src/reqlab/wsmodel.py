"""A WebSocket session as data: what code generation turns into a client program.

Layer 1 (pure data, no I/O), like :mod:`reqlab.model`: the URL, the
handshake's headers and subprotocols, the messages to send once open, and
how many messages to read back before closing.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from reqlab.errors import InvalidRequest
from reqlab.model import Header, check_header, is_token


@dataclass(frozen=True)
class WebSocketRequest:
    url: str
    headers: tuple[Header, ...] = ()
    subprotocols: tuple[str, ...] = ()
    messages: tuple[str | bytes, ...] = ()  # str: a text message, bytes: binary
    receive: int = 1  # messages read (and printed) before the client closes

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("ws", "wss") or not parts.hostname:
            raise InvalidRequest(
                "url", f"a WebSocket URL is ws:// or wss:// with a host: {self.url!r}"
            )
        object.__setattr__(self, "headers", tuple((n, v) for n, v in self.headers))
        for name, value in self.headers:
            check_header(name, value)
        for sub in self.subprotocols:
            if not is_token(sub):
                raise InvalidRequest("subprotocols", f"{sub!r} is not a token")
        if self.receive < 0:
            raise InvalidRequest("receive", "must be 0 or more")
