"""An HTTP/1.x connection on a blocking socket, for the sync engine.

The same sans-IO :class:`H1Client` as the async engine: write what it
returns, feed it what ``recv`` returns, stop at the end of the response.
A deadline covers the whole exchange (each ``recv`` gets what is left of
it), and a timeout names the phase it cut: send, wait or receive.
"""

from __future__ import annotations

import select
import socket
from time import perf_counter

from reqlab.client._body import BodySink
from reqlab.client._policy import CLOSED, OPEN
from reqlab.client._proxy import Proxy
from reqlab.client._record import ConnectionInfo
from reqlab.client._wire import deliver
from reqlab.errors import RequestTimeout
from reqlab.protocol.h1client import H1Client, Informational
from reqlab.protocol.headlimits import DEFAULT_HEAD_LIMITS, HeadLimits

READ_SIZE = 65536


class SyncH1Connection:
    http2 = False

    def __init__(
        self, conn_id: int, sock: socket.socket, tls: bool, limits: HeadLimits = DEFAULT_HEAD_LIMITS
    ) -> None:
        self.id = conn_id
        self.sock = sock
        self.tls = tls
        self.proto = H1Client(limits)
        self.closed = False
        self.idle_since = 0.0
        self.requests = 0
        self.server_timeout: int | float | None = None
        self.server_max: int | None = None
        self.info: ConnectionInfo | None = None  # set by the pool
        self.interim: list[Informational] = []
        self._timeout = sock.gettimeout()
        self._first = 0.0  # first response byte of a streamed exchange
        self.forward: Proxy | None = None  # the HTTP proxy requests are forwarded to

    def _set_timeout(self, seconds: float | None) -> None:
        if seconds != self._timeout:  # settimeout is a system call: only on change
            self.sock.settimeout(seconds)
            self._timeout = seconds

    def exchange(
        self, data: bytes, sink: BodySink, timeout: float | None
    ) -> tuple[float, float, float]:
        """Write one request and read its response into ``sink``.

        Returns perf_counter stamps: request written, first response byte,
        response complete.  The response head is in ``self.proto.head``.
        """
        self.requests += 1
        interim: list[Informational] = []
        self.interim = interim
        proto, sock = self.proto, self.sock
        self._set_timeout(timeout)
        try:
            sock.sendall(data)
        except TimeoutError:
            self.close()
            raise RequestTimeout("send", timeout) from None
        except OSError:
            pass  # the server is gone; reading says how (the keep-alive race)
        sent = perf_counter()
        deadline = sent + timeout if timeout else 0.0
        first = 0.0
        try:
            while True:
                try:
                    chunk = sock.recv(READ_SIZE)
                except TimeoutError:
                    raise RequestTimeout("receive" if first else "wait", timeout) from None
                except OSError:
                    chunk = b""  # reset: the same as a close for what was received
                if not chunk:
                    self.closed = True
                elif not first:
                    first = perf_counter()
                if deliver(proto, proto.receive_data(chunk), sink, interim):
                    sink.finish()
                    break
                if deadline:
                    left = deadline - perf_counter()
                    if left <= 0:
                        raise RequestTimeout("receive" if first else "wait", timeout)
                    self._set_timeout(left)
        except BaseException:
            self.close()
            raise
        return sent, first or sent, perf_counter()

    # ------------------------------------------------------------ streaming
    # A streamed body is read as the caller asks for it: ``begin`` returns
    # once the response head is in, ``pump`` reads once more.  The timeout
    # covers the head, then each read on its own (a server-sent event stream
    # may rightly go on for hours).

    def begin(
        self, data: bytes, sink: BodySink, timeout: float | None
    ) -> tuple[float, float, bool]:
        """Write the request and read up to the response head: (sent, first byte, ended)."""
        self.requests += 1
        self.interim = []
        self._set_timeout(timeout)
        try:
            self.sock.sendall(data)
        except TimeoutError:
            self.close()
            raise RequestTimeout("send", timeout) from None
        except OSError:
            pass  # the server is gone; reading says how (the keep-alive race)
        sent = perf_counter()
        self._first = 0.0
        ended = False
        try:
            while self.proto.head is None and not ended:
                ended = self.pump(sink, timeout)
        except BaseException:
            self.close()
            raise
        return sent, self._first or sent, ended

    def pump(self, sink: BodySink, timeout: float | None) -> bool:
        """One read: hand what came to ``sink``; True once the response ended."""
        self._set_timeout(timeout)
        try:
            chunk = self.sock.recv(READ_SIZE)
        except TimeoutError:
            self.close()
            raise RequestTimeout("receive" if self._first else "wait", timeout) from None
        except OSError:
            chunk = b""
        if not chunk:
            self.closed = True
        elif not self._first:
            self._first = perf_counter()
        try:
            if deliver(self.proto, self.proto.receive_data(chunk), sink, self.interim):
                sink.finish()
                return True
        except BaseException:
            self.close()
            raise
        return False

    def idle_state(self) -> str:
        """Check an idle connection before reuse: "open" or "closed"."""
        if self.closed or self.proto.state == "CLOSED":
            return CLOSED
        sock = self.sock
        if self.tls and sock.pending():  # type: ignore[attr-defined]
            return CLOSED  # decrypted bytes nobody asked for
        try:
            readable = select.select([sock], [], [], 0)[0]
        except (OSError, ValueError):
            return CLOSED
        if not readable:
            return OPEN
        if not self.tls:
            return CLOSED  # EOF, a reset, or stray bytes: none is reusable
        # TLS records arrived: maybe only a session ticket.  Read without waiting.
        import ssl  # a TLS connection: loaded already

        sock.setblocking(False)
        try:
            sock.recv(1)
        except ssl.SSLWantReadError:
            return OPEN
        except OSError:
            return CLOSED
        finally:
            sock.settimeout(self._timeout)
        return CLOSED  # EOF, or application data nobody asked for

    def close(self) -> None:
        self.closed = True
        self.sock.close()
