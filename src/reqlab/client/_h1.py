"""An HTTP/1.x connection on an asyncio transport.

A thin asyncio.Protocol around the sans-IO :class:`H1Client`: bytes are
parsed in ``data_received`` as they arrive (no intermediate stream buffer),
body bytes go straight into the exchange's :class:`BodySink`, and one future
per exchange wakes the sender when the response is complete.  This is the
hot path for keep-alive requests, so it avoids per-request tasks and
``wait_for``.
"""

from __future__ import annotations

import asyncio
import socket
from time import perf_counter

from reqlab.client._body import BodySink
from reqlab.client._proxy import Proxy
from reqlab.client._record import ConnectionInfo
from reqlab.client._wire import deliver
from reqlab.errors import RemoteProtocolError, RequestTimeout
from reqlab.protocol.h1client import CLOSED, H1Client, Informational


class H1Connection(asyncio.Protocol):
    http2 = False

    def __init__(self, conn_id: int, sock: socket.socket, tls: bool) -> None:
        self.id = conn_id
        self.sock = sock
        self.tls = tls
        self.proto = H1Client()
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.idle_since = 0.0
        self.requests = 0
        self.server_timeout: int | float | None = None
        self.server_max: int | None = None
        self.info: ConnectionInfo | None = None  # set by the pool
        self.forward: Proxy | None = None  # the HTTP proxy requests are forwarded to
        self._waiter: asyncio.Future[None] | None = None
        self._sink: BodySink | None = None
        self._first_byte = 0.0
        self._drain: asyncio.Future[None] | None = None
        self.interim: list[Informational] = []
        self._timer: asyncio.TimerHandle | None = None
        self._deadline = 0.0
        self._timeout = 0.0

    # ------------------------------------------------------ asyncio hooks
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        if self._first_byte == 0.0:
            self._first_byte = perf_counter()
        try:
            events = self.proto.receive_data(data)
            if self._sink is not None and deliver(self.proto, events, self._sink, self.interim):
                self._done()
        except Exception as exc:  # RemoteProtocolError, ResponseTooLarge
            self._fail(exc)
            return
        if self.proto.state == CLOSED and self._waiter is None:
            self.close()

    def eof_received(self) -> bool:
        self.closed = True
        try:
            events = self.proto.receive_data(b"")
        except RemoteProtocolError as exc:
            self._fail(exc)
            return False
        if events:  # a close-delimited body ended
            self._done()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._waiter is not None and not self._waiter.done():
            self.eof_received()
        if self._drain is not None and not self._drain.done():
            self._drain.set_exception(ConnectionResetError("connection lost while sending"))

    def pause_writing(self) -> None:
        self._drain = asyncio.get_running_loop().create_future()

    def resume_writing(self) -> None:
        if self._drain is not None and not self._drain.done():
            self._drain.set_result(None)
        self._drain = None

    # --------------------------------------------------------- exchanges
    def _done(self) -> None:
        waiter = self._waiter
        if self._sink is not None:
            try:
                self._sink.finish()
            except Exception as exc:
                self._fail(exc)
                return
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _fail(self, exc: BaseException) -> None:
        self.close()
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_exception(exc)

    def _arm(self, loop: asyncio.AbstractEventLoop, timeout: float) -> None:
        """Set this exchange's deadline.  One timer per connection serves all
        its exchanges: it re-arms itself for a later deadline instead of
        being created and cancelled for every request."""
        self._deadline = loop.time() + timeout
        self._timeout = timeout
        if self._timer is not None and self._timer.when() > self._deadline:
            self._timer.cancel()  # a shorter timeout than the one the timer serves
            self._timer = None
        if self._timer is None:
            self._timer = loop.call_at(self._deadline, self._check_deadline, loop)

    def _check_deadline(self, loop: asyncio.AbstractEventLoop) -> None:
        self._timer = None
        if self._waiter is None or self._waiter.done():
            return  # idle or finished: the next exchange arms again
        if loop.time() >= self._deadline:
            self._timed_out(self._timeout)
        else:
            self._timer = loop.call_at(self._deadline, self._check_deadline, loop)

    def _timed_out(self, seconds: float) -> None:
        if self._drain is not None:
            phase = "send"
        else:
            phase = "wait" if self._first_byte == 0.0 else "receive"
        self._fail(RequestTimeout(phase, seconds))

    async def exchange(
        self, data: bytes, sink: BodySink, timeout: float | None
    ) -> tuple[float, float, float]:
        """Write one request and wait for its response.

        Returns perf_counter stamps: request written, first response byte,
        response complete.  The response is in ``self.proto.head`` and
        ``sink``.
        """
        loop = asyncio.get_running_loop()
        self._sink = sink
        self._first_byte = 0.0
        self.interim = []
        self.requests += 1
        waiter = self._waiter = loop.create_future()
        if timeout:
            self._arm(loop, timeout)
        try:
            self.transport.write(data)  # type: ignore[union-attr]
            if self._drain is not None:
                await self._drain
            sent = perf_counter()
            await waiter
            return sent, self._first_byte or sent, perf_counter()
        finally:
            self._waiter = None
            self._sink = None

    # ------------------------------------------------------------ streaming
    async def begin(self, data: bytes, sink: BodySink) -> tuple[asyncio.Future[None], float]:
        """Write a request whose response is streamed: returns the future that
        completes with the response, and when the request was written.  The
        caller waits (with its own timeouts) on the sink's news."""
        self._sink = sink
        self._first_byte = 0.0
        self.interim = []
        self.requests += 1
        waiter = self._waiter = asyncio.get_running_loop().create_future()
        self.transport.write(data)  # type: ignore[union-attr]
        if self._drain is not None:
            await self._drain
        return waiter, perf_counter()

    @property
    def first_byte(self) -> float:
        return self._first_byte

    def end_stream(self) -> None:
        self._waiter = None
        self._sink = None

    def idle_state(self) -> str:
        """Check an idle connection before reuse: "open", "closed" or "pending".

        "pending" means bytes wait on a TLS socket (maybe a session ticket):
        the caller lets the loop read them and looks at ``closed`` again.
        """
        if self.closed or self.proto.state == CLOSED:
            return "closed"
        try:
            peek = self.sock.recv(1, socket.MSG_PEEK)
        except (BlockingIOError, InterruptedError):
            return "open"
        except OSError:
            return "closed"
        # EOF, or bytes nobody asked for on a plain connection: not reusable.
        return "pending" if peek and self.tls else "closed"

    def close(self) -> None:
        self.closed = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self.transport is not None:
            self.transport.close()
