"""The sans-IO WebSocket core: handshake decisions and a client/server pair talking in memory."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reqlab.protocol import ws_handshake as hs
from reqlab.protocol.ws import Closed, Message, PingReceived, PongReceived, WSConnection

SRC = Path(__file__).resolve().parents[2] / "src" / "reqlab" / "protocol"


def test_the_core_imports_no_io():
    for name in ("ws.py", "ws_handshake.py", "sse.py"):
        tree = ast.parse((SRC / name).read_text())
        imported = {
            a.name.split(".")[0]
            for n in ast.walk(tree)
            if isinstance(n, ast.Import)
            for a in n.names
        }
        imported |= {
            (n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
        }
        assert not imported & {"socket", "asyncio", "ssl", "selectors"}, name


def _request(**extra: str) -> list[tuple[str, str]]:
    offer = hs.offer(extra.pop("subs", "").split(",") if "subs" in extra else ())
    return [("Host", "x"), *offer.headers, *extra.items()]


def test_accept_computes_the_rfc_example_token():
    # RFC 6455 section 1.3's worked example
    headers = [
        ("Upgrade", "websocket"),
        ("Connection", "keep-alive, Upgrade"),
        ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
        ("Sec-WebSocket-Version", "13"),
    ]
    answer = hs.accept("GET", headers)
    assert isinstance(answer, hs.Accepted)
    assert ("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") in answer.headers
    assert answer.subprotocol is None and answer.extensions == []


@pytest.mark.parametrize(
    ("method", "change", "status"),
    [
        ("POST", {}, 405),
        ("GET", {"Upgrade": "h2c"}, 426),
        ("GET", {"Connection": "keep-alive"}, 400),
        ("GET", {"Sec-WebSocket-Version": "8"}, 426),
        ("GET", {"Sec-WebSocket-Key": "not base64!"}, 400),
        ("GET", {"Sec-WebSocket-Key": "AAAA"}, 400),
    ],
)
def test_accept_refuses_what_rfc_6455_forbids(method, change, status):
    headers = [(n, change.get(n, v)) for n, v in hs.offer().headers]
    answer = hs.accept(method, headers)
    assert isinstance(answer, hs.Refused) and answer.status == status and answer.message


def test_client_and_server_agree_on_subprotocol_and_deflate():
    offer = hs.offer(["v2", "v1"])
    answer = hs.accept("GET", offer.headers)
    assert isinstance(answer, hs.Accepted) and answer.subprotocol == "v2"
    checked = hs.check_answer(offer, 101, answer.headers)
    assert checked.subprotocol == "v2" and [e.name for e in checked.extensions] == [
        "permessage-deflate"
    ]


@pytest.mark.parametrize(
    ("status", "edit", "words"),
    [
        (200, None, "answered 200"),
        (101, ("Sec-WebSocket-Accept", "wrong"), "does not match"),
        (101, ("Sec-WebSocket-Protocol", "other"), "not offered"),
        (101, ("Sec-WebSocket-Extensions", "x-unknown"), "not offered"),
    ],
)
def test_check_answer_names_what_is_wrong(status, edit, words):
    offer = hs.offer(["v1"])
    answer = hs.accept("GET", offer.headers)
    assert isinstance(answer, hs.Accepted)
    headers = [h for h in answer.headers if edit is None or h[0] != edit[0]]
    if edit is not None:
        headers.append(edit)
    with pytest.raises(hs.HandshakeError, match=words):
        hs.check_answer(offer, status, headers)


def test_parse_response_head_waits_then_splits_off_the_rest():
    assert hs.parse_response_head(b"HTTP/1.1 101 Switching") is None
    head, rest = hs.parse_response_head(
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x00"
    )
    assert (head.status, head.reason, head.headers, rest) == (
        101,
        "Switching Protocols",
        [("Upgrade", "websocket")],
        b"\x81\x00",
    )
    with pytest.raises(hs.HandshakeError, match="status line"):
        hs.parse_response_head(b"SSH-2.0-OpenSSH\r\n\r\n")
    with pytest.raises(hs.HandshakeError, match="longer than"):
        hs.parse_response_head(b"x" * 100, limit=50)


def pair(
    deflate: bool = False, fast: bool = True, **server_kw
) -> tuple[WSConnection, WSConnection]:
    offer = hs.offer(deflate=deflate)
    answer = hs.accept("GET", offer.headers, deflate=deflate)
    assert isinstance(answer, hs.Accepted)
    client_ext = hs.check_answer(offer, 101, answer.headers).extensions
    client = WSConnection(client=True, extensions=client_ext, log_frames=True)
    server = WSConnection(client=False, extensions=answer.extensions, fast=fast, **server_kw)
    return client, server


def pump(a: WSConnection, b: WSConnection) -> list:
    return b.receive(a.data_to_send())


@given(
    messages=st.lists(st.one_of(st.text(max_size=300), st.binary(max_size=300)), max_size=8),
    deflate=st.booleans(),
    cut=st.integers(1, 50),
)
def test_messages_arrive_whole_however_the_bytes_are_cut(messages, deflate, cut):
    client, server = pair(deflate)
    for m in messages:
        client.send(m)
    wire = client.data_to_send()
    got = []
    for i in range(0, len(wire), cut):
        got += server.receive(wire[i : i + cut])
    assert [e.data for e in got] == messages


def test_fragments_join_and_count_frames():
    client, server = pair()
    client.send("ab", fin=False)
    client.send("cd", fin=False)
    client.send("e")
    (msg,) = pump(client, server)
    assert msg == Message("abcde", 3)
    assert [f.opcode for f in client.frames] == ["text", "continuation", "continuation"]


def test_a_message_over_the_cap_is_answered_with_1009_even_in_fragments():
    client, server = pair(max_size=10)
    client.send("0123456789")
    assert pump(client, server) == [Message("0123456789", 1)]
    client.send("012345", fin=False)
    client.send("6789ab")
    (closed,) = pump(client, server)
    assert closed == Closed(1009, "message over 10 bytes", "local")
    back = pump(server, client)
    assert back == [Closed(1009, "message over 10 bytes", "peer")]
    assert pump(client, server) == [closed] and server.handshake_done


def test_invalid_utf8_in_a_text_frame_is_1007():
    _, server = pair()
    masked = bytes([0x81, 0x82, 0, 0, 0, 0]) + b"\xff\xfe"  # mask key 0: payload as is
    (closed,) = server.receive(masked)
    assert closed.code == 1007 and closed.by == "local"


def test_ping_pong_and_noping():
    client, server = pair()
    client.ping(b"hi")
    assert pump(client, server) == [PingReceived(b"hi")]
    assert pump(server, client) == [PongReceived(b"hi")]
    client, server = pair(auto_pong=False)
    client.ping(b"hi")
    assert pump(client, server) == [PingReceived(b"hi")]
    assert server.data_to_send() == b""


def test_a_peer_close_is_answered_with_its_code_and_a_dead_transport_is_1006():
    client, server = pair()
    client.close(4001, "bye")
    assert pump(client, server) == [Closed(4001, "bye", "peer")]
    assert pump(server, client) == [Closed(4001, "bye", "local")]
    assert client.handshake_done and server.handshake_done
    _, server = pair()
    (gone,) = server.receive(b"")
    assert gone.code == 1006 and gone.by == "transport"


def _wire_frame(opcode: int, payload: bytes, fin: bool, masked: bool, rsv: int = 0) -> bytes:
    n = len(payload)
    b0 = (0x80 if fin else 0) | rsv | opcode
    bit = 0x80 if masked else 0
    if n < 126:
        head = bytes([b0, bit | n])
    elif n < 65536:
        head = bytes([b0, bit | 126]) + n.to_bytes(2, "big")
    else:
        head = bytes([b0, bit | 127]) + n.to_bytes(8, "big")
    if not masked:
        return head + payload
    key = b"\x11\x22\x33\x44"
    return head + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


_frames = st.lists(
    st.one_of(
        st.tuples(st.just(1), st.text(max_size=200).map(str.encode), st.just(True), st.just(True)),
        st.tuples(
            st.sampled_from([0, 1, 2, 9, 10]), st.binary(max_size=300), st.booleans(), st.booleans()
        ),
        st.tuples(
            st.just(1),
            st.sampled_from([b"\xff", b"ok\xc3", b"\xed\xa0\x80"]),
            st.just(True),
            st.just(True),
        ),
        st.tuples(
            st.just(8),
            st.sampled_from([b"", b"\x03\xe8", b"\x0f\xa1bye"]),
            st.just(True),
            st.just(True),
        ),
    ),
    max_size=10,
)


@given(frames=_frames, cut=st.integers(1, 64), max_size=st.sampled_from([50, 1000]))
def test_the_fast_path_and_wsproto_alone_give_the_same_events(frames, cut, max_size):
    """Any frame sequence, valid or not, cut anywhere: the same events and the same answer bytes
    (bar masking keys, which the server side never uses)."""
    wire = b"".join(_wire_frame(op, p, fin, masked) for op, p, fin, masked in frames)
    results = []
    for fast in (True, False):
        server = WSConnection(client=False, max_size=max_size, fast=fast, log_frames=True)
        events = []
        for i in range(0, len(wire), cut):
            events += server.receive(wire[i : i + cut])
        results.append((events, server.data_to_send(), server.closed, server.frames))
    assert results[0][:3] == results[1][:3]


@given(
    chunks=st.lists(st.binary(max_size=40), max_size=12),
    deflate=st.booleans(),
    auto_pong=st.booleans(),
)
def test_any_bytes_from_a_peer_give_events_never_an_exception(chunks, deflate, auto_pong):
    """A hostile peer: whatever arrives, the core answers with events (and a Close), never raises."""
    _, server = pair(deflate, auto_pong=auto_pong, max_size=64)
    for chunk in [*chunks, b""]:
        events = server.receive(chunk)
        server.data_to_send()
        assert all(isinstance(e, Message | PingReceived | PongReceived | Closed) for e in events)
    assert server.closed is not None  # the transport ended: closed one way or another
    server.send("late")  # sending after the end is a no-op, not an error
    server.close()
