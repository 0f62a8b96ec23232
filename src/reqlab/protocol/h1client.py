"""The client side of one HTTP/1.x connection, without I/O.

Theory of operation: the engine hands a request to :meth:`H1Client.send`
and writes the bytes it returns; every chunk read from the peer goes to
:meth:`H1Client.receive_data` (``b""`` means the peer closed), which returns
events.  One exchange at a time (no pipelining):

    state      on                         next state
    ---------  -------------------------  -------------------------------
    IDLE       send()                     WAITING
    WAITING    1xx head                   WAITING  (emits Informational)
    WAITING    final head                 BODY     (emits ResponseHead)
    BODY       body bytes                 BODY     (emits Data)
    BODY       end of framing             DONE     (emits EndOfResponse)
    DONE       start_next()               IDLE     (only if ``reusable``)
    any        EOF before the end          CLOSED   (RemoteProtocolError,
                                                    or EndOfResponse for a
                                                    close-delimited body)

Framing follows RFC 9112 section 6.3: no body after HEAD, 1xx, 204 and 304;
else chunked, else Content-Length, else the body runs until the server
closes.  A response head (1xx heads included) larger than
``limits.max_head_bytes`` or with more than ``limits.max_header_count``
fields raises :class:`~reqlab.errors.ResponseHeadTooLarge` as soon as the
excess arrives (see :mod:`reqlab.protocol.headlimits`).

httptools (llhttp) does the byte-level parsing; it cannot be told
that a response answers HEAD, so this class ends such a response itself when
its head is complete.  Whether the connection may carry another exchange is
decided by :func:`reqlab.protocol.keepalive.exchange_persists`, the framing
(a close-delimited body uses up the connection) and the server's
``Keep-Alive`` terms.
"""

from __future__ import annotations

from collections.abc import Iterable

import httptools

from reqlab._records import record
from reqlab.errors import LocalProtocolError, RemoteProtocolError, ResponseHeadTooLarge
from reqlab.model import Header
from reqlab.protocol.headlimits import DEFAULT_HEAD_LIMITS, HeadLimits
from reqlab.protocol.keepalive import KeepAlive, exchange_persists, keep_alive_of

IDLE, WAITING, BODY, DONE, CLOSED = "IDLE", "WAITING", "BODY", "DONE", "CLOSED"
NO_BODY_STATUS = frozenset({204, 304})


@record(frozen=True, slots=True)
class Informational:
    """A 1xx interim response (100 Continue, 103 Early Hints)."""

    status: int
    reason: str
    version: str
    headers: list[Header]


@record(frozen=True, slots=True)
class ResponseHead:
    status: int
    reason: str
    version: str  # "HTTP/1.0" or "HTTP/1.1"
    headers: list[Header]  # exactly as received: case, order, duplicates
    framing: str  # "none" | "length" | "chunked" | "close"


@record(frozen=True, slots=True)
class Data:
    data: bytes


@record(frozen=True, slots=True)
class EndOfResponse:
    pass


END = EndOfResponse()
Event = Informational | ResponseHead | Data | EndOfResponse


def serialize_request(
    method: str, target: str, version: str, headers: Iterable[Header], body: bytes = b""
) -> bytes:
    """The request bytes: request line, headers exactly as given, body."""
    if version not in ("HTTP/1.0", "HTTP/1.1"):
        raise LocalProtocolError(f"cannot write {version} on an HTTP/1.x connection")
    head = "".join([f"{method} {target} {version}\r\n", *[f"{n}: {v}\r\n" for n, v in headers]])
    return (head + "\r\n").encode() + body


def response_framing(method: str, status: int, headers: Iterable[Header]) -> str:
    """How the body of this response is delimited (RFC 9112 section 6.3)."""
    chunked = length = False
    for name, value in headers:
        lower = name.lower()
        if lower == "transfer-encoding":
            chunked = chunked or "chunked" in value.lower()
        elif lower == "content-length":
            length = True
    return _framing(method, status, chunked, length)


def _framing(method: str, status: int, chunked: bool, length: bool) -> str:
    if method == "HEAD" or status < 200 or status in NO_BODY_STATUS:
        return "none"
    if chunked:
        return "chunked"
    return "length" if length else "close"


