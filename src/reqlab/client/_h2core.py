"""An HTTP/2 client connection's state with the h2 library, without waiting.

Both engines wrap :class:`H2State`: they write what :meth:`H2State.flush`
hands them, feed what they read to :meth:`H2State.receive`, and wait in
their own way until a :class:`Stream` is ``ended``.  Received data is
acknowledged as it is consumed (flow control); the state marks a stream
"unanswered" when it fails before any byte of its response arrived, which
makes an idempotent request safe to send again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from time import perf_counter
from typing import TYPE_CHECKING

import h2.config
import h2.connection
import h2.events
import h2.exceptions
import h2.settings

from reqlab.client._body import BodySink
from reqlab.client._record import ConnectionInfo
from reqlab.errors import RemoteProtocolError, ResponseHeadTooLarge
from reqlab.model import Header
from reqlab.protocol.headlimits import DEFAULT_HEAD_LIMITS, HeadLimits, check_h2_head

if TYPE_CHECKING:  # only the async engine makes futures; the blocking one has no loop
    import asyncio


@dataclass(slots=True)
class Stream:
    sink: BodySink
    done: asyncio.Future[None] | None = None  # the async engine waits on this
    status: int = 0
    headers: list[Header] = field(default_factory=list)
    interim: list[tuple[int, str]] = field(default_factory=list)
    first_byte: float = 0.0
    ended: bool = False
    error: BaseException | None = None


class H2State:
    http2 = True

    def __init__(
        self,
        conn_id: int,
        tls: bool,
        write: Callable[[bytes], None],
        limits: HeadLimits = DEFAULT_HEAD_LIMITS,
    ) -> None:
        self.id = conn_id
        self.tls = tls
        self.limits = limits
        # Outbound headers are ours, already lower-cased and checked by the
        # model (no CR/LF/NUL): h2's second check and normalisation cost
        # about a fifth of a request's CPU.  What the server sends is checked.
        config = h2.config.H2Configuration(
            client_side=True,
            header_encoding=None,
            validate_outbound_headers=False,
            normalize_outbound_headers=False,
        )
        self.h2 = h2.connection.H2Connection(config=config)
        # Announced, and enforced by h2's HPACK decoder as it decodes.
        self.h2.local_settings = h2.settings.Settings(
            client=True,
            initial_values={h2.settings.SettingCodes.MAX_HEADER_LIST_SIZE: limits.max_head_bytes},
        )
        self.write = write
        self.closed = False
        self.requests = 0
        self.info: ConnectionInfo | None = None
        self.streams: dict[int, Stream] = {}
        self.error: RemoteProtocolError | None = None
        self.window_opened = False  # a WINDOW_UPDATE came since the last look
        self.settings_seen = False  # the server's SETTINGS arrived (RFC 8441 asks what it allows)
        self._preface_seen = False
        self._preface = bytearray()

    def start(self) -> None:
        self.h2.initiate_connection()
        self.flush()

    def flush(self) -> None:
        data = self.h2.data_to_send()
        if data and not self.closed:
            self.write(data)

    def receive(self, data: bytes) -> None:
        """Bytes from the server: update the streams they concern."""
        if not self._preface_seen:
            self._preface += data
            if len(self._preface) < 9:
                return
            # RFC 9113 section 3.4: the server's first frame is SETTINGS.  h2
            # would otherwise wait for megabytes of "frame" from an HTTP/1.x
            # server that answered the preface with text.
            if self._preface[3] != 0x4:
                start = bytes(self._preface[:24])
                self.fail(f"the server did not answer in HTTP/2 (it sent {start!r})")
                return
            self._preface_seen = True
            data, self._preface = bytes(self._preface), bytearray()
        try:
            events = self.h2.receive_data(data)
        except h2.exceptions.DenialOfServiceError:  # HPACK: header list past our setting
            self.fail_all(self.limits.too_many_bytes())
            self.fail("the server sent a header list larger than announced")
            return
        except Exception as exc:  # h2's ProtocolError, hyperframe's frame errors
            self.fail(f"HTTP/2 protocol error from the server: {exc}")
            return
        for event in events:
            self._event(event)
        self.flush()

    def _event(self, event: h2.events.Event) -> None:
        stream = self.streams.get(getattr(event, "stream_id", 0) or 0)
        if isinstance(event, h2.events.ResponseReceived) and stream:
            stream.first_byte = stream.first_byte or perf_counter()
            try:
                check_h2_head(event.headers, self.limits)
            except ResponseHeadTooLarge as exc:
                self._refuse(event.stream_id, exc)
                return
            self._head(stream, event.headers)
        elif isinstance(event, h2.events.InformationalResponseReceived) and stream:
            stream.first_byte = stream.first_byte or perf_counter()
            status = dict(event.headers).get(b":status", b"0")
            stream.interim.append((int(status), ""))
        elif isinstance(event, h2.events.DataReceived):
            self.h2.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
            if stream:
                try:
                    stream.sink.write(event.data)
                except Exception as exc:
                    self.h2.reset_stream(event.stream_id)
                    self.end(event.stream_id, exc)
        elif isinstance(event, h2.events.TrailersReceived) and stream:
            try:
                check_h2_head(event.headers, self.limits)
            except ResponseHeadTooLarge as exc:
                self._refuse(event.stream_id, exc)
                return
            stream.headers.extend(_decode(event.headers))
        elif isinstance(event, h2.events.StreamEnded):
            self.end(event.stream_id, None)
        elif isinstance(event, h2.events.StreamReset):
            self.end(
                event.stream_id,
                RemoteProtocolError(f"server reset the HTTP/2 stream (error {event.error_code!r})"),
            )
        elif isinstance(event, h2.events.ConnectionTerminated):
            self.closed = True
            self.fail_all(
                RemoteProtocolError(
                    f"server ended the HTTP/2 connection (GOAWAY {event.error_code!r})"
                ),
                above=event.last_stream_id or 0,
            )
        elif isinstance(event, h2.events.WindowUpdated):
            self.window_opened = True
        elif isinstance(event, h2.events.RemoteSettingsChanged):
            self.settings_seen = True

    def _refuse(self, stream_id: int, exc: BaseException) -> None:
        """Give up on one stream (its head is past our limits); the others go on."""
        with contextlib.suppress(h2.exceptions.ProtocolError):  # the server may have ended it
            self.h2.reset_stream(stream_id)
        self.end(stream_id, exc)

    def fail(self, reason: str) -> None:
        """Nothing more can be trusted on this connection: fail every stream."""
        self.error = RemoteProtocolError(reason)
        self.closed = True
        self.fail_all(self.error)

    def lost(self) -> None:
        self.closed = True
        self.fail_all(RemoteProtocolError("server closed the HTTP/2 connection"))

    # ------------------------------------------------------------- streams
    def _head(self, stream: Stream, raw: list[tuple[bytes, bytes]]) -> None:
        headers = _decode(raw)
        stream.status = int(headers[0][1]) if headers and headers[0][0] == ":status" else 0
        stream.headers = [h for h in headers if not h[0].startswith(":")]
        encoding = next((v for n, v in stream.headers if n == "content-encoding"), None)
        stream.sink.start(encoding)

    def open(self, headers: list[Header], sink: BodySink, end_stream: bool) -> tuple[int, Stream]:
        if self.closed:
            raise self.error or RemoteProtocolError("server closed the HTTP/2 connection")
        stream_id = self.h2.get_next_available_stream_id()
        stream = Stream(sink=sink)
        self.streams[stream_id] = stream
        self.requests += 1
        self.h2.send_headers(stream_id, headers, end_stream=end_stream)
        self.flush()
        return stream_id, stream

    def send_some(self, stream_id: int, view: memoryview) -> memoryview:
        """Send what the flow-control window allows of ``view``; the rest."""
        window = min(self.h2.local_flow_control_window(stream_id), self.h2.max_outbound_frame_size)
        if window <= 0:
            return view
        chunk, rest = view[:window], view[window:]
        self.h2.send_data(stream_id, bytes(chunk), end_stream=not rest)
        self.flush()
        return rest

    def end(self, stream_id: int, exc: BaseException | None) -> None:
        stream = self.streams.pop(stream_id, None)
        if stream is None or stream.ended:
            return
        if exc is None:
            try:
                stream.sink.finish()
            except Exception as err:
                exc = err
        if isinstance(exc, RemoteProtocolError) and stream.first_byte == 0.0:
            exc = RemoteProtocolError(str(exc))
            exc.unanswered = True  # type: ignore[attr-defined]  # nothing came back: safe to retry
        stream.ended, stream.error = True, exc
        if stream.done is not None and not stream.done.done():
            if exc is None:
                stream.done.set_result(None)
            else:
                stream.done.set_exception(exc)

    def reset(self, stream_id: int) -> None:
        try:
            self.h2.reset_stream(stream_id)
            self.flush()
        except h2.exceptions.ProtocolError:
            pass

    def fail_all(self, exc: BaseException, above: int = -1) -> None:
        for stream_id in list(self.streams):
            if stream_id > above:
                self.end(stream_id, exc)

    @property
    def can_take_stream(self) -> bool:
        if self.closed or self.h2.state_machine.state == h2.connection.ConnectionState.CLOSED:
            return False
        limit: int = self.h2.remote_settings.max_concurrent_streams
        return len(self.streams) < limit

    def goodbye(self) -> None:
        """Say GOAWAY (once) before the socket closes."""
        if not self.closed:
            try:
                self.h2.close_connection()
                H2State.flush(self)  # now, not deferred: the socket closes next
            except h2.exceptions.ProtocolError:
                pass
            self.closed = True


def _decode(headers: list[tuple[bytes, bytes]]) -> list[Header]:
    return [(n.decode("latin-1"), v.decode("latin-1")) for n, v in headers]
