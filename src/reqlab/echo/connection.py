"""One client connection: moves bytes between the socket and the sans-IO core.

All HTTP/1.x decisions live in :mod:`reqlab.protocol.h1server`; this module
only owns the timers and the transport:

* header timer (``--header-timeout``): armed on connect and whenever a new
  request starts arriving; disarmed once the request is whole.  Firing it
  answers 408 (or just closes a connection that sent nothing) and closes.
* idle timer (``--keep-alive-timeout``): armed once the last byte of a
  persistent answer has left the write buffer (the write-buffer high-water
  mark is 0, so ``resume_writing`` reports exactly that), never while a
  request is being read or answered.
* gentle close: ``write_eof`` (shutdown SHUT_WR) after the outbox is flushed,
  then read and discard until the peer's EOF or a short drain timeout, then
  close.  Closing with unread bytes would make the kernel send a reset.
"""

from __future__ import annotations

import asyncio
import logging
import types
from collections.abc import Coroutine, Generator
from typing import TYPE_CHECKING, Any, cast

from reqlab.echo._types import (
    ConnectionInfo,
    EchoRequest,
    EchoResponse,
    KeepAliveInfo,
    TLSInfo,
)
from reqlab.echo.server import internal_error
from reqlab.protocol import h1server
from reqlab.protocol.h1server import NEED_DATA, PAUSED, H1Server, Request, State

if TYPE_CHECKING:
    from reqlab.echo.h2 import H2Session
    from reqlab.echo.server import EchoServer

log = logging.getLogger("reqlab.echo")

DRAIN_SECONDS = 1.0  # how long a gentle close waits for the peer's EOF
_PAUSE_READING_AT = 1 << 20  # buffered pipelined bytes before we stop reading
_READING_STATES = (State.HEAD, State.BODY)
_IDLE = State.IDLE
_CLOSED = State.CLOSED


@types.coroutine
def _resume(coro: Coroutine[Any, Any, None], yielded: Any) -> Generator[Any, Any, None]:
    """Carry on a coroutine that already ran up to its first suspension."""
    while True:
        try:
            sent = yield yielded
        except BaseException as exc:
            try:
                yielded = coro.throw(exc)
            except StopIteration:
                return
        else:
            try:
                yielded = coro.send(sent)
            except StopIteration:
                return


async def _continue(coro: Coroutine[Any, Any, None], yielded: Any) -> None:
    await _resume(coro, yielded)


def start_eagerly(
    loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, None]
) -> asyncio.Task[None] | None:
    """Run ``coro`` now, up to its first real suspension; only then make a Task.

    Most answers need no I/O wait (the reflection is computed in one go), so
    this saves a Task and an event-loop round trip per request (Python 3.12's
    eager task factory does the same).  Until the first suspension there is
    no current task, so handlers must not call asyncio.current_task() (or
    asyncio.timeout()) before their first ``await`` that really waits.
    """
    try:
        yielded = coro.send(None)
    except StopIteration:
        return None
    return loop.create_task(_continue(coro, yielded))


_new_info = object.__new__


