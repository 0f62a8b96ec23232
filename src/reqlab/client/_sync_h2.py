"""An HTTP/2 connection on a blocking socket, for the sync engine.

:class:`H2State` (shared with the async engine) does the protocol; this
class reads until the one stream it waits for has ended.  Between requests
nobody reads, so before a reuse :meth:`catch_up` takes in whatever the
server sent meanwhile (SETTINGS, PING, a GOAWAY) without waiting.
"""

from __future__ import annotations

import select
import socket
from time import perf_counter

from reqlab.client._body import BodySink
from reqlab.client._h2core import H2State, Stream
from reqlab.errors import RemoteProtocolError, RequestTimeout
from reqlab.model import Header

READ_SIZE = 65536


class SyncH2Connection(H2State):
    def __init__(self, conn_id: int, sock: socket.socket, tls: bool) -> None:
        super().__init__(conn_id, tls, self._write)
        self.sock = sock
        self._timeout = sock.gettimeout()
        self.start()

    def _write(self, data: bytes) -> None:
        try:
            self.sock.sendall(data)
        except OSError:
            self._gone()

    def _gone(self) -> None:
        self.lost()
        self.sock.close()

    def fail(self, reason: str) -> None:
        super().fail(reason)
        self.sock.close()

    def _set_timeout(self, seconds: float | None) -> None:
        if seconds != self._timeout:
            self.sock.settimeout(seconds)
            self._timeout = seconds

    def _read(self) -> None:
        try:
            data = self.sock.recv(READ_SIZE)
        except TimeoutError:
            raise
        except OSError:
            data = b""
        if data:
            self.receive(data)
        else:
            self._gone()

    def catch_up(self) -> None:
        """Take in what arrived while the connection was idle, without waiting."""
        while not self.closed:
            pending = self.tls and self.sock.pending()  # type: ignore[attr-defined]
            if not pending:
                try:
                    if not select.select([self.sock], [], [], 0)[0]:
                        return
                except (OSError, ValueError):
                    self._gone()
                    return
            self._read()

    def exchange(
        self, headers: list[Header], body: bytes, sink: BodySink, timeout: float | None
    ) -> tuple[Stream, float]:
        """Open a stream, send the request, read until its response has ended."""
        stream_id, stream, sent = self.begin(headers, body, sink, timeout, whole=True)
        return stream, sent

    def begin(
        self,
        headers: list[Header],
        body: bytes,
        sink: BodySink,
        timeout: float | None,
        whole: bool = False,
    ) -> tuple[int, Stream, float]:
        """Open a stream and send the request; read up to the response head
        (or, ``whole``, to its end).  The timeout covers that much."""
        self._set_timeout(timeout)
        stream_id, stream = self.open(headers, sink, end_stream=not body)
        deadline = perf_counter() + timeout if timeout else 0.0
        try:
            view = memoryview(body)
            while view and not stream.ended:
                rest = self.send_some(stream_id, view)
                if len(rest) == len(view):  # window used up: read until WINDOW_UPDATE
                    self._wait(stream_id, stream, deadline, timeout, "send")
                view = rest
            sent = perf_counter()
            while not stream.ended and (whole or not stream.status):
                self._wait(stream_id, stream, deadline, timeout, None)
        finally:
            if stream.ended:
                self.streams.pop(stream_id, None)
        if stream.error is not None:
            raise stream.error
        return stream_id, stream, sent

    def pump(self, stream_id: int, stream: Stream, timeout: float | None) -> bool:
        """One read for a streamed response; True once it ended."""
        if not stream.ended:
            deadline = perf_counter() + timeout if timeout else 0.0
            self._wait(stream_id, stream, deadline, timeout, None)
        if stream.error is not None:
            raise stream.error
        return stream.ended

    def _wait(
        self,
        stream_id: int,
        stream: Stream,
        deadline: float,
        timeout: float | None,
        phase: str | None,
    ) -> None:
        if self.closed:
            self.end(stream_id, self.error or RemoteProtocolError("HTTP/2 connection closed"))
            return
        if deadline:
            self._set_timeout(max(deadline - perf_counter(), 0.001))
        try:
            self._read()
        except TimeoutError:
            phase = phase or ("receive" if stream.first_byte else "wait")
            self.reset(stream_id)
            self.end(stream_id, RequestTimeout(phase, timeout))

    def close(self) -> None:
        self.goodbye()  # a failed write there marks the connection gone
        self.closed = True
        self.sock.close()
