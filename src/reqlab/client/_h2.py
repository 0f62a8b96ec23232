"""An HTTP/2 connection with the h2 library: many streams, one socket.

Each request is a stream with its own future and body sink; concurrent
requests on one :class:`H2Connection` are multiplexed.  Flow control: we
acknowledge received data as it is consumed and send request bodies within
the peer's window, waiting for WINDOW_UPDATE when it is exhausted.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from dataclasses import dataclass, field
from time import perf_counter

import h2.config
import h2.connection
import h2.events
import h2.exceptions
import h2.settings

from reqlab.client._body import BodySink
from reqlab.client._record import ConnectionInfo
from reqlab.errors import RemoteProtocolError, RequestTimeout
from reqlab.model import Header


@dataclass(slots=True)
class Stream:
    sink: BodySink
    done: asyncio.Future[None]
    status: int = 0
    headers: list[Header] = field(default_factory=list)
    interim: list[tuple[int, str]] = field(default_factory=list)
    first_byte: float = 0.0


class H2Connection(asyncio.Protocol):
    http2 = True

    def __init__(self, conn_id: int, sock: socket.socket, tls: bool) -> None:
        self.id = conn_id
        self.sock = sock
        self.tls = tls
        config = h2.config.H2Configuration(client_side=True, header_encoding=None)
        self.h2 = h2.connection.H2Connection(config=config)
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.requests = 0
        self.info: ConnectionInfo | None = None
        self.streams: dict[int, Stream] = {}
        self._window: asyncio.Event | None = None
        self.error: RemoteProtocolError | None = None
        self._preface_seen = False
        self._preface = bytearray()

    # ------------------------------------------------------ asyncio hooks
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.h2.initiate_connection()
        self._flush()

    def data_received(self, data: bytes) -> None:
        if not self._preface_seen:
            self._preface += data
            if len(self._preface) < 9:
                return
            # RFC 9113 section 3.4: the server's first frame is SETTINGS.  h2
            # would otherwise wait for megabytes of "frame" from an HTTP/1.x
            # server that answered the preface with text.
            if self._preface[3] != 0x4:
                start = bytes(self._preface[:24])
                self._not_h2(f"the server did not answer in HTTP/2 (it sent {start!r})")
                return
            self._preface_seen = True
            data, self._preface = bytes(self._preface), bytearray()
        try:
            events = self.h2.receive_data(data)
        except Exception as exc:  # h2's ProtocolError, hyperframe's frame errors
            self._not_h2(f"HTTP/2 protocol error from the server: {exc}")
            return
        now = perf_counter()
        for event in events:
            stream = self.streams.get(getattr(event, "stream_id", 0) or 0)
            if isinstance(event, h2.events.ResponseReceived) and stream:
                stream.first_byte = stream.first_byte or now
                self._head(stream, event.headers)
            elif isinstance(event, h2.events.InformationalResponseReceived) and stream:
                stream.first_byte = stream.first_byte or now
                status = dict(event.headers).get(b":status", b"0")
                stream.interim.append((int(status), ""))
            elif isinstance(event, h2.events.DataReceived):
                self.h2.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                if stream:
                    try:
                        stream.sink.write(event.data)
                    except Exception as exc:
                        self.h2.reset_stream(event.stream_id)
                        self._end(event.stream_id, exc)
            elif isinstance(event, h2.events.TrailersReceived) and stream:
                stream.headers.extend(_decode(event.headers))
            elif isinstance(event, h2.events.StreamEnded):
                self._end(event.stream_id, None)
            elif isinstance(event, h2.events.StreamReset):
                self._end(
                    event.stream_id,
                    RemoteProtocolError(
                        f"server reset the HTTP/2 stream (error {event.error_code!r})"
                    ),
                )
            elif isinstance(event, h2.events.ConnectionTerminated):
                self.closed = True
                self._fail_all(
                    RemoteProtocolError(
                        f"server ended the HTTP/2 connection (GOAWAY {event.error_code!r})"
                    ),
                    above=event.last_stream_id,
                )
            elif isinstance(event, h2.events.WindowUpdated) and self._window is not None:
                self._window.set()
        self._flush()

    def _not_h2(self, reason: str) -> None:
        """Nothing more can be trusted on this connection: fail every stream."""
        self.error = RemoteProtocolError(reason)
        self.closed = True
        self._fail_all(self.error)
        if self.transport is not None:
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._fail_all(RemoteProtocolError("server closed the HTTP/2 connection"))
        if self._window is not None:
            self._window.set()

    # ------------------------------------------------------------- streams
    def _head(self, stream: Stream, raw: list[tuple[bytes, bytes]]) -> None:
        headers = _decode(raw)
        stream.status = int(headers[0][1]) if headers and headers[0][0] == ":status" else 0
        stream.headers = [h for h in headers if not h[0].startswith(":")]
        encoding = next((v for n, v in stream.headers if n == "content-encoding"), None)
        stream.sink.start(encoding)

    def _end(self, stream_id: int, exc: BaseException | None) -> None:
        stream = self.streams.pop(stream_id, None)
        if stream is None or stream.done.done():
            return
        if exc is None:
            try:
                stream.sink.finish()
            except Exception as err:
                exc = err
        if exc is None:
            stream.done.set_result(None)
            return
        if isinstance(exc, RemoteProtocolError) and stream.first_byte == 0.0:
            exc = RemoteProtocolError(str(exc))
            exc.unanswered = True  # type: ignore[attr-defined]  # nothing came back: safe to retry
        stream.done.set_exception(exc)

    def _fail_all(self, exc: BaseException, above: int = -1) -> None:
        for stream_id in list(self.streams):
            if stream_id > above:
                self._end(stream_id, exc)

    def _flush(self) -> None:
        data = self.h2.data_to_send()
        if data and self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)

    @property
    def can_take_stream(self) -> bool:
        if self.closed or self.h2.state_machine.state == h2.connection.ConnectionState.CLOSED:
            return False
        limit = self.h2.remote_settings.max_concurrent_streams
        return len(self.streams) < limit

    async def exchange(
        self, headers: list[tuple[str, str]], body: bytes, sink: BodySink, timeout: float | None
    ) -> tuple[Stream, float]:
        """Open a stream, send the request, wait for the whole response."""
        if self.closed:
            raise self.error or RemoteProtocolError("server closed the HTTP/2 connection")
        loop = asyncio.get_running_loop()
        stream_id = self.h2.get_next_available_stream_id()
        stream = Stream(sink=sink, done=loop.create_future())
        self.streams[stream_id] = stream
        self.requests += 1
        handle = None
        if timeout:

            def expire() -> None:
                phase = "wait" if stream.first_byte == 0.0 else "receive"
                with contextlib.suppress(h2.exceptions.ProtocolError):
                    self.h2.reset_stream(stream_id)
                    self._flush()
                self._end(stream_id, RequestTimeout(phase, timeout))

            handle = loop.call_later(timeout, expire)
        try:
            self.h2.send_headers(stream_id, headers, end_stream=not body)
            self._flush()
            await self._send_body(stream_id, body)
            sent = perf_counter()
            await stream.done
            return stream, sent
        finally:
            if handle is not None:
                handle.cancel()
            self.streams.pop(stream_id, None)

    async def _send_body(self, stream_id: int, body: bytes) -> None:
        view = memoryview(body)
        while view:
            window = min(
                self.h2.local_flow_control_window(stream_id), self.h2.max_outbound_frame_size
            )
            if window <= 0:
                self._window = asyncio.Event()
                await self._window.wait()
                self._window = None
                if self.closed:
                    raise RemoteProtocolError("HTTP/2 connection closed while sending the body")
                continue
            chunk, view = view[:window], view[window:]
            self.h2.send_data(stream_id, bytes(chunk), end_stream=not view)
            self._flush()

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            try:
                self.h2.close_connection()
                self._flush()
            except h2.exceptions.ProtocolError:
                pass
        if self.transport is not None:
            self.transport.close()


def _decode(headers: list[tuple[bytes, bytes]]) -> list[Header]:
    return [(n.decode("latin-1"), v.decode("latin-1")) for n, v in headers]
