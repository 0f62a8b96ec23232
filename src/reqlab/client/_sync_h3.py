"""HTTP/3 for the sync engine: :class:`H3State` over a blocking UDP socket.

No event loop: :meth:`SyncH3Connection.pump` waits in ``select`` until a
datagram arrives or aioquic's next timer (retransmission, ACK delay, idle
timeout) or the caller's deadline comes, whichever is first, and repeats
until the condition it was given holds.  Between requests nobody reads;
:meth:`catch_up` takes in what arrived meanwhile before a reuse, so an
idle timeout or a CONNECTION_CLOSE is seen before a request is sent on a
dead connection.
"""

from __future__ import annotations

import select
import socket
from collections.abc import Callable
from time import monotonic, perf_counter
from typing import Any

from reqlab.client._body import BodySink
from reqlab.client._build import Key, ReadFile, Sizes
from reqlab.client._dial import IP_VERSION, NO_DIAL, Dial, only_family
from reqlab.client._h2core import Stream
from reqlab.client._h3core import H3State
from reqlab.client._h3pool import H3Rules, Route
from reqlab.client._h3record import Opened3, finish_h3, handshake_timeout
from reqlab.client._record import Exchange
from reqlab.client._sync_connect import resolve
from reqlab.client._tls import TLSConfig
from reqlab.client._wire import H2Out
from reqlab.errors import ConnectError, NameResolutionError, RequestTimeout
from reqlab.model import Header, Request

READ_SIZE = 65536


