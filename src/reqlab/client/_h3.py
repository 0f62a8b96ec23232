"""HTTP/3 for the async engine: :class:`H3State` on an asyncio UDP endpoint.

The endpoint is connected to the server's address, so an ICMP "port
unreachable" comes back as an error at once; a server that drops UDP
silently is a handshake timeout with a one-line message.  aioquic's timer
(retransmission, idle timeout) is kept with ``loop.call_at``.
"""

from __future__ import annotations

import asyncio
import socket
from time import perf_counter
from typing import Any

from reqlab.client._body import BodySink
from reqlab.client._build import Key, ReadFile, Sizes
from reqlab.client._dial import NO_DIAL, Dial
from reqlab.client._h2core import Stream
from reqlab.client._h3core import H3State
from reqlab.client._h3pool import H3Rules, Route
from reqlab.client._h3record import Opened3, finish_h3, handshake_timeout
from reqlab.client._record import Exchange
from reqlab.client._tls import TLSConfig
from reqlab.client._wire import H2Out
from reqlab.errors import ConnectError, NameResolutionError, RequestTimeout
from reqlab.model import Header, Request


class AsyncH3Connection(H3State, asyncio.DatagramProtocol):
    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.loop = asyncio.get_running_loop()
        self.transport: asyncio.DatagramTransport | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._timer_at: float | None = None
        self.ready: asyncio.Future[None] = self.loop.create_future()
        self._transmit_soon = False

    def transmit(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            for data, _addr in self.outgoing(self.loop.time()):
                self.transport.sendto(data)
        self._arm()
        if self.closed or self.handshake_done:
            self._settle()

    def transmit_soon(self) -> None:
        """Transmit at the end of this turn of the loop: the requests many
        tasks open in one turn leave in as few datagrams as fit them."""
        if not self._transmit_soon:
            self._transmit_soon = True
            self.loop.call_soon(self._transmit_now)

    def _transmit_now(self) -> None:
        self._transmit_soon = False
        self.transmit()

    def _arm(self) -> None:
        when = self.next_timer()
        if when == self._timer_at:
            return
        if self._timer is not None:
            self._timer.cancel()
        self._timer_at = when
        self._timer = None if when is None else self.loop.call_at(when, self._fire)

    def _fire(self) -> None:
        self._timer = self._timer_at = None
        self.on_timer(self.loop.time())
        self.transmit()

    def _settle(self) -> None:
        if not self.ready.done():
            if self.handshake_done:
                self.ready.set_result(None)
            else:
                self.ready.set_exception(self.error or ConnectError("QUIC handshake failed"))
                self.ready.exception()  # retrieved here: the opener may have stopped waiting

    # ------------------------------------------------------ asyncio hooks
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.receive(data, addr, self.loop.time())
        self.transmit()

    def error_received(self, exc: Exception) -> None:
        if not self.handshake_done and not self.closed:
            self.closed = True
            self.end_reason = f"UDP error: {getattr(exc, 'strerror', None) or exc}"
            error = ConnectError(f"QUIC connection to {self.remote} failed: {self.end_reason}")
            self.error = error
            self.fail_all(error)
            self._settle()

    def close(self) -> None:
        self.goodbye()
        self.transmit()
        if self._timer is not None:
            self._timer.cancel()
        if self.transport is not None:
            self.transport.close()

    # ----------------------------------------------------------- requests
    async def exchange(
        self, headers: list[Header], body: bytes, sink: BodySink, timeout: float | None
    ) -> tuple[Stream, float]:
        stream_id, stream = self.open(headers, body, sink)
        done = stream.done = self.loop.create_future()
        self.transmit_soon()
        sent = perf_counter()
        handle = None
        if timeout:

            def expire() -> None:  # a timer, not wait_for: no task per request
                phase = "wait" if stream.first_byte == 0.0 else "receive"
                self.reset(stream_id)
                self.end(stream_id, RequestTimeout(phase, timeout))
                self.transmit()

            handle = self.loop.call_later(timeout, expire)
        try:
            await done
        finally:
            if handle is not None:
                handle.cancel()
        return stream, sent


async def open_h3(
    rules: H3Rules,
    conn_id: int,
    request: Request,
    key: Key,
    route: Route,
    tls_config: TLSConfig,
    timeout: float | None,
    early: bool,
    dial: Dial = NO_DIAL,
) -> tuple[AsyncH3Connection, Opened3]:
    loop = asyncio.get_running_loop()
    host = request.host
    t0 = perf_counter()
    name, port, given = dial.route(host, route.port)
    try:
        # through the loop's resolver even for an address: a public web
        # instance's guard checks every UDP destination there
        infos = await loop.getaddrinfo(
            given[0] if given else name, port, type=socket.SOCK_DGRAM, family=dial.family
        )
    except socket.gaierror as exc:
        raise NameResolutionError(f"cannot resolve {name}: {exc.strerror}") from None
    addr = (str(infos[0][4][0]), int(infos[0][4][1]))
    dns = perf_counter()
    ticket, _ = rules.early_ok(request, key)

    def made() -> AsyncH3Connection:
        return AsyncH3Connection(
            conn_id,
            host,
            key[3],
            tls_config.cafile,
            ticket,
            lambda t: rules.tickets.__setitem__(key, t),
            rules.idle_timeout,
            rules.honour_peer_idle,
        )

    transport, conn = await loop.create_datagram_endpoint(made, remote_addr=addr)
    local = transport.get_extra_info("sockname")
    conn.local, conn.remote = f"{local[0]}:{local[1]}", f"{addr[0]}:{addr[1]}"
    conn.connect(addr, loop.time())
    conn.transmit()
    if not early:
        try:
            await asyncio.wait_for(asyncio.shield(conn.ready), timeout)
        except TimeoutError:
            conn.close()
            raise handshake_timeout(addr, timeout) from None
        except BaseException:
            conn.close()
            raise
    return conn, Opened3(conn, dns - t0)


async def _shared(rules: H3Rules, key: Key, notes: list[str]) -> Any:
    """The origin's live connection, after waiting for one being opened."""
    pending = rules.pending.get(key)
    if pending is not None:
        await asyncio.shield(pending)
    return rules.live(key, notes)


async def acquire_h3(
    pool: Any, request: Request, key: Key, route: Route, notes: list[str]
) -> tuple[AsyncH3Connection, Opened3 | None, str | None]:
    """The origin's QUIC connection for ``request`` (or a new one): the
    connection, how it was opened (None: reused), why 0-RTT was not used."""
    rules: H3Rules = pool.h3
    options = request.options
    conn = await _shared(rules, key, notes) if options.keep_alive else None
    opened: Opened3 | None = None
    early_note: str | None = None
    if conn is None:
        _, early_note = rules.early_ok(request, key)
        early = rules.zero_rtt and early_note is None
        # requests arriving while this one opens the origin's connection wait for it
        pending = rules.pending.setdefault(key, asyncio.get_running_loop().create_future())
        try:
            conn, opened = await open_h3(
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
        finally:
            del rules.pending[key]
            if not pending.done():
                pending.set_result(None)
        rules.adopt(key, conn)
    return conn, opened, early_note


async def send_h3(
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
    """Send ``request`` over HTTP/3 on the origin's QUIC connection (or a new one)."""
    rules: H3Rules = pool.h3
    options = request.options
    conn, opened, early_note = await acquire_h3(pool, request, key, route, notes)
    out = H2Out(request, extra, read_file)
    sink = sizes.sink()
    t_send = perf_counter()
    zero_rtt = not conn.handshake_done
    try:
        stream, sent = await conn.exchange(out.headers, out.body, sink, options.timeout)
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