class EchoProtocol(asyncio.Protocol):
    def __init__(self, server: EchoServer, scheme: str) -> None:
        self.server = server
        self.scheme = scheme
        self.loop = server.loop
        self.transport: asyncio.Transport | None = None
        self.h1: H1Server | None = None
        self.h2: H2Session | None = None
        self.tls: TLSInfo | None = None
        self.id = 0
        self.client = ""
        self.server_port = 0
        self.closing = False
        self.refused = False
        self._timer: asyncio.TimerHandle | None = None
        self._timer_kind = ""
        self._deadline = 0.0
        self._busy = False
        self._in_process = False
        self._task: asyncio.Task[None] | None = None
        self._write_paused = False
        self._drain_waiters: list[asyncio.Future[None]] = []
        self._idle_on_drain = False
        self._reading_paused = False
        self._idle_delay = server.options.keep_alive_timeout
        self._info_fields: dict[str, Any] = {}

    # -- asyncio callbacks --------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        transport = cast(asyncio.Transport, transport)  # create_server gives stream transports
        self.transport = transport
        srv = self.server
        if not srv.admit(self):
            self.refused = True
            transport.write(srv.refusal)
            self.gentle_close()  # a close with the client's request unread would be a reset
            return
        self.id = srv.next_id()
        peer = transport.get_extra_info("peername") or ("?", 0)
        self.client = f"{peer[0]}:{peer[1]}"
        self.server_port = (transport.get_extra_info("sockname") or ("", 0))[1]
        transport.set_write_buffer_limits(high=0)
        sslobj = transport.get_extra_info("ssl_object")
        if sslobj is not None:
            from reqlab.echo.tls import tls_info

            self.tls = tls_info(sslobj)
        self._info_fields = ConnectionInfo(
            self.id, 0, self.client, self.server_port, self.scheme, self.tls
        ).__dict__
        if self.tls is not None and self.tls.alpn == "h2":
            self._start_h2(b"")
            return
        self.h1 = H1Server(srv.limits_tls if sslobj is not None else srv.limits)
        self._arm("header")

    def data_received(self, data: bytes) -> None:
        h1 = self.h1
        if h1 is not None and not self._busy and not self.closing:  # the common case first
            if self._timer_kind == "idle":
                self._timer_kind = ""  # a request starts: idle clock off (header clock later)
            self._process(h1.receive_request(data))
            return
        if self.h2 is not None:
            self.h2.data_received(data)
            return
        if self.closing or h1 is None:
            return  # draining after a gentle close: discard
        # busy answering: pipelined bytes wait in the core's buffer
        h1.receive_data(data)
        if h1.buffered > _PAUSE_READING_AT and not self._reading_paused:
            self._reading_paused = True
            self.transport.pause_reading()  # type: ignore[union-attr]

    def eof_received(self) -> bool:
        if self.closing or self.h1 is None:
            self._close_now()
            return False
        if self.h2 is not None:
            return False
        self.h1.receive_data(b"")
        if not self._busy:
            self._process()
        return True  # keep writing: a half-closed client still gets its answer

    def connection_lost(self, exc: Exception | None) -> None:
        self._drop_timer()
        self.closing = True
        if self._task is not None and not self._task.done():
            self._task.cancel()
        if self.h2 is not None:
            self.h2.connection_lost()
        for w in self._drain_waiters:
            if not w.done():
                w.set_exception(ConnectionResetError("connection lost"))
        self._drain_waiters.clear()
        if not self.refused:
            self.server.forget(self)

    def pause_writing(self) -> None:
        self._write_paused = True

    def resume_writing(self) -> None:
        self._write_paused = False
        for w in self._drain_waiters:
            if not w.done():
                w.set_result(None)
        self._drain_waiters.clear()
        if self._idle_on_drain:
            self._idle_on_drain = False
            self._arm("idle")

    async def drain(self) -> None:
        # The buffer size, not only the flag: a TLS transport with a high-water
        # mark of 0 reports "paused" when its buffer is empty and may never
        # report "resumed", which stalled every stream that waits between
        # chunks (/drip, /sse) over https.
        tr = self.transport
        if (
            self._write_paused
            and not self.closing
            and tr is not None
            and tr.get_write_buffer_size()
        ):
            fut = self.loop.create_future()
            self._drain_waiters.append(fut)
            await fut

    # -- HTTP/1.x -----------------------------------------------------------
    def _process(self, ev: h1server.Event | None = None) -> None:
        """Act on the core's events until it needs data (``ev``: the first, if already had)."""
        h1 = self.h1
        assert h1 is not None
        sync = self.server.sync_handler
        plain = self.server.plain_handler
        while True:
            if ev is None:
                ev = h1.next_event()
            kind = type(ev)
            if kind is Request:
                self._timer_kind = ""  # the request is whole: no header or idle clock
                # Answered at once when the handler can: first its HTTP/1.x
                # shortcut, from the core's Request; then its synchronous
                # twin; both called directly, without a coroutine.
                answer = None
                if plain is not None:
                    try:
                        answer = plain(ev, self.id, self.client, self.tls)
                    except Exception:  # the handler below answers (a 500 if it fails too)
                        log.exception("plain handler failed for %s", ev.target)  # type: ignore[union-attr]
                req = None
                reason = None
                close = False
                if answer is None:
                    req = self.echo_request(ev)  # type: ignore[arg-type]
                    if sync is not None:
                        try:
                            resp = sync(req)
                        except Exception:
                            log.exception("handler failed for %s %s", req.method, req.target)
                            resp = internal_error()
                        if resp is not None and type(resp.body) is bytes:
                            answer = resp.status, resp.headers, resp.body
                            reason = resp.reason
                            close = resp.close
                if answer is not None:
                    stopping = self.server.shutting_down
                    status, headers, body = answer
                    h1.respond(status, headers, body, reason=reason, close=close or stopping)
                    self.transport.write(h1.data_to_send())  # type: ignore[union-attr]
                    if h1.state is _CLOSED or stopping:
                        self.gentle_close()
                        return
                    ev = None
                    continue
                assert req is not None
                self._busy = True
                self._in_process = True
                try:
                    task = start_eagerly(self.loop, self._answer(req))
                finally:
                    self._in_process = False
                if task is not None:
                    self._task = task
                    return  # the task carries on with _process when it is done
                if self._busy or self.closing:
                    return
                ev = None
                continue  # answered at once: on to the next pipelined request
            if ev is NEED_DATA:
                if h1.has_output:
                    self._flush()  # e.g. a 100 Continue
                state = h1.state
                if state is _IDLE:
                    if not self._timer_kind and h1.request_count:
                        if self._write_paused:
                            self._idle_on_drain = True
                        else:  # _arm_at("idle", ...), inlined: once per request
                            deadline = self.loop.time() + self._idle_delay
                            self._timer_kind = "idle"
                            self._deadline = deadline
                            timer = self._timer
                            if timer is None or timer.when() > deadline:
                                self._arm_at("idle", deadline)
                elif state in _READING_STATES and self._timer_kind != "header":
                    self._arm("header")
                return
            if ev is PAUSED:
                return
            if isinstance(ev, h1server.Rejected):
                log.info("connection %d: %d %s", self.id, ev.status, ev.message)
                self.gentle_close()
                return
            if kind is h1server.Closed:
                self._flush()
                self._close_now()
                return
            if isinstance(ev, h1server.H2Preface):
                self._start_h2(ev.data)
                return
            if isinstance(ev, h1server.H2CUpgrade):
                h1.accept_h2c()
                self._flush()
                self._start_h2(ev.data, upgrade=ev)
                return

    def echo_request(self, ev: Request) -> EchoRequest:
        # ConnectionInfo and KeepAliveInfo are frozen dataclasses, whose __init__
        # pays an object.__setattr__ per field.  They are immutable once made,
        # so they are filled in directly: a ConnectionInfo from this
        # connection's template, a KeepAliveInfo from the exchange's terms.
        # This relies on how dataclasses makes them (a __dict__, no slots, no
        # __post_init__), which tests/test_internals.py pins: ~1 us a request.
        info = _new_info(ConnectionInfo)
        d = info.__dict__
        d.update(self._info_fields)
        d["request_number"] = ev.request_number
        ka = _new_info(KeepAliveInfo)
        d = ka.__dict__
        d["persistent"] = ev.persistent
        d["timeout"] = ev.timeout
        d["remaining"] = ev.remaining
        return EchoRequest(
            ev.method,
            ev.target,
            ev.http_version,
            ev.headers,
            ev.body,
            info,
            ka,
            [],
            ev.raw_head,
        )

    async def _answer(self, req: EchoRequest) -> None:
        h1 = self.h1
        assert h1 is not None and self.transport is not None
        try:
            try:
                resp = await self.server.handler(req)
            except (asyncio.CancelledError, ConnectionError):
                raise
            except Exception:
                log.exception("handler failed for %s %s", req.method, req.target)
                resp = internal_error()
            body = resp.body
            close = resp.close or self.server.shutting_down
            if resp.status == 101 and "switch" in resp.extra:
                self._switch(resp)
                return
            if type(body) is bytes:
                h1.respond(resp.status, resp.headers, body, reason=resp.reason, close=close)
                self.transport.write(h1.data_to_send())
            elif isinstance(body, bytearray | memoryview):
                h1.respond(resp.status, resp.headers, bytes(body), reason=resp.reason, close=close)
                self.transport.write(h1.data_to_send())
            else:
                await self._answer_stream(resp)
        except asyncio.CancelledError:
            raise
        except ConnectionAbortedError:  # a stream asked to cut the connection (/sse?drop=)
            self._close_now()
            return
        except Exception:  # a bug here, or a failing stream: drop this connection only
            log.exception("connection %d: failed while answering", self.id)
            self._close_now()
            return
        self._busy = False
        self._task = None
        if h1.state is State.CLOSED or self.server.shutting_down:
            self.gentle_close()
            return
        if self._reading_paused:
            self._reading_paused = False
            self.transport.resume_reading()
        if not self._in_process:
            self._process()

    async def _answer_stream(self, resp: EchoResponse) -> None:
        h1 = self.h1
        assert h1 is not None and self.transport is not None
        body = resp.body
        close = resp.close or self.server.shutting_down
        sending = h1.start_stream(
            resp.status,
            resp.headers,
            reason=resp.reason,
            close=close,
            length=resp.extra.get("content_length"),
        )
        self._flush()
        try:
            if sending:
                async for chunk in body:  # type: ignore[union-attr]
                    h1.stream_data(chunk)
                    self._flush()
                    await self.drain()
        finally:
            aclose = getattr(body, "aclose", None)
            if aclose is not None:
                await aclose()
        h1.end_stream()
        self._flush()

    def _switch(self, resp: EchoResponse) -> None:
        """A 101 (WebSocket): the endpoint's ``extra["switch"]`` takes the connection over.

        It is called with the transport, the server and the bytes that came
        after the request, and sets the transport's new protocol.
        """
        h1 = self.h1
        assert h1 is not None and self.transport is not None
        rest = h1.switch_protocols(resp.headers)
        self._flush()
        self._drop_timer()
        self.server.forget(self)
        self.h1 = None
        self._task = None
        resp.extra["switch"](self.transport, self.server, rest)

    # -- HTTP/2 ---------------------------------------------------------------
    def _start_h2(self, data: bytes, upgrade: h1server.H2CUpgrade | None = None) -> None:
        from reqlab.echo.h2 import H2Session

        self._cancel_timer()
        self.h2 = H2Session(self)
        self.h1 = None
        self.h2.start(data, upgrade)

    # -- timers and closing -------------------------------------------------
    def _flush(self) -> None:
        if self.h1 is not None and self.transport is not None:
            out = self.h1.data_to_send()
            if out:
                self.transport.write(out)

    # One timer handle per connection, moved lazily: arming only records a
    # deadline; the handle is replaced only when the new deadline is earlier.
    # A handle that fires before the current deadline re-arms itself.  This
    # keeps call_later/cancel off the per-request path.
    def _arm(self, kind: str) -> None:
        o = self.server.options
        delay = o.header_timeout if kind == "header" else o.keep_alive_timeout
        self._arm_at(kind, self.loop.time() + delay)

    def _arm_at(self, kind: str, deadline: float) -> None:
        self._timer_kind = kind
        self._deadline = deadline
        timer = self._timer
        if timer is not None:
            if timer.when() <= deadline:
                return
            timer.cancel()
        self._timer = self.loop.call_at(deadline, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        kind = self._timer_kind
        if not kind:
            return
        if self.loop.time() < self._deadline:
            self._timer = self.loop.call_at(self._deadline, self._on_timer)
            return
        self._timer_kind = ""
        self._fire(kind)

    def _cancel_timer(self) -> None:
        self._timer_kind = ""

    def _drop_timer(self) -> None:
        self._timer_kind = ""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def arm_idle(self) -> None:
        """Used by the HTTP/2 session: no open streams, start the idle clock."""
        self._arm("idle")

    def cancel_timer(self) -> None:
        self._cancel_timer()

    def _fire(self, kind: str) -> None:
        if kind == "drain":
            self._close_now()
        elif self.h2 is not None:
            self.h2.idle_timeout()
        elif kind == "header" and self.h1 is not None:
            self.h1.timeout()
            log.info("connection %d: header timeout", self.id)
            self.gentle_close()
        else:
            log.debug(
                "connection %d: idle for %ss, closing",
                self.id,
                self.server.options.keep_alive_timeout,
            )
            self.gentle_close()

    def gentle_close(self) -> None:
        """Flush, shut down writing, drain briefly, then close."""
        if self.closing or self.transport is None:
            return
        self._flush()
        self.closing = True
        self._cancel_timer()
        tr = self.transport
        if tr.can_write_eof():
            tr.write_eof()
            self._arm_at("drain", self.loop.time() + DRAIN_SECONDS)
        else:
            tr.close()

    def _close_now(self) -> None:
        self.closing = True
        self._cancel_timer()
        if self.transport is not None:
            self.transport.close()

    def shutdown(self) -> None:
        """Server shutdown: idle connections close now, busy ones after their answer."""
        if self.h2 is not None:
            self.h2.shutdown()
        elif (
            self.h1 is not None
            and not self._busy
            and self.h1.state is State.IDLE
            or self.h1 is not None
            and self.h1.state is State.HEAD
        ):
            self.gentle_close()