class SyncH3Connection(H3State):
    def __init__(self, sock: socket.socket, addr: tuple[str, int], *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.sock = sock
        self.addr = addr

    def flush(self) -> None:
        for data, _addr in self.outgoing(monotonic()):
            try:
                self.sock.send(data)
            except OSError as exc:
                self._udp_failed(exc)
                return

    def _udp_failed(self, exc: OSError) -> None:
        if not self.closed:
            self.closed = True
            self.end_reason = f"UDP error: {exc.strerror or exc}"
            error = ConnectError(f"QUIC connection to {self.remote} failed: {self.end_reason}")
            self.error = error
            self.fail_all(error)

    def _read_ready(self) -> None:
        """Every datagram waiting now, without blocking."""
        while True:
            try:
                data = self.sock.recv(READ_SIZE, socket.MSG_DONTWAIT)
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:  # ICMP port unreachable arrives here
                self._udp_failed(exc)
                return
            self.receive(data, self.addr, monotonic())

    def pump(self, done: Callable[[], bool], deadline: float | None) -> bool:
        """Drive the connection until ``done()``; False if ``deadline`` came first."""
        self.flush()
        while not done() and not self.closed:
            now = monotonic()
            if deadline is not None and now >= deadline:
                return False
            timer = self.next_timer()
            until = min((t for t in (timer, deadline) if t is not None), default=None)
            wait = None if until is None else max(until - now, 0.0)
            readable, _, _ = select.select([self.sock], [], [], wait)
            if readable:
                self._read_ready()
            timer = self.next_timer()
            if timer is not None and monotonic() >= timer:
                self.on_timer(monotonic())
            self.flush()
        return done() or self.closed

    def catch_up(self) -> None:
        self._read_ready()
        timer = self.next_timer()
        if timer is not None and monotonic() >= timer:
            self.on_timer(monotonic())
        self.flush()

    def exchange(
        self, headers: list[Header], body: bytes, sink: BodySink, timeout: float | None
    ) -> tuple[Stream, float]:
        stream_id, stream = self.open(headers, body, sink)
        self.flush()
        sent = perf_counter()
        deadline = None if timeout is None else monotonic() + timeout
        if not self.pump(lambda: stream.ended, deadline):
            phase = "wait" if stream.first_byte == 0.0 else "receive"
            self.reset(stream_id)
            self.end(stream_id, RequestTimeout(phase, timeout))
            self.flush()
            raise RequestTimeout(phase, timeout)
        if not stream.ended:  # the connection ended first
            self.end(stream_id, self.error)
        if stream.error is not None:
            raise stream.error
        return stream, sent

    def close(self) -> None:
        self.goodbye()
        self.flush()
        self.sock.close()


def open_h3_sync(
    rules: H3Rules,
    conn_id: int,
    request: Request,
    key: Key,
    route: Route,
    tls_config: TLSConfig,
    timeout: float | None,
    early: bool,
    dial: Dial = NO_DIAL,
) -> tuple[SyncH3Connection, Opened3]:
    host = request.host
    t0 = perf_counter()
    name, port, given = dial.route(host, route.port)
    try:
        infos = resolve(given[0] if given else name, port, socket.SOCK_DGRAM, timeout)
    except socket.gaierror as exc:
        raise NameResolutionError(f"cannot resolve {name}: {exc.strerror}") from None
    infos = only_family(infos, dial.family)
    if not infos:
        raise NameResolutionError(f"host {name!r} has no IPv{IP_VERSION[dial.family]} address")
    family, _, _, _, sockaddr = infos[0]
    addr = (str(sockaddr[0]), int(sockaddr[1]))
    dns = perf_counter()
    sock = socket.socket(family, socket.SOCK_DGRAM)
    sock.connect(addr)  # connected: ICMP errors come back to us
    ticket, _ = rules.early_ok(request, key)
    conn = SyncH3Connection(
        sock,
        addr,
        conn_id,
        host,
        key[3],
        tls_config.cafile,
        ticket,
        lambda t: rules.tickets.__setitem__(key, t),
        rules.idle_timeout,
        rules.honour_peer_idle,
    )
    local = sock.getsockname()
    conn.local, conn.remote = f"{local[0]}:{local[1]}", f"{addr[0]}:{addr[1]}"
    conn.connect(addr, monotonic())
    if not early:
        deadline = None if timeout is None else monotonic() + timeout
        if not conn.pump(lambda: conn.handshake_done, deadline):
            conn.close()
            raise handshake_timeout(addr, timeout)
        if not conn.handshake_done:
            conn.close()
            raise conn.error or ConnectError(f"QUIC handshake with {conn.remote} failed")
    return conn, Opened3(conn, dns - t0)


def acquire_h3_sync(
    pool: Any, request: Request, key: Key, route: Route, notes: list[str]
) -> tuple[SyncH3Connection, Opened3 | None, str | None]:
    """``_h3.acquire_h3``, on blocking sockets."""
    rules: H3Rules = pool.h3
    options = request.options
    shared = rules.conns.get(key)
    if shared is not None:
        shared.catch_up()
    conn = rules.live(key, notes) if options.keep_alive else None
    opened: Opened3 | None = None
    early_note: str | None = None
    if conn is None:
        _, early_note = rules.early_ok(request, key)
        early = rules.zero_rtt and early_note is None
        conn, opened = open_h3_sync(
            rules,
            next(pool.ids),
            request,
            key,
            route,
            pool.tls_config,
            options.connect_timeout or options.timeout,
            early,
            pool.dial,
        )
        rules.adopt(key, conn)
    return conn, opened, early_note


def send_h3_sync(
    pool: Any,
    request: Request,
    extra: list[Header],
    sizes: Sizes,
    read_file: ReadFile,
    key: Key,
    route: Route,
    t0: float,
    notes: list[str],
) -> Exchange:
    """``_h3.send_h3``, on blocking sockets."""
    rules: H3Rules = pool.h3
    options = request.options
    conn, opened, early_note = acquire_h3_sync(pool, request, key, route, notes)
    out = H2Out(request, extra, read_file)
    sink = sizes.sink()
    t_send = perf_counter()
    zero_rtt = not conn.handshake_done
    try:
        stream, sent = conn.exchange(out.headers, out.body, sink, options.timeout)
    except BaseException:
        sink.discard()
        if conn.closed:
            rules.conns.pop(key, None)
        raise
    end = perf_counter()
    if not options.keep_alive:
        rules.conns.pop(key, None)
        conn.close()
    return finish_h3(
        request,
        out,
        stream,
        (t_send, sent, end),
        conn,
        opened,
        zero_rtt,
        early_note,
        route.reason,
        t0,
        notes,
        sizes.record,
    )
