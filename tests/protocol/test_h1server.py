"""The sans-IO HTTP/1.x server core, driven without sockets."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reqlab.protocol import h1server
from reqlab.protocol.h1server import (
    NEED_DATA,
    PAUSED,
    TRANSITIONS,
    H1Server,
    H2CUpgrade,
    H2Preface,
    Limits,
    Rejected,
    Request,
    State,
)


def server(**limits: object) -> H1Server:
    return H1Server(Limits(**limits))  # type: ignore[arg-type]


def feed(conn: H1Server, data: bytes) -> object:
    conn.receive_data(data)
    return conn.next_event()


def head_of(out: bytes) -> dict[str, str]:
    head = out.split(b"\r\n\r\n", 1)[0].decode()
    lines = head.split("\r\n")
    return {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}


def test_core_imports_no_io_modules() -> None:
    source = Path(h1server.__file__).read_text()
    for mod in ("socket", "asyncio", "ssl", "selectors"):
        assert f"import {mod}" not in source


def test_every_transition_leads_to_a_state() -> None:
    assert all(isinstance(v, State) for v in TRANSITIONS.values())
    assert TRANSITIONS[(State.RESPOND, "done+keep")] is State.IDLE


def test_request_keeps_header_case_order_duplicates_and_raw_head() -> None:
    raw = (
        b"POST /echo?a=1 HTTP/1.1\r\nHost: x\r\nX-CaSe: 1\r\nx-case: 2\r\nContent-Length: 3\r\n\r\n"
    )
    ev = feed(server(), raw + b"abc")
    assert isinstance(ev, Request)
    assert ev.method == "POST" and ev.target == "/echo?a=1" and ev.http_version == "HTTP/1.1"
    assert ev.headers == [("Host", "x"), ("X-CaSe", "1"), ("x-case", "2"), ("Content-Length", "3")]
    assert ev.raw_head == raw
    assert ev.body == b"abc"


@pytest.mark.parametrize(
    ("version", "connection", "persistent"),
    [
        ("1.0", None, False),
        ("1.0", "keep-alive", True),
        ("1.0", "Keep-Alive", True),
        ("1.0", "keep-alive, close", False),
        ("1.1", None, True),
        ("1.1", "close", False),
        ("1.1", "Keep-Alive, CLOSE", False),
        ("1.1", "keep-alive", True),
    ],
)
def test_persistence_rules(version: str, connection: str | None, persistent: bool) -> None:
    conn = server(keep_alive_timeout=5, keep_alive_max=100)
    extra = f"Connection: {connection}\r\n" if connection else ""
    ev = feed(conn, f"GET / HTTP/{version}\r\nHost: x\r\n{extra}\r\n".encode())
    assert isinstance(ev, Request) and ev.persistent is persistent
    conn.respond(200, [("Content-Type", "text/plain")], b"hi")
    out = conn.data_to_send()
    headers = head_of(out)
    assert out.startswith(b"HTTP/1.1 200 OK\r\n")
    assert headers["content-length"] == "2"
    if persistent:
        assert headers["connection"] == "keep-alive"
        assert headers["keep-alive"] == "timeout=5, max=99"
        assert conn.state is State.IDLE
    else:
        assert headers["connection"] == "close"
        assert "keep-alive" not in headers
        assert conn.state is State.CLOSED


def test_keep_alive_max_counts_down_and_the_last_closes() -> None:
    conn = server(keep_alive_max=3, keep_alive_timeout=2)
    seen = []
    for _ in range(3):
        ev = feed(conn, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert isinstance(ev, Request)
        conn.respond(200, body=b"")
        h = head_of(conn.data_to_send())
        seen.append((h["connection"], h.get("keep-alive")))
    assert seen == [
        ("keep-alive", "timeout=2, max=2"),
        ("keep-alive", "timeout=2, max=1"),
        ("close", None),
    ]
    assert conn.state is State.CLOSED


def test_response_close_overrides() -> None:
    conn = server()
    feed(conn, b"GET / HTTP/1.1\r\n\r\n")
    conn.respond(400, body=b"x", close=True)
    assert head_of(conn.data_to_send())["connection"] == "close"
    assert conn.state is State.CLOSED


def test_endpoint_framing_headers_are_replaced() -> None:
    conn = server()
    feed(conn, b"GET / HTTP/1.1\r\n\r\n")
    conn.respond(200, [("Content-Length", "99"), ("Connection", "close"), ("X", "1")], b"ab")
    out = conn.data_to_send()
    assert out.count(b"Content-Length") == 1 and b"Content-Length: 2\r\n" in out
    assert b"Connection: keep-alive" in out


def test_pipelined_requests_wait_for_answers_in_order() -> None:
    conn = server()
    conn.receive_data(b"GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\nGET /3 HTTP/1.1\r\n\r\n")
    targets = []
    for _ in range(3):
        ev = conn.next_event()
        assert isinstance(ev, Request)
        assert conn.next_event() is PAUSED
        targets.append(ev.target)
        assert ev.raw_head == f"GET {ev.target} HTTP/1.1\r\n\r\n".encode()
        conn.respond(200, body=ev.target.encode())
    assert targets == ["/1", "/2", "/3"]
    assert conn.next_event() is NEED_DATA


def test_head_split_at_every_byte_and_chunked_body_then_pipelined() -> None:
    raw = (
        b"POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"3\r\nabc\r\n2\r\n\r\n\r\n0\r\nTrailer: t\r\n\r\nGET /next HTTP/1.1\r\n\r\n"
    )
    conn = server()
    events = []
    for i in range(len(raw)):
        conn.receive_data(raw[i : i + 1])
        while (ev := conn.next_event()) not in (NEED_DATA, PAUSED):
            events.append(ev)
            assert isinstance(ev, Request)
            conn.respond(200)
    assert [(e.target, e.body) for e in events] == [("/c", b"abc\r\n"), ("/next", b"")]
    assert events[1].raw_head == b"GET /next HTTP/1.1\r\n\r\n"


def test_head_gets_content_length_without_body() -> None:
    conn = server()
    feed(conn, b"HEAD / HTTP/1.1\r\n\r\n")
    conn.respond(200, body=b"12345")
    out = conn.data_to_send()
    assert out.endswith(b"\r\n\r\n") and b"Content-Length: 5\r\n" in out


def test_stream_is_chunked_on_11_and_buffered_with_length_on_10() -> None:
    conn = server()
    feed(conn, b"GET / HTTP/1.1\r\n\r\n")
    assert conn.start_stream(200, [("Content-Type", "text/plain")])
    conn.stream_data(b"ab")
    conn.stream_data(b"cde")
    conn.end_stream()
    out = conn.data_to_send()
    assert b"Transfer-Encoding: chunked\r\n\r\n2\r\nab\r\n3\r\ncde\r\n0\r\n\r\n" in out

    conn = server()
    feed(conn, b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
    conn.start_stream(200)
    conn.stream_data(b"ab")
    assert conn.data_to_send() == b""
    conn.stream_data(b"cde")
    conn.end_stream()
    out = conn.data_to_send()
    assert b"chunked" not in out and b"Content-Length: 5\r\n" in out and out.endswith(b"abcde")
    assert b"Keep-Alive: timeout=5, max=99" in out


def test_expect_100_continue() -> None:
    conn = server()
    ev = feed(conn, b"PUT / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
    assert ev is NEED_DATA
    assert conn.data_to_send() == b"HTTP/1.1 100 Continue\r\n\r\n"
    ev = feed(conn, b"ok")
    assert isinstance(ev, Request) and ev.body == b"ok"


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (b"GET / HTTP/1.1\r\nBad Header\r\n\r\n", 400),
        (b"GET /a b HTTP/1.1\r\n\r\n", 400),
        (b"GET / HTTP/1.1\nHost: x\n\n", 400),
        (b"POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400),
        (b"GET / HTTP/2.0\r\n\r\n", 505),
        (b"POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", 413),
        (b"GET / HTTP/1.1\r\nX: " + b"a" * 300 + b"\r\n\r\n", 431),
        (b"GET / HTTP/1.1\r\nX: " + b"a" * 300, 431),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nc\r\n0123456789ab\r\n", 413),
    ],
)
def test_bad_input_is_answered_and_closes(data: bytes, status: int) -> None:
    conn = server(max_header_bytes=256, max_body_bytes=10)
    ev = feed(conn, data)
    assert isinstance(ev, Rejected) and ev.status == status
    out = conn.data_to_send()
    assert out.startswith(b"HTTP/1.1 %d " % status) and b"Connection: close" in out
    assert conn.state is State.CLOSED


def test_not_http_at_all_closes_silently() -> None:
    conn = server()
    ev = feed(conn, b"INVALID CONNECTION PREFACE\r\n\r\n")
    assert isinstance(ev, Rejected) and conn.data_to_send() == b""


def test_header_timeout_gives_408_only_after_some_bytes() -> None:
    conn = server()
    assert feed(conn, b"GET / HTTP/1.1\r\nHost:") is NEED_DATA
    conn.timeout()
    assert conn.data_to_send().startswith(b"HTTP/1.1 408 ")
    idle = server()
    idle.timeout()
    assert idle.data_to_send() == b"" and idle.state is State.CLOSED


def test_h2c_upgrade_and_preface() -> None:
    conn = server()
    ev = feed(
        conn,
        b"GET /u HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\n"
        b"Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\nPRI * HTTP/2.0",
    )
    assert isinstance(ev, H2CUpgrade)
    assert ev.settings == "AAMAAABkAAQAAP__" and ev.data == b"PRI * HTTP/2.0"
    conn.accept_h2c()
    assert conn.data_to_send().startswith(b"HTTP/1.1 101 Switching Protocols\r\n")
    assert conn.state is State.SWITCHED

    conn = server()
    assert feed(conn, h1server.H2_PREFACE[:10]) is NEED_DATA
    ev = feed(conn, h1server.H2_PREFACE[10:] + b"\x00")
    assert isinstance(ev, H2Preface) and ev.data == h1server.H2_PREFACE + b"\x00"


@pytest.mark.parametrize("method", ["FOOBAR", "purge", "M-SEARCH", "Get", "X_Y.z~1!"])
@pytest.mark.parametrize("body", [b"", b"abc"])
def test_any_method_token_is_accepted_exactly(method: str, body: bytes) -> None:
    framing = b"Content-Length: %d\r\n" % len(body) if body else b""
    one = b"%s /m?x=1 HTTP/1.1\r\nHost: x\r\n%s\r\n" % (method.encode(), framing)
    # pipelined after a known method and before one, and split at every byte
    data = b"GET /a HTTP/1.1\r\n\r\n" + one + body + b"DELETE /z HTTP/1.1\r\n\r\n"
    for step in (len(data), 1):
        conn = server()
        seen = []
        for i in range(0, len(data), step):
            conn.receive_data(data[i : i + step])
            while isinstance(ev := conn.next_event(), Request):
                seen.append(ev)
                conn.respond(200)
        assert [(r.method, r.target) for r in seen] == [
            ("GET", "/a"), (method, "/m?x=1"), ("DELETE", "/z")
        ]  # fmt: skip
        assert seen[1].raw_head == one and seen[1].body == body


@pytest.mark.parametrize("line", [b"FO\x01O / HTTP/1.1", b"FO(O / HTTP/1.1", b"G\xe9T / HTTP/1.1"])
def test_a_method_that_is_not_a_token_gets_400(line: bytes) -> None:
    conn = server()
    ev = feed(conn, line + b"\r\nHost: x\r\n\r\n")
    assert isinstance(ev, Rejected) and ev.status == 400
    assert conn.data_to_send().startswith(b"HTTP/1.1 400 ")


@pytest.mark.parametrize("chunked", [False, True])
def test_h2c_upgrade_request_keeps_its_body(chunked: bool) -> None:
    framing = b"Transfer-Encoding: chunked" if chunked else b"Content-Length: 5"
    body = b"2\r\nhe\r\n3\r\nllo\r\n0\r\n\r\n" if chunked else b"hello"
    head = (
        b"POST /u HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\n"
        b"Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n" + framing + b"\r\n\r\n"
    )
    for step in (10_000, 1):
        conn = server()
        data = head + body + h1server.H2_PREFACE
        ev = None
        for i in range(0, len(data), step):
            conn.receive_data(data[i : i + step])
            ev = conn.next_event()
            if isinstance(ev, H2CUpgrade):
                break
        assert isinstance(ev, H2CUpgrade)
        assert ev.request.body == b"hello" and ev.request.raw_head == head
        assert ev.data == h1server.H2_PREFACE[: len(ev.data)]


_SECOND_REQUESTS = [
    b"GET /a?b=1 HTTP/1.1\r\nHost: x\r\nX-A: 1\r\nx-a: 2\r\n\r\n",
    b"POST /p HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello",
    b"POST /p HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
    b"PUT /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
    b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
    b"GET / HTTP/1.0\r\n\r\n",
    b"DELETE / HTTP/1.1\r\nConnection: keep-alive, Close\r\n\r\n",
    b"PUT / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok",
    b"GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nContent-Length: 2\r\n\r\nws",
    b"HEAD /h HTTP/1.1\r\n\r\n",
    b"OPTIONS * HTTP/1.1\r\n\r\n",
]


@pytest.mark.parametrize("second", _SECOND_REQUESTS)
def test_whole_request_in_one_piece_is_the_same_request_as_byte_by_byte(second: bytes) -> None:
    # A whole request after the first takes the one-shot path; byte by byte it
    # takes the general one.  Both must hand out the same Request.
    first = b"GET /1 HTTP/1.1\r\n\r\n"
    got = []
    for step in (len(first + second), 1):
        conn = server(keep_alive_max=3)
        seen = []
        data = first + second + b"GET /3 HTTP/1.1\r\n\r\n"
        for i in range(0, len(data), step):
            conn.receive_data(data[i : i + step])
            while isinstance(ev := conn.next_event(), Request) and len(seen) < 2:
                seen.append(ev)
                conn.respond(200, body=b"ok")
        assert len(seen) == 2, seen
        got.append(seen[1])
    whole, split = got
    assert whole == split
    assert second.startswith(whole.raw_head)


def test_websocket_upgrade_is_answered_as_plain_request() -> None:
    conn = server()
    ev = feed(conn, b"GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
    assert isinstance(ev, Request)
    conn.respond(200)
    assert isinstance(feed(conn, b"GET /2 HTTP/1.1\r\n\r\n"), Request)


def test_eof_mid_head_and_idle() -> None:
    conn = server()
    assert feed(conn, b"GET / HT") is NEED_DATA
    assert isinstance(feed(conn, b""), Rejected)
    conn = server()
    assert isinstance(feed(conn, b""), h1server.Closed)


_REQUESTS = [
    b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST /p HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 3\r\n\r\nabc",
    b"PUT /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
    b"HEAD / HTTP/1.1\r\nExpect: 100-continue\r\n\r\n",
]


def _drive(conn: H1Server, pieces: list[bytes]) -> None:
    for piece in [*pieces, b""]:
        conn.receive_data(piece)
        for _ in range(50):
            ev = conn.next_event()
            if isinstance(ev, Request):
                conn.respond(200, body=b"ok")
            elif isinstance(ev, Rejected):
                # the catch-all in next_event must not be what saved us
                assert not ev.message.startswith("parser failure"), ev.message
            elif ev in (NEED_DATA, PAUSED) or not isinstance(ev, Request):
                break
        conn.data_to_send()


@settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.lists(st.binary(max_size=200), max_size=8))
def test_fuzz_random_bytes_never_raise(pieces: list[bytes]) -> None:
    _drive(server(max_header_bytes=512, max_body_bytes=64), pieces)


@settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    st.sampled_from(_REQUESTS),
    st.lists(
        st.tuples(
            st.integers(0, 200),
            st.sampled_from(["flip", "drop", "dup", "insert"]),
            st.binary(min_size=1, max_size=3),
        ),
        max_size=6,
    ),
    st.integers(1, 40),
)
def test_fuzz_mutated_requests_never_raise(base: bytes, edits: list, split: int) -> None:
    data = bytearray(base * 2)
    for pos, op, blob in edits:
        pos %= len(data) + 1
        if op == "flip" and pos < len(data):
            data[pos] ^= blob[0]
        elif op == "drop":
            del data[pos : pos + len(blob)]
        elif op == "dup":
            data[pos:pos] = data[pos : pos + 4]
        else:
            data[pos:pos] = blob
    pieces = [bytes(data[i : i + split]) for i in range(0, len(data), split)]
    _drive(server(max_header_bytes=512, max_body_bytes=64), pieces)


_TCHAR = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
# What llhttp (strict) accepts in a header value: HTAB, SP, VCHAR, obs-text.
_VALUE_BYTES = st.binary(max_size=12).map(
    lambda b: bytes(c for c in b if c == 9 or 32 <= c <= 126 or c >= 128)
)


@settings(max_examples=200, deadline=None, database=None)
@given(
    st.lists(
        st.tuples(st.text(_TCHAR, min_size=1, max_size=10), _VALUE_BYTES),
        max_size=6,
    ),
    st.sampled_from(["GET", "POST", "DELETE", "OPTIONS"]),
    st.sampled_from(["/", "/echo?a=b%20c", "*", "http://h/x"]),
    st.sampled_from(["HTTP/1.1", "HTTP/1.0"]),
    st.binary(max_size=5),
    st.booleans(),
)
def test_one_shot_header_split_is_llhttps(
    headers: list[tuple[str, bytes]],
    method: str,
    target: str,
    version: str,
    body: bytes,
    via_receive_request: bool,
) -> None:
    # The one-shot path splits the validated head itself; the general path
    # (byte by byte) takes llhttp's callbacks.  Values with leading/trailing
    # whitespace, obs-text and framing headers must come out the same.
    lines = [f"{method} {target} {version}".encode()]
    lines += [n.encode() + b":" + v for n, v in headers]
    if body:
        lines.append(b"Content-Length: %d" % len(body))
    second = b"\r\n".join(lines) + b"\r\n\r\n" + body
    first = b"GET /1 HTTP/1.1\r\n\r\n"
    got = []
    for step in (0, 1):
        conn = server(keep_alive_max=3)
        seen: list[object] = []
        if step:
            pieces = [bytes([b]) for b in first + second]
        elif via_receive_request:
            pieces = [first, second]
        else:
            pieces = [first + second]
        for piece in pieces:
            ev = conn.receive_request(piece) if via_receive_request else feed(conn, piece)
            while isinstance(ev, Request | Rejected):
                seen.append(ev)
                if isinstance(ev, Rejected):
                    break
                conn.respond(200, body=b"ok")
                ev = conn.next_event()
        got.append(seen)
    whole, split = got
    assert whole == split


CHUNKED = b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n"


def test_trailers_are_kept_but_never_change_framing() -> None:
    ev = feed(server(), CHUNKED + b"Connection: close\r\nX-Sum: 1\r\n\r\n")
    assert isinstance(ev, Request) and ev.body == b"abc"
    assert ("X-Sum", "1") in ev.headers
    assert ev.persistent  # RFC 9110 6.5.1: a trailer says nothing about the connection


@pytest.mark.parametrize(
    ("trailer", "limits", "status"),
    [
        (b"X: " + b"a" * 3000 + b"\r\n\r\n", {"max_header_bytes": 1000}, 431),
        (b"X: y\r\n" * 300 + b"\r\n", {"max_header_bytes": 1000}, 431),
        (b"X: " + b"a" * 600 + b"\r\n\r\n", {"max_body_bytes": 500}, 413),
    ],
)
def test_trailers_count_against_the_head_and_body_limits(
    trailer: bytes, limits: dict[str, int], status: int
) -> None:
    conn = server(**limits)
    ev = feed(conn, CHUNKED + trailer)
    assert isinstance(ev, Rejected) and ev.status == status
    assert conn.data_to_send().startswith(b"HTTP/1.1 %d " % status)


def test_a_trailer_that_never_ends_is_refused_without_holding_it() -> None:
    conn = server(max_header_bytes=1000)
    ev = feed(conn, CHUNKED + b"X: ")
    for _ in range(100):
        if ev is not NEED_DATA:
            break
        ev = feed(conn, b"a" * 100)
    assert isinstance(ev, Rejected) and ev.status == 431


def test_http10_chunked_request_is_not_persistent() -> None:
    raw = (
        b"POST / HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"3\r\nabc\r\n0\r\n\r\n"
    )
    ev = feed(server(), raw)
    assert isinstance(ev, Request) and not ev.persistent


@pytest.mark.parametrize(
    ("first", "answered"),
    [
        (b"BLAH\r\n\r\n", True),  # text, not a request line: 400 as nginx does
        (b"INVALID CONNECTION PREFACE\r\n\r\n", False),  # h2spec 3.5/2: a broken preface
        (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", False),  # a TLS ClientHello
    ],
)
def test_what_gets_a_400_on_an_h2c_port(first: bytes, answered: bool) -> None:
    conn = server()
    ev = feed(conn, first)
    assert isinstance(ev, Rejected)
    assert conn.data_to_send().startswith(b"HTTP/1.1 400 ") == answered
