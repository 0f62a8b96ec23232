"""The server side of one HTTP/1.x connection, sans-IO (bytes in, events out).

Theory of operation
-------------------
The engine feeds whatever bytes arrive to :meth:`H1Server.receive_data` and
then calls :meth:`H1Server.next_event` until it returns ``NEED_DATA`` or
``PAUSED``.  Events are :class:`Request` (one whole request, body included),
:class:`H2CUpgrade`, :class:`H2Preface`, :class:`Rejected` (bad input: the
error response is already in the outbox) and :class:`Closed` (peer EOF).
After a ``Request`` the connection is paused until the engine answers with
:meth:`respond` (or :meth:`start_stream` / :meth:`stream_data` /
:meth:`end_stream`); pipelined requests wait in the buffer meanwhile, so
answers go out in order.  Bytes to write are collected in the outbox
(:meth:`data_to_send`).

Parsing is llhttp's (via httptools), strict: bare LF, obs-fold, CL with TE and
duplicate Content-Length are all errors.  llhttp parses on into the next
pipelined message on its own, which would lose message boundaries (and so the
exact raw head).  Every message head and every chunked body ends with CRLF
CRLF, and a Content-Length body ends at a known count, so the parser is fed
in segments that stop exactly there: it never sees two messages in one feed.

Limits: the head (request line and header fields) counts against
``max_header_bytes`` (431), the body against ``max_body_bytes`` (413).  A
chunked body's trailer fields count against both, and bytes that make no
progress (a chunk header or trailer that never ends) are refused once they
pass ``max_header_bytes``: nothing unbounded is held for any peer.

Persistence (``reqlab.protocol.keepalive`` rules; the seed page's table):
HTTP/1.0 persists only on ``Connection: keep-alive`` (and never after a
chunked request body, RFC 9112 section 6.1), HTTP/1.1 unless a side says
``close``; the ``max``-th request on a connection gets ``Connection: close``.  Persistent answers carry ``Connection: keep-alive`` and
``Keep-Alive: timeout=T, max=R``; HTTP/1.0 answers always carry
Content-Length (a stream is buffered), HTTP/1.1 streams are chunked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import Enum
from time import time as _time

import httptools

from reqlab.protocol.h1events import (
    NEED_DATA,
    PAUSED,
    Closed,
    Event,
    H2CUpgrade,
    H2Preface,
    Limits,
    Rejected,
    Request,
)
from reqlab.protocol.h1response import (
    DATE_CACHE,
    PREFIXES,
    REASONS,
    date_line,
    header_block,
    http_date,
    start_of,
)
from reqlab.protocol.keepalive import format_keep_alive

H2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
_CRLF2 = b"\r\n\r\n"

# llhttp parses only registered methods, upper-case.  RFC 9110 allows any
# token, so a method outside this set is shown to llhttp as a stand-in with
# the same framing (llhttp frames request bodies by Content-Length and
# Transfer-Encoding alone, except for CONNECT; HEAD matters only to
# responses) and the real one is restored in the Request.  The raw head
# keeps the bytes as received.
_AS_IS_METHODS = frozenset(
    (b"GET", b"HEAD", b"POST", b"PUT", b"DELETE", b"OPTIONS", b"PATCH", b"TRACE", b"CONNECT")
) | {b"PRI"}  # PRI: llhttp's own handling of a misplaced HTTP/2 preface
# The one-shot path's request line (llhttp checks it strictly as well): a
# method llhttp knows (CONNECT aside: llhttp pauses after it), the target,
# HTTP/1.x.  Anything else takes the general path.
_REQUEST_LINE = re.compile(
    r"(GET|HEAD|POST|PUT|DELETE|OPTIONS|PATCH|TRACE) +([^ \r\n]+) +(HTTP/1\.[01])\r\n"
)
# A validated header line (llhttp: a token, a colon, the value minus leading whitespace).
_HEADER_LINE = re.compile(r"\r\n([^:\r\n]+):[ \t]*([^\r\n]*)")
_STAND_IN = b"GET"
_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_MAX_METHOD = 1024  # an unfinished "method" longer than this is left to llhttp to refuse
# A chunked body is fed in pieces of at most this size, so a chunk header or a
# trailer that never ends is noticed within one piece of its limit.
_CHUNKED_PIECE = 16384
_PRINTABLE = re.compile(rb"[\t\x20-\x7e]*")


class State(Enum):
    IDLE = "idle"  # between requests, nothing received yet
    HEAD = "head"  # part of a request head received
    BODY = "body"  # head parsed, body arriving
    RESPOND = "respond"  # whole request handed out, awaiting the answer
    STREAM = "stream"  # a streamed answer is being sent
    CLOSED = "closed"  # nothing more will be read or written
    SWITCHED = "switched"  # handed over to HTTP/2

    __hash__ = object.__hash__  # Enum's hash runs Python code; these are singletons


# (state, what happened) -> next state.  "done+keep" and "done+close" are the
# end of an answer on a persistent or closing exchange.  Anything not listed
# is a bug in the caller and raises RuntimeError (see _go).
TRANSITIONS: dict[tuple[State, str], State] = {
    (State.IDLE, "bytes"): State.HEAD,
    (State.IDLE, "preface"): State.SWITCHED,
    (State.IDLE, "eof"): State.CLOSED,
    (State.HEAD, "head"): State.BODY,
    (State.HEAD, "eof"): State.CLOSED,
    (State.BODY, "complete"): State.RESPOND,
    (State.BODY, "eof"): State.CLOSED,
    (State.RESPOND, "stream"): State.STREAM,
    (State.RESPOND, "done+keep"): State.IDLE,
    (State.RESPOND, "done+close"): State.CLOSED,
    (State.RESPOND, "upgrade"): State.SWITCHED,
    (State.STREAM, "done+keep"): State.IDLE,
    (State.STREAM, "done+close"): State.CLOSED,
}
# Bad input or a local error can end the connection from any state.
for _s in State:
    TRANSITIONS[(_s, "reject")] = State.CLOSED
    TRANSITIONS[(_s, "abort")] = State.CLOSED


# The hot path reads its transitions from the table once, here, so the table
# stays the single statement of the state machine.
_IDLE = State.IDLE
_TO_HEAD = TRANSITIONS[(State.IDLE, "bytes")]
_TO_BODY = TRANSITIONS[(State.HEAD, "head")]
_TO_RESPOND = TRANSITIONS[(State.BODY, "complete")]
_RESPOND = State.RESPOND
_KEEP_AFTER_RESPOND = TRANSITIONS[(State.RESPOND, "done+keep")]
_CLOSE_AFTER_RESPOND = TRANSITIONS[(State.RESPOND, "done+close")]


__all__ = [
    "NEED_DATA",
    "PAUSED",
    "TRANSITIONS",
    "Closed",
    "Event",
    "H1Server",
    "H2CUpgrade",
    "H2Preface",
    "Limits",
    "Rejected",
    "Request",
    "State",
    "http_date",
]


_NO_BODY_STATUS = frozenset({204, 304})
_INTERESTING = frozenset(
    {"content-length", "connection", "expect", "upgrade", "http2-settings", "transfer-encoding"}
)
_NO_TOKENS: frozenset[str] = frozenset()  # shared "none seen"; replaced, never mutated
_NO_SPECIAL: dict[str, str] = {}  # likewise


class H1Server:
    """One HTTP/1.x server connection.  Never raises out of its API on bad input."""

    # Declared here, set per message in _new_message, updated by on_header.
    _conn_tokens: frozenset[str]
    _content_length: int | None
    _special: dict[str, str]

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self.state = State.IDLE
        self.request_count = 0
        self._buf = bytearray()
        self._eof = False
        self._out: list[bytes] = []
        timeout = format_keep_alive(self.limits.keep_alive_timeout).encode()
        advert = (
            b""
            if self.limits.alt_svc is None
            else b"Alt-Svc: %s\r\n" % self.limits.alt_svc.encode()
        )
        self._ka_fmt = (
            advert + b"Connection: keep-alive\r\nKeep-Alive: " + timeout + b", max=%d\r\n"
        )
        self._close_line = advert + b"Connection: close\r\n"
        # A whole persistent answer after its prefix and Date: one format per answer.
        self._keep_fmt = b"%s%s" + self._ka_fmt + b"Content-Length: %d\r\n\r\n%s"
        self._parser = httptools.HttpRequestParser(self)
        self._tail = b""  # last bytes fed, to find CRLF CRLF split across feeds
        self._current: Request | None = None
        self._stream_buf: list[bytes] | None = None
        self._fast_parser: httptools.HttpRequestParser | None = None  # made on first use
        self._fast_complete = False
        self._new_message()

    # -- llhttp callbacks ---------------------------------------------------
    def on_url(self, url: bytes) -> None:
        self._url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        n = name.decode("latin-1")
        v = value.decode("latin-1")
        self._headers.append((n, v))
        if self._head_done:  # a trailer field: counted, never read for framing
            self._trailer_len += len(name) + len(value) + 4
            self._progress = True
            return
        lower = n.lower()
        if lower in _INTERESTING:
            if lower == "content-length":
                self._content_length = int(v) if v.isdigit() else -1
            elif lower == "connection":
                self._conn_tokens = self._conn_tokens | {t.strip().lower() for t in v.split(",")}
            else:
                self._special = {**self._special, lower: v}

    def on_headers_complete(self) -> None:
        self._head_done = True

    def on_body(self, body: bytes) -> None:
        self._body_len += len(body)
        self._body.append(body)
        self._progress = True

    def on_chunk_header(self) -> None:
        self._progress = True

    def on_chunk_complete(self) -> None:
        self._progress = True

    def on_message_complete(self) -> None:
        self._complete = True

    # -- public API ---------------------------------------------------------
    @property
    def bytes_pending(self) -> bool:
        return bool(self._buf)

    @property
    def buffered(self) -> int:
        """How many received bytes wait unparsed (pipelined requests, a body)."""
        return len(self._buf)

    def receive_data(self, data: bytes) -> None:
        """Bytes from the peer; ``b""`` means EOF."""
        if data:
            self._buf += data
        else:
            self._eof = True

    def receive_request(self, data: bytes) -> Event:
        """``receive_data(data)`` then ``next_event()``: the engine's hot path.

        A whole simple request arriving on an idle connection with nothing
        buffered (the usual keep-alive exchange) is parsed straight from
        ``data``, without a trip through the buffer.
        """
        if self.state is _IDLE and data and self.request_count and not self._buf:
            try:
                ev = self._fast_request(data)
            except Exception as exc:  # never escape the API on hostile bytes
                return self._reject(400, f"parser failure: {type(exc).__name__}")
            if ev is not None:
                return ev
        self.receive_data(data)
        return self.next_event()

    @property
    def has_output(self) -> bool:
        return bool(self._out)

    def data_to_send(self) -> bytes:
        out = self._out
        if len(out) == 1:
            return out.pop()
        if not out:
            return b""
        data = b"".join(out)
        out.clear()
        return data

    def next_event(self) -> Event:
        try:
            if self.state is State.IDLE:
                if not self._buf:
                    if not self._eof:
                        return NEED_DATA
                elif self.request_count:
                    ev = self._fast_request(self._buf)
                    if ev is not None:
                        return ev
            return self._step()
        except Exception as exc:  # never escape the API on hostile bytes
            return self._reject(400, f"parser failure: {type(exc).__name__}")

    def respond(
        self,
        status: int,
        headers: Iterable[tuple[str, str]] = (),
        body: bytes = b"",
        *,
        reason: str | None = None,
        close: bool = False,
    ) -> None:
        """Answer the current request with a whole body."""
        req = self._current
        if self.state is not _RESPOND or req is None:
            raise RuntimeError(f"h1server: respond() in state {self.state.value}")
        keep = req.persistent and not close
        if (
            reason is None
            and status >= 200
            and status not in _NO_BODY_STATUS
            and req.method != "HEAD"
        ):
            # The usual answer: one cached prefix, one format.
            key = (status, headers if type(headers) is tuple else tuple(headers))
            try:
                prefix = PREFIXES[key]
            except KeyError:
                prefix = start_of(key)
            except TypeError:  # unhashable header items: no cache
                prefix = start_of(key, cache=False)
            if int(_time()) != DATE_CACHE[0]:
                http_date()
            date = b"" if prefix[1] else DATE_CACHE[2]
            if keep:
                self._out.append(self._keep_fmt % (prefix[0], date, req.remaining, len(body), body))
            else:
                self._out.append(
                    b"%s%s%sContent-Length: %d\r\n\r\n%s"
                    % (prefix[0], date, self._close_line, len(body), body)
                )
        else:
            head = self._head(req, status, reason, headers, keep)
            if req.method == "HEAD" or status in _NO_BODY_STATUS or status < 200:
                if status not in _NO_BODY_STATUS and status >= 200:
                    head += b"Content-Length: %d\r\n" % len(body)
                self._out.append(head + b"\r\n")
            else:
                self._out.append(b"%sContent-Length: %d\r\n\r\n%s" % (head, len(body), body))
        self._current = None
        self.state = _KEEP_AFTER_RESPOND if keep else _CLOSE_AFTER_RESPOND

    def start_stream(
        self,
        status: int,
        headers: Iterable[tuple[str, str]] = (),
        *,
        reason: str | None = None,
        close: bool = False,
        length: int | None = None,
    ) -> bool:
        """Begin a streamed answer.  False means: send no body (HEAD, 204, 304).

        ``length``: the body's size when known ahead (``/drip``): sent as
        Content-Length and the chunks as they are, in HTTP/1.0 too (no
        buffering); the caller sends exactly that many bytes."""
        req = self._require(State.RESPOND)
        keep = req.persistent and not close
        self._go("stream")
        self._stream_keep = keep
        self._stream_head = self._head(req, status, reason, headers, keep)
        sized = b"Content-Length: %d\r\n" % length if length is not None else b""
        if req.method == "HEAD" or status in _NO_BODY_STATUS:
            no_length = status in _NO_BODY_STATUS or req.method != "HEAD"
            self._out.append(self._stream_head + (b"" if no_length else sized) + b"\r\n")
            self._stream_buf = None
            self._stream_mode = "none"
        elif sized:
            self._out.append(self._stream_head + sized + b"\r\n")
            self._stream_buf = None
            self._stream_mode = "length"
        elif req.http_version == "HTTP/1.0":
            self._stream_buf = []  # HTTP/1.0 has no chunked: buffer for Content-Length
            self._stream_mode = "buffer"
        else:
            self._out.append(self._stream_head + b"Transfer-Encoding: chunked\r\n\r\n")
            self._stream_mode = "chunked"
        return self._stream_mode != "none"

    def stream_data(self, data: bytes) -> None:
        self._require(State.STREAM)
        if not data or self._stream_mode == "none":
            return
        if self._stream_mode == "buffer":
            assert self._stream_buf is not None
            self._stream_buf.append(data)
        elif self._stream_mode == "length":
            self._out.append(data)
        else:
            self._out.append(b"%x\r\n%s\r\n" % (len(data), data))

    def end_stream(self) -> None:
        self._require(State.STREAM)
        if self._stream_mode == "buffer":
            body = b"".join(self._stream_buf or ())
            self._out.append(self._stream_head + b"Content-Length: %d\r\n\r\n" % len(body) + body)
        elif self._stream_mode == "chunked":
            self._out.append(b"0\r\n\r\n")
        self._stream_buf = None
        self._finish(self._stream_keep)

    def accept_h2c(self) -> None:
        """Switch to HTTP/2 after an :class:`H2CUpgrade` event."""
        self._require(State.RESPOND)
        self._go("upgrade")
        self._out.append(
            b"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"
        )

    def switch_protocols(self, headers: Iterable[tuple[str, str]]) -> bytes:
        """Answer 101 with ``headers`` and hand the connection to another protocol.

        Returns the bytes that arrived after the request (the new protocol's first).
        """
        self._require(State.RESPOND)
        self._go("upgrade")
        # Written here, not by header_block: Connection and Upgrade are the point of a 101.
        block = b"".join(
            b"%s: %s\r\n" % (n.encode("latin-1"), v.encode("latin-1")) for n, v in headers
        )
        self._out.append(b"HTTP/1.1 101 Switching Protocols\r\n%s\r\n" % block)
        rest = bytes(self._buf)
        self._buf.clear()
        return rest

    def timeout(self) -> None:
        """The header timeout fired: 408 if part of a request arrived, else just close."""
        if self.state in (State.HEAD, State.BODY):
            self._reject(408, "request not received in time")
        elif self.state is not State.CLOSED:
            self._go("abort")

    def abort(self) -> None:
        self._go("abort")

    # -- internals ----------------------------------------------------------
    def _new_message(self) -> None:
        self._url = b""
        self._headers: list[tuple[str, str]] = []
        self._conn_tokens = _NO_TOKENS
        self._content_length = None
        self._special = _NO_SPECIAL
        self._body: list[bytes] = []
        self._body_len = 0
        self._head_done = False
        self._complete = False
        self._upgraded = False
        self._method: str | None = None  # None: not read yet; "": llhttp's (or its error)
        self._stand_in = 0  # length of a method llhttp would not know, to replace when fed
        self._version = ""
        self._head_parts: list[bytes] = []
        self._head_len = 0
        self._trailer_len: int = 0
        self._progress = False  # a callback since the last feed: the body moved on
        self._stalled: int = 0  # bytes fed in a row without progress (chunk headers, trailers)

    def _go(self, what: str) -> None:
        nxt = TRANSITIONS.get((self.state, what))
        if nxt is None:
            raise RuntimeError(f"h1server: {what!r} not allowed in state {self.state.value}")
        self.state = nxt

    def _require(self, state: State) -> Request:
        if self.state is not state or self._current is None:
            raise RuntimeError(f"h1server: expected state {state.value}, in {self.state.value}")
        return self._current

    def _reject(self, status: int, message: str) -> Rejected:
        if self.state is not State.CLOSED:
            reason = REASONS.get(status, "Error")
            body = f"{status} {reason}: {message}\n".encode()
            self._out.append(
                b"HTTP/1.1 %d %s\r\nContent-Type: text/plain; charset=utf-8\r\n"
                b"Content-Length: %d\r\nConnection: close\r\nDate: %s\r\n\r\n%s"
                % (status, reason.encode(), len(body), http_date(), body)
            )
        self._go("reject")
        return Rejected(status, message)

    def _feed(self, data: bytes) -> None:
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._upgraded = True  # llhttp paused after the message: it needs a fresh parser
        self._tail = data[-3:] if len(data) >= 3 else (self._tail + data)[-3:]

    def _cut(self) -> int:
        """How many buffered bytes to feed so that a feed ends at the first CRLF CRLF."""
        buf = self._buf
        tail = self._tail
        if tail:
            probe = tail + bytes(buf[:3])
            i = probe.find(_CRLF2)
            if i != -1:
                return i + 4 - len(tail)
        i = buf.find(_CRLF2)
        return len(buf) if i == -1 else i + 4

    def _step(self) -> Event:
        st = self.state
        if st is State.IDLE:
            buf = self._buf
            if not buf:
                if self._eof:
                    self._go("eof")
                    return Closed()
                return NEED_DATA
            if self.request_count == 0 and self.limits.allow_h2c and buf[0] == 0x50:  # "P"
                n = min(len(buf), len(H2_PREFACE))
                if buf[:n] == H2_PREFACE[:n]:
                    if n < len(H2_PREFACE):
                        return NEED_DATA
                    self._go("preface")
                    data = bytes(buf)
                    buf.clear()
                    return H2Preface(data)
            self.state = st = _TO_HEAD
            self._tail = b""
        elif st is State.RESPOND or st is State.STREAM:
            return PAUSED
        elif st is State.CLOSED:
            return Closed()
        elif st is State.SWITCHED:
            return NEED_DATA
        if st is State.HEAD:
            ev = self._read_head()
            if ev is not None:
                return ev
        return self._read_body()

    def _fast_request(self, data: bytes | bytearray) -> Event | None:
        """The common case in one go: a whole request with a known method and plain framing.

        ``data`` is the buffer, or bytes just received with nothing buffered
        (what follows the request is then buffered).  llhttp still validates
        and frames the message (strictly, as in the general path), but
        through a parser with one callback instead of one per header: the
        header list is split out of the validated head by one regex (llhttp
        strips a value's leading whitespace only, as _HEADER_LINE does).  A
        head naming Transfer-Encoding, Expect, Upgrade or HTTP2-Settings, a
        body still arriving, an unknown method or anything odd is left
        untouched (None) for the general path, the state machine from IDLE,
        so there is one set of rules.  Not used for a connection's first
        request (which may be an HTTP/2 preface).
        """
        end = data.find(_CRLF2)
        if end == -1 or end + 4 > self.limits.max_header_bytes:
            return None
        end += 4
        size = len(data)
        msg = data if end == size and type(data) is bytes else bytes(data[:end])
        text = msg.decode("latin-1")
        line = _REQUEST_LINE.match(text)
        if line is None:
            return None
        method, target, version = line.groups()
        eol = line.end() - 2
        headers = _HEADER_LINE.findall(text, eol)
        tokens = _NO_TOKENS
        cl = 0
        low = text.lower()
        if (  # a cheap first look; the loop below decides exactly
            "\r\ncon" in low
            or "\r\ntra" in low
            or "\r\nexp" in low
            or "\r\nupg" in low
            or "\r\nhttp2-" in low
        ):
            cl = -1
            for name, value in headers:
                lower = name.lower()
                if lower == "content-length":
                    if cl != -1 or not value.isdigit():
                        return None  # repeated or odd: the general path decides
                    cl = int(value)
                elif lower == "connection":
                    tokens = tokens | {t.strip().lower() for t in value.split(",")}
                elif lower in _INTERESTING:
                    return None
            if cl == -1:
                cl = 0
            elif cl > self.limits.max_body_bytes or size < end + cl:
                return None
        head = msg
        body = b""
        used = end + cl
        if cl:
            msg = data if used == size and type(data) is bytes else bytes(data[:used])
            body = msg[end:]
        # From here on the message is consumed, whatever llhttp says of it.
        if data is self._buf:
            if used == size:
                data.clear()
            else:
                del data[:used]
        elif used < size:
            self._buf += data[used:]
        parser = self._fast_parser
        if parser is None:
            parser = self._fast_parser = httptools.HttpRequestParser(_Completion(self))
        self.state = _TO_HEAD
        self._fast_complete = False
        try:
            parser.feed_data(msg)
        except httptools.HttpParserUpgrade:  # not expected (no Upgrade, no CONNECT): start afresh
            self._fast_parser = None
        except httptools.HttpParserError as exc:
            return self._reject(400, f"malformed request head: {exc}")
        if not self._fast_complete:  # llhttp framed it otherwise: never seen, but never trusted
            return self._reject(400, "malformed request: framing not understood")
        return self._make_request(method, target, version, headers, head, body, tokens)

    def _make_request(
        self,
        method: str,
        target: str,
        version: str,
        headers: list[tuple[str, str]],
        raw: bytes,
        body: bytes,
        tokens: frozenset[str] | set[str],
    ) -> Request:
        """The whole request, with this exchange's persistent-connection terms decided."""
        self.request_count = n = self.request_count + 1
        if "close" in tokens:
            persistent = False
        elif version == "HTTP/1.0":
            persistent = "keep-alive" in tokens
        else:
            persistent = True
        limits = self.limits
        remaining = limits.keep_alive_max - n
        if remaining <= 0:
            persistent = False
        req = Request(
            method,
            target,
            version,
            headers,
            raw,
            body,
            n,
            persistent,
            remaining if persistent else 0,
            limits.keep_alive_timeout,
        )
        self._current = req
        self.state = _TO_RESPOND
        return req

    def _read_head(self) -> Event | None:
        limit = self.limits.max_header_bytes
        buf = self._buf
        parts = self._head_parts
        if self._method is None and not self._read_method():
            if self._eof:
                return self._reject(400, "connection closed in the request line")
            return NEED_DATA
        while buf and not self._head_done and self._head_len <= limit:
            n = self._cut()
            chunk = bytes(buf[:n])
            del buf[:n]
            parts.append(chunk)
            self._head_len += n
            if self._stand_in:
                chunk = _STAND_IN + chunk[self._stand_in :]
                self._stand_in = 0
            try:
                self._feed(chunk)
            except httptools.HttpParserError as exc:
                return self._bad_head(exc)
        if not self._head_done:
            if self._head_len > limit:
                return self._reject(431, "request header block too large")
            if self._eof:
                return self._reject(400, "connection closed in the middle of the request head")
            return NEED_DATA
        if self._head_len > limit:
            return self._reject(431, "request header block too large")
        self._version = version = self._parser.get_http_version()
        if version != "1.1" and version != "1.0":
            return self._reject(505, f"HTTP/{version} is not supported here")
        cl = self._content_length
        if cl is not None:
            if "transfer-encoding" in self._special:
                return self._reject(400, "both Content-Length and Transfer-Encoding")
            if cl < 0:
                return self._reject(400, "bad Content-Length")
            if cl > self.limits.max_body_bytes:
                return self._reject(413, "request body too large")
        if self._upgraded and (cl or "transfer-encoding" in self._special):
            self._read_upgrade_body(cl)
        self.state = _TO_BODY
        if "expect" in self._special:
            self._maybe_continue(version)
        return None

    def _read_method(self) -> bool:
        """Decide how the request line's method is fed to llhttp; False: need more bytes."""
        buf = self._buf
        if buf.startswith((b"\r", b"\n")):
            # Empty lines before a request line are ignored (RFC 9112 2.2), as
            # llhttp would; dropping them here puts the method at buf[0].
            del buf[: len(buf) - len(buf.lstrip(b"\r\n"))]
        sp = buf.find(b" ", 0, _MAX_METHOD)
        if sp == -1:
            if len(buf) < _MAX_METHOD and (not buf or _TOKEN.fullmatch(buf)):
                return False
            self._method = ""  # not a method: llhttp will say what is wrong
            return True
        method = bytes(buf[:sp])
        if method in _AS_IS_METHODS:
            self._method = method.decode("ascii")
        elif _TOKEN.fullmatch(method):
            self._method = method.decode("ascii")
            self._stand_in = sp
        else:
            self._method = ""
        return True

    def _read_upgrade_body(self, length: int | None) -> None:
        # llhttp (via httptools) stops an Upgrade request after its head, but
        # the body belongs to the request (RFC 9113 3.2: it becomes stream 1's).
        # A fresh parser, told only the framing, reads it into this message.
        self._complete = False
        self._parser = httptools.HttpRequestParser(_BodySink(self))
        framing = b"Content-Length: %d" % length if length else b"Transfer-Encoding: chunked"
        self._parser.feed_data(b"PUT / HTTP/1.1\r\n" + framing + b"\r\n\r\n")
        self._tail = b""

    def _maybe_continue(self, version: str) -> None:
        expect = self._special["expect"]
        if (
            expect.lower() == "100-continue"
            and version == "1.1"
            and not self._complete
            and ((self._content_length or 0) > 0 or "transfer-encoding" in self._special)
            and not self._buf
        ):
            self._out.append(b"HTTP/1.1 100 Continue\r\n\r\n")

    def _bad_head(self, exc: Exception) -> Rejected:
        first_line = b"".join(self._head_parts).lstrip(b"\r\n").split(b"\r\n", 1)[0]
        if (
            self.request_count == 0
            and self.limits.allow_h2c
            and b"HTTP/" not in first_line
            and (
                first_line.startswith(b"PRI")
                or not _PRINTABLE.fullmatch(first_line)
                or first_line.count(b" ") >= 2  # three words, no HTTP/ version
            )
        ):
            # A broken HTTP/2 preface (h2spec's "INVALID CONNECTION PREFACE"),
            # or binary (TLS to a plain port): close without an HTTP/1.1
            # answer the peer cannot read.  Text that is merely not a request
            # line (``BLAH``) gets its 400 first, as nginx answers it.
            self._go("reject")
            return Rejected(0, f"not an HTTP/1.x request: {first_line[:40]!r}")
        return self._reject(400, f"malformed request head: {exc}")

    def _read_body(self) -> Event:
        while not self._complete:
            if not self._buf:
                if self._eof:
                    return self._reject(400, "connection closed in the middle of the body")
                return NEED_DATA
            if self._content_length is not None:
                n = min(len(self._buf), self._content_length - self._body_len)
            else:
                n = min(self._cut(), _CHUNKED_PIECE)
            chunk = bytes(self._buf[:n])
            del self._buf[:n]
            self._progress = False
            try:
                self._feed(chunk)
            except httptools.HttpParserError as exc:
                return self._reject(400, f"malformed body: {exc}")
            refused = self._over_limits(n)
            if refused is not None:
                return refused
        return self._deliver()

    def _over_limits(self, fed: int) -> Rejected | None:
        """The body's limits after a feed of ``fed`` bytes; trailers count twice."""
        limits = self.limits
        if self._body_len + self._trailer_len > limits.max_body_bytes:
            return self._reject(413, "request body too large")
        if self._head_len + self._trailer_len > limits.max_header_bytes:
            return self._reject(431, "request header fields and trailers too large")
        self._stalled = 0 if self._progress else self._stalled + fed
        if self._stalled > limits.max_header_bytes:
            return self._reject(431, "chunk header or trailer section too large")
        return None

    def _deliver(self) -> Event:
        parts = self._head_parts
        raw = parts[0] if len(parts) == 1 else b"".join(parts)
        if raw[:1] in (b"\r", b"\n"):
            raw = raw.lstrip(b"\r\n")  # llhttp skips CRLFs before a request line
        body = self._body
        tokens = self._conn_tokens
        if self._version == "1.0" and "transfer-encoding" in self._special:
            # RFC 9112 section 6.1: a server that got a chunked HTTP/1.0 request
            # must close the connection after answering it.
            tokens = tokens | {"close"}
        req = self._make_request(
            self._method or self._parser.get_method().decode("ascii", "replace"),
            self._url.decode("latin-1"),
            "HTTP/1.1" if self._version == "1.1" else "HTTP/1.0",
            self._headers,
            raw,
            body[0] if len(body) == 1 else b"".join(body),
            tokens,
        )
        special = self._special
        upgraded = self._upgraded
        self._new_message()
        if upgraded:
            self._parser = httptools.HttpRequestParser(self)
        if special and "upgrade" in special:
            return self._h2c_upgrade(req, special, tokens)
        return req

    def _h2c_upgrade(
        self, req: Request, special: dict[str, str], tokens: frozenset[str] | set[str]
    ) -> Event:
        settings = special.get("http2-settings")
        if (
            self.limits.allow_h2c
            and special["upgrade"].strip().lower() == "h2c"
            and settings is not None
            and "upgrade" in tokens
            and "http2-settings" in tokens
        ):
            data = bytes(self._buf)
            self._buf.clear()
            return H2CUpgrade(req, settings, data)
        return req

    def _head(
        self,
        req: Request,
        status: int,
        reason: str | None,
        headers: Iterable[tuple[str, str]],
        keep: bool,
    ) -> bytes:
        headers = tuple(headers)
        if reason is None:
            try:
                start, has_date = PREFIXES.get((status, headers)) or start_of((status, headers))
            except TypeError:  # unhashable header items
                start, has_date = start_of((status, headers), cache=False)
        else:
            block, has_date = header_block(headers)
            start = b"HTTP/1.1 %d %s\r\n%s" % (status, reason.encode("latin-1"), block)
        return b"%s%s%s" % (
            start,
            b"" if has_date else date_line(),
            self._ka_fmt % req.remaining if keep else self._close_line,
        )

    def _finish(self, keep: bool) -> None:
        self._current = None
        self._go("done+keep" if keep else "done+close")
        self._tail = b""


class _Completion:
    """The fast path's only llhttp callback: the message is complete."""

    __slots__ = ("server",)

    def __init__(self, server: H1Server) -> None:
        self.server = server

    def on_message_complete(self) -> None:
        self.server._fast_complete = True


class _BodySink:
    """llhttp callbacks for a parser that reads only a body, into the server's message."""

    __slots__ = ("on_body", "on_message_complete")

    def __init__(self, server: H1Server) -> None:
        self.on_body = server.on_body
        self.on_message_complete = server.on_message_complete