def hop_headers(headers: Iterable[Header]) -> list[Header]:
    """The Connection and Keep-Alive headers: all the persistence rules read."""
    return [h for h in headers if h[0].lower() in _HOP]


_HOP = frozenset(("connection", "keep-alive"))
_MEMO: dict[
    tuple[str, tuple[Header, ...], str, tuple[Header, ...]], tuple[KeepAlive | None, bool]
] = {}


def _persistence(
    request_version: str,
    request_hop: list[Header],
    response_version: str,
    response_hop: list[Header],
) -> tuple[KeepAlive | None, bool]:
    """(the server's Keep-Alive terms, whether both messages let the connection
    persist).  Remembered: a server sends the same few headers again and again."""
    key = (request_version, tuple(request_hop), response_version, tuple(response_hop))
    found = _MEMO.get(key)
    if found is None:
        if len(_MEMO) > 1024:
            _MEMO.clear()
        found = _MEMO[key] = (
            keep_alive_of(response_hop),
            exchange_persists(request_version, request_hop, response_version, response_hop),
        )
    return found


class H1Client:
    """State of one client connection: bytes in, events out."""

    def __init__(self, limits: HeadLimits = DEFAULT_HEAD_LIMITS) -> None:
        self.limits = limits
        self._max_bytes = limits.max_head_bytes
        self._max_fields = limits.max_header_count
        self.state = IDLE
        self.exchanges = 0  # completed exchanges on this connection
        self._parser_clean = False  # llhttp itself saw the last message end
        self._new_exchange("GET", "HTTP/1.1", ())

    def _new_exchange(self, method: str, version: str, headers: Iterable[Header]) -> None:
        self.method = method
        self.request_version = version
        self.request_hop = hop_headers(headers)
        self.hop: list[Header] = []  # the response's Connection / Keep-Alive headers
        self.content_encoding: str | None = None
        self.received = 0  # response bytes seen for this exchange
        self.head: ResponseHead | None = None
        self.keep_alive: KeepAlive | None = None
        self._persists = False
        self._forced_close = False
        self.reusable = False
        if not self._parser_clean:  # else llhttp is ready for the next message as it is
            self._parser = httptools.HttpResponseParser(self)
        self._parser_clean = False
        self._events: list[Event] = []
        self._headers: list[Header] = []
        self._reason = b""
        self._last_field = False  # True while a header value is being continued
        self._head_size = 0  # header bytes of the current message (1xx heads add up)
        self._head_fields = 0
        self._over: ResponseHeadTooLarge | None = None

    # ------------------------------------------------------------ sending
    def send(
        self, method: str, target: str, version: str, headers: Iterable[Header], body: bytes = b""
    ) -> bytes:
        if self.state != IDLE:
            raise LocalProtocolError(f"cannot send a request in state {self.state}")
        headers = list(headers)
        data = serialize_request(method, target, version, headers, body)
        self._new_exchange(method.upper(), version, headers)
        if version == "HTTP/1.0" and any(n.lower() == "transfer-encoding" for n, _ in headers):
            # RFC 9112 section 6.1: a chunked HTTP/1.0 message ends its connection,
            # whatever Connection: keep-alive either side says.
            self._forced_close = True
        self.state = WAITING
        return data

    def start_next(self) -> None:
        """Make the connection ready for the next request."""
        if self.state != DONE or not self.reusable:
            raise LocalProtocolError("this connection cannot carry another request")
        self.state = IDLE

    # ---------------------------------------------------------- receiving
    def receive_data(self, data: bytes) -> list[Event]:
        """Feed bytes from the peer; ``b""`` means it closed the connection."""
        if not data:
            return self._eof()
        if self.state in (DONE, IDLE, CLOSED):
            # Bytes nobody asked for: the connection cannot be trusted again.
            self.reusable = False
            self.state = CLOSED
            return []
        self.received += len(data)
        try:
            self._parser.feed_data(data)
        except ResponseHeadTooLarge:
            self.state = CLOSED
            raise
        except httptools.HttpParserError as exc:
            if self._over is not None:  # raised in on_header, wrapped by httptools
                self.state = CLOSED
                raise self._over from None
            if self.state != DONE:  # garbage after a HEAD response's head is ignored
                self.state = CLOSED
                raise RemoteProtocolError(f"invalid HTTP response: {exc}") from None
        if self.state == WAITING and self.received > self.limits.max_head_bytes:
            # Every byte so far belongs to a head (1xx ones too) that has not ended.
            self.state = CLOSED
            raise self.limits.too_many_bytes()
        events, self._events = self._events, []
        return events

    def _eof(self) -> list[Event]:
        state, self.state = self.state, CLOSED
        self.reusable = False
        if state == WAITING:
            if self.received == 0:
                raise RemoteProtocolError("server closed the connection without sending a response")
            raise RemoteProtocolError(
                "server closed the connection in the middle of the response head"
            )
        if state == BODY:
            assert self.head is not None
            if self.head.framing == "close":
                return [END]
            raise RemoteProtocolError(
                f"server closed the connection before the end of the {self.head.framing} body"
            )
        return []

    # ------------------------------------------- httptools parser callbacks
    def on_message_begin(self) -> None:
        self._headers = []
        self._reason = b""
        self._last_field = False

    def on_status(self, reason: bytes) -> None:
        self._reason += reason

    def on_header(self, name: bytes, value: bytes) -> None:
        # Called once per field of every response: kept to plain local work.
        size = self._head_size = self._head_size + len(name) + len(value) + 4  # ": " and CRLF
        if size > self._max_bytes:
            self._over = self.limits.too_many_bytes()
            raise self._over
        headers = self._headers
        # llhttp may split a field across calls; an empty name continues the last one.
        if name or not headers:
            fields = self._head_fields = self._head_fields + 1
            if fields > self._max_fields:
                self._over = self.limits.too_many_fields()
                raise self._over
            headers.append((name.decode("latin-1"), value.decode("latin-1")))
        else:
            last_name, last_value = headers[-1]
            headers[-1] = (last_name, last_value + value.decode("latin-1"))

    def on_headers_complete(self) -> None:
        if self.state != WAITING:
            return
        parser = self._parser
        status = parser.get_status_code()
        version = "HTTP/" + parser.get_http_version()
        reason = self._reason.decode("latin-1")
        headers = self._headers
        if status < 200:
            self._events.append(Informational(status, reason, version, headers))
            return
        # One pass over the headers collects everything the framing and
        # persistence rules need, so they run on a few headers, not all.
        hop = self.hop
        chunked = length = False
        for header in headers:
            lower = header[0].lower()
            if lower in _HOP:
                hop.append(header)
            elif lower == "transfer-encoding":
                chunked = chunked or "chunked" in header[1].lower()
            elif lower == "content-length":
                length = True
            elif lower == "content-encoding":
                self.content_encoding = header[1]
        framing = _framing(self.method, status, chunked, length)
        self.head = ResponseHead(status, reason, version, headers, framing)
        self.keep_alive, self._persists = _persistence(
            self.request_version, self.request_hop, version, hop
        )
        self._events.append(self.head)
        self.state = BODY
        if framing == "none":
            self._finish()

    def on_body(self, body: bytes) -> None:
        if self.state == BODY and body:
            self._events.append(Data(body))

    def on_message_complete(self) -> None:
        if self.state == BODY:
            self._finish()
            self._parser_clean = True

    def _finish(self) -> None:
        head = self.head
        assert head is not None
        self.state = DONE
        self.exchanges += 1
        ka = self.keep_alive
        self.reusable = (
            head.framing != "close"
            and head.status != 101
            and self._persists
            and not self._forced_close
            and not (ka is not None and ka.max is not None and ka.max < 1)
        )
        self._events.append(END)


__all__ = [
    "BODY",
    "CLOSED",
    "DONE",
    "Data",
    "END",
    "EndOfResponse",
    "Event",
    "H1Client",
    "IDLE",
    "Informational",
    "ResponseHead",
    "WAITING",
    "hop_headers",
    "response_framing",
    "serialize_request",
]
