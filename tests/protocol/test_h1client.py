"""The sans-IO HTTP/1.x client: bytes in, events out, no sockets."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import reqlab.protocol.h1client as h1client
from reqlab.errors import LocalProtocolError, RemoteProtocolError
from reqlab.protocol.h1client import (
    END,
    Data,
    H1Client,
    Informational,
    ResponseHead,
    response_framing,
    serialize_request,
)

SEED = [("Host", "reqbin.com"), ("Connection", "keep-alive"), ("Keep-Alive", "timeout=5, max=100")]


def feed(conn: H1Client, *chunks: bytes) -> list:
    events = []
    for chunk in chunks:
        events += conn.receive_data(chunk)
    return events


def body_of(events: list) -> bytes:
    return b"".join(e.data for e in events if isinstance(e, Data))


def test_serialize_keeps_case_order_duplicates_and_version():
    data = serialize_request("GET", "/echo", "HTTP/1.0", SEED + [("x-a", "1"), ("X-A", "2")])
    assert data == (
        b"GET /echo HTTP/1.0\r\nHost: reqbin.com\r\nConnection: keep-alive\r\n"
        b"Keep-Alive: timeout=5, max=100\r\nx-a: 1\r\nX-A: 2\r\n\r\n"
    )
    assert serialize_request("POST", "/", "HTTP/1.1", [("Content-Length", "2")], b"hi").endswith(
        b"\r\n\r\nhi"
    )
    with pytest.raises(LocalProtocolError):
        serialize_request("GET", "/", "HTTP/2", [])


@pytest.mark.parametrize(
    "method,status,headers,framing",
    [
        ("HEAD", 200, [("Content-Length", "5")], "none"),
        ("GET", 204, [("Content-Length", "5")], "none"),
        ("GET", 304, [], "none"),
        ("GET", 100, [], "none"),
        ("GET", 200, [("Transfer-Encoding", "gzip, chunked"), ("Content-Length", "3")], "chunked"),
        ("GET", 200, [("content-length", "3")], "length"),
        ("GET", 200, [], "close"),
    ],
)
def test_framing_rules(method, status, headers, framing):
    assert response_framing(method, status, headers) == framing


def test_content_length_response_split_anywhere_is_reusable():
    raw = b"HTTP/1.1 200 OK\r\nServer: x\r\nContent-Length: 5\r\nKeep-Alive: timeout=5, max=99\r\n\r\nhello"
    for cut in range(1, len(raw)):
        conn = H1Client()
        conn.send("GET", "/", "HTTP/1.1", [("Host", "a")])
        events = feed(conn, raw[:cut], raw[cut:])
        heads = [e for e in events if isinstance(e, ResponseHead)]
        assert heads[0].headers == [
            ("Server", "x"),
            ("Content-Length", "5"),
            ("Keep-Alive", "timeout=5, max=99"),
        ]
        assert body_of(events) == b"hello" and events[-1] is END
        assert conn.reusable and conn.keep_alive.timeout == 5 and conn.keep_alive.max == 99
    conn.start_next()
    assert conn.state == h1client.IDLE


def test_header_case_order_duplicates_and_reason_exact():
    conn = H1Client()
    conn.send("GET", "/", "HTTP/1.1", [])
    events = feed(
        conn,
        b"HTTP/1.1 200 Fine Thanks\r\nset-cookie: a=1\r\nSET-COOKIE: b=2\r\nContent-Length: 0\r\n\r\n",
    )
    head = events[0]
    assert head.reason == "Fine Thanks"
    assert head.headers == [("set-cookie", "a=1"), ("SET-COOKIE", "b=2"), ("Content-Length", "0")]


def test_chunked_body():
    conn = H1Client()
    conn.send("GET", "/", "HTTP/1.1", [])
    events = feed(
        conn,
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n",
        b"2\r\nde\r\n0\r\n\r\n",
    )
    assert body_of(events) == b"abcde" and events[-1] is END and conn.reusable


def test_head_response_ends_at_head_even_with_content_length():
    conn = H1Client()
    conn.send("HEAD", "/", "HTTP/1.1", [])
    events = feed(conn, b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n")
    assert events[-1] is END and body_of(events) == b"" and conn.reusable


def test_interim_1xx_then_final():
    conn = H1Client()
    conn.send("POST", "/", "HTTP/1.1", [])
    events = feed(
        conn, b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
    )
    assert isinstance(events[0], Informational) and events[0].status == 100
    assert isinstance(events[1], ResponseHead) and events[1].status == 200
    assert body_of(events) == b"ok"


def test_close_delimited_body_ends_at_eof_and_is_not_reusable():
    conn = H1Client()
    conn.send("GET", "/", "HTTP/1.1", [])
    events = feed(conn, b"HTTP/1.1 200 OK\r\n\r\npart1", b"part2")
    assert END not in events
    events += conn.receive_data(b"")
    assert body_of(events) == b"part1part2" and events[-1] is END
    assert not conn.reusable


@pytest.mark.parametrize(
    "req_version,req_headers,response,reusable",
    [
        ("HTTP/1.1", [], b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", True),
        (
            "HTTP/1.1",
            [("Connection", "close")],
            b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
            False,
        ),
        (
            "HTTP/1.1",
            [],
            b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
            False,
        ),
        ("HTTP/1.0", [], b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", False),
        ("HTTP/1.0", SEED, b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", False),
        (
            "HTTP/1.0",
            SEED,
            b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n",
            True,
        ),
        ("HTTP/1.0", SEED, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", True),
        (
            "HTTP/1.1",
            [],
            b"HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5, max=0\r\nContent-Length: 0\r\n\r\n",
            False,
        ),
    ],
)
def test_persistence_decision(req_version, req_headers, response, reusable):
    conn = H1Client()
    conn.send("GET", "/", req_version, req_headers)
    events = feed(conn, response)
    assert events[-1] is END
    assert conn.reusable is reusable
    if not reusable:
        with pytest.raises(LocalProtocolError):
            conn.start_next()


def test_eof_before_any_byte_and_mid_body():
    conn = H1Client()
    conn.send("GET", "/", "HTTP/1.1", [])
    with pytest.raises(RemoteProtocolError, match="without sending a response"):
        conn.receive_data(b"")
    assert conn.received == 0
    conn = H1Client()
    conn.send("GET", "/", "HTTP/1.1", [])
    conn.receive_data(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
    with pytest.raises(RemoteProtocolError, match="before the end of the length body"):
        conn.receive_data(b"")


def test_garbage_is_a_remote_protocol_error():
    conn = H1Client()
    conn.send("GET", "/", "HTTP/1.1", [])
    with pytest.raises(RemoteProtocolError, match="invalid HTTP response"):
        conn.receive_data(b"NOT HTTP AT ALL\r\n\r\n")


def test_unsolicited_bytes_make_connection_unusable():
    conn = H1Client()
    conn.send("GET", "/", "HTTP/1.1", [])
    feed(conn, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    conn.start_next()
    assert conn.receive_data(b"HTTP/1.1 408 Request Timeout\r\n\r\n") == []
    assert conn.state == h1client.CLOSED and not conn.reusable


def test_cannot_send_twice_without_response():
    conn = H1Client()
    conn.send("GET", "/", "HTTP/1.1", [])
    with pytest.raises(LocalProtocolError):
        conn.send("GET", "/", "HTTP/1.1", [])


def test_module_does_no_io():
    tree = ast.parse(Path(h1client.__file__).read_text())
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (
            node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")]
        )
    }
    assert not imported & {"socket", "ssl", "asyncio", "selectors"}


def test_several_exchanges_on_one_connection_including_head():
    conn = H1Client()
    answers = [
        ("GET", b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na"),
        ("HEAD", b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n"),
        ("GET", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nb\r\n0\r\n\r\n"),
        ("GET", b"HTTP/1.1 204 No Content\r\n\r\n"),
        ("GET", b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nc"),
    ]
    bodies = []
    for method, answer in answers:
        conn.send(method, "/", "HTTP/1.1", [])
        events = conn.receive_data(answer)
        assert events[-1] is END and conn.reusable
        bodies.append(body_of(events))
        conn.start_next()
    assert bodies == [b"a", b"", b"b", b"", b"c"]
    assert conn.exchanges == 5
