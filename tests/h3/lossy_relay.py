"""A UDP relay on 127.0.0.1 that drops every Nth datagram from the client,
deterministically: a lossy path for QUIC's loss recovery to work on."""

from __future__ import annotations

import select
import socket
import threading
from types import TracebackType


class LossyRelay:
    def __init__(self, server: tuple[str, int], drop_every: int, spare_first: int = 6) -> None:
        self.server = server
        self.drop_every = drop_every
        self.spare_first = spare_first  # the handshake's datagrams pass untouched
        self.front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.front.bind(("127.0.0.1", 0))
        self.port = self.front.getsockname()[1]
        self.back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.back.bind(("127.0.0.1", 0))
        self.wake_r, self.wake_w = socket.socketpair()
        self.client: tuple[str, int] | None = None
        self.from_client = 0
        self.dropped = 0
        self.thread = threading.Thread(target=self._run, name="lossy-relay", daemon=True)

    def _run(self) -> None:
        while True:
            ready, _, _ = select.select([self.front, self.back, self.wake_r], [], [])
            if self.wake_r in ready:
                return
            if self.front in ready:
                data, self.client = self.front.recvfrom(65536)
                self.from_client += 1
                n = self.from_client - self.spare_first
                if n > 0 and n % self.drop_every == 0:
                    self.dropped += 1
                else:
                    self.back.sendto(data, self.server)
            if self.back in ready:
                data, _ = self.back.recvfrom(65536)
                if self.client is not None:
                    self.front.sendto(data, self.client)

    def __enter__(self) -> LossyRelay:
        self.thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.wake_w.send(b"x")
        self.thread.join(timeout=10)
        for sock in (self.front, self.back, self.wake_r, self.wake_w):
            sock.close()
