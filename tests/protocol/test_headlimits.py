"""reqlab.protocol.headlimits and the HTTP/1.x client's use of it."""

from __future__ import annotations

import pytest

from reqlab.errors import ResponseHeadTooLarge, ResponseTooLarge
from reqlab.protocol.h1client import H1Client
from reqlab.protocol.headlimits import HeadLimits, check_h2_head


def _client(limits: HeadLimits) -> H1Client:
    client = H1Client(limits)
    client.send("GET", "/", "HTTP/1.1", [("Host", "x")])
    return client


def test_a_head_within_the_limits_parses() -> None:
    client = _client(HeadLimits(max_head_bytes=100, max_header_count=2))
    events = client.receive_data(b"HTTP/1.1 204 No Content\r\nA: 1\r\nB: 2\r\n\r\n")
    assert client.head is not None and client.head.status == 204 and events


def test_a_head_that_never_ends_stops_at_the_byte_limit() -> None:
    client = _client(HeadLimits(max_head_bytes=1000))
    client.receive_data(b"HTTP/1.1 200 OK\r\nX: ")
    with pytest.raises(ResponseHeadTooLarge, match="1000 bytes \\(max_head_bytes\\)"):
        for _ in range(20):
            client.receive_data(b"a" * 100)
    assert client.state == "CLOSED"


def test_too_many_fields() -> None:
    client = _client(HeadLimits(max_header_count=3))
    with pytest.raises(ResponseHeadTooLarge, match="more than 3 header fields"):
        client.receive_data(b"HTTP/1.1 200 OK\r\n" + b"A: 1\r\n" * 4 + b"\r\n")


def test_h2_header_list_counts_32_per_field() -> None:
    limits = HeadLimits(max_head_bytes=100, max_header_count=10)
    check_h2_head([(b"a", b"b")] * 2, limits)  # 2 * 34
    with pytest.raises(ResponseHeadTooLarge):
        check_h2_head([(b"a", b"b")] * 3, limits)  # 3 * 34 > 100
    assert issubclass(ResponseHeadTooLarge, ResponseTooLarge)  # exit code 8 in the CLI


def test_limits_must_be_positive_whole_numbers() -> None:
    with pytest.raises(ValueError, match="max_head_bytes"):
        HeadLimits(max_head_bytes=0)
