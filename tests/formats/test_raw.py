"""Raw HTTP/1.x messages: what the reader accepts, byte-exact writing, errors."""

from __future__ import annotations

import pytest

from reqlab.errors import FormatError
from reqlab.formats import read, write
from reqlab.formats.raw import read_raw, write_raw, write_raw_bytes
from reqlab.model import (
    BasicAuth,
    BytesBody,
    DigestAuth,
    FormBody,
    JsonBody,
    Options,
    Request,
    TextBody,
)

SEED = "GET /echo HTTP/1.0\nConnection: keep-alive\nKeep-Alive: timeout=5, max=100\n"


def test_the_seed_message_with_a_base_url():
    parsed = read(SEED, base_url="https://reqbin.com")
    assert parsed.fmt == "http"
    assert parsed.request == Request(
        "GET",
        "https://reqbin.com/echo",
        headers=(("Connection", "keep-alive"), ("Keep-Alive", "timeout=5, max=100")),
        version="HTTP/1.0",
    )
    assert parsed.warnings == []


def test_host_header_gives_the_origin_and_stays_a_header():
    parsed = read_raw("GET /a?b=1&b=2 HTTP/1.1\r\nHost: example.test:8080\r\nX-A: 1\r\n\r\n")
    assert parsed.request.url == "http://example.test:8080/a?b=1&b=2"
    assert parsed.request.headers == (("Host", "example.test:8080"), ("X-A", "1"))


def test_absolute_form_target():
    parsed = read_raw("OPTIONS https://example.test/x HTTP/1.1\n\n")
    assert parsed.request.url == "https://example.test/x"
    assert parsed.request.headers == ()


def test_base_url_scheme_applies_to_origin_form_with_host():
    request = read_raw("GET / HTTP/1.1\nHost: h.test\n\n", base_url="https://other").request
    assert request.url == "https://h.test/"
    assert read_raw("GET / HTTP/1.1\nHost: h\n", base_url="https").request.url == "https://h/"


@pytest.mark.parametrize(
    "message",
    [
        b"GET /echo HTTP/1.1\r\nHost: example.test\r\nConnection: keep-alive\r\n"
        b"Keep-Alive: timeout=5, max=100\r\n\r\n",
        b"POST /submit?x=%20y HTTP/1.1\r\nHost: example.test\r\nContent-Type: application/json"
        b'\r\nContent-Length: 8\r\n\r\n{"a": 1}',
        b"PURGE /cache/item HTTP/1.0\r\nHost: cache.test\r\nx-dup: 1\r\nX-Dup: 2\r\n\r\n",
        b"PUT /bin HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\n\x00\xff\r\n",
        b"GET /caf\xc3\xa9 HTTP/2\r\nHost: h\r\nX-Unicode: \xc3\xa9t\xc3\xa9\r\n\r\n",
        b"POST /empty HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n",
    ],
)
def test_well_formed_messages_are_written_back_byte_for_byte(message: bytes):
    parsed = read_raw(message)
    assert write_raw_bytes(parsed.request)[0] == message
    assert parsed.warnings == []


def test_bare_lf_reads_like_crlf():
    crlf = read_raw(b"POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc").request
    lf = read_raw(b"POST /p HTTP/1.1\nHost: h\nContent-Length: 3\n\nabc").request
    assert crlf == lf
    assert crlf.body == TextBody("abc")


def test_body_kinds_are_text_or_bytes_exactly():
    utf8 = read_raw("POST / HTTP/1.1\nHost: h\nContent-Length: 9\n\nna\u00efve=1").request
    assert utf8.body == TextBody("na\u00efve=1")
    raw = read_raw(b"POST / HTTP/1.1\nHost: h\nContent-Length: 2\n\n\xff\xfe").request
    assert raw.body == BytesBody(data=b"\xff\xfe")


def test_content_length_bounds_the_body_and_extra_bytes_warn():
    parsed = read_raw(b"POST / HTTP/1.1\nHost: h\nContent-Length: 2\n\nabEXTRA")
    assert parsed.request.body == TextBody("ab")
    assert parsed.warnings == ["5 bytes after the 2-byte body were ignored"]
    short = read_raw(b"POST / HTTP/1.1\nHost: h\nContent-Length: 9\n\nab")
    assert short.warnings == ["the body has 2 bytes but Content-Length says 9"]


def test_trailing_newline_after_a_body_is_not_an_error():
    parsed = read_raw(b"POST / HTTP/1.1\nHost: h\nContent-Length: 2\n\nab\n")
    assert parsed.request.body == TextBody("ab")
    assert parsed.warnings == []


def test_body_without_length_runs_to_the_end_with_a_warning():
    parsed = read_raw("POST /p HTTP/1.1\nHost: h\n\nhello")
    assert parsed.request.body == TextBody("hello")
    assert "no Content-Length" in parsed.warnings[0]


def test_chunked_body_is_kept_as_written():
    body = b"5\r\nhello\r\n0\r\n\r\n"
    parsed = read_raw(b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + body)
    assert parsed.request.body == TextBody(body.decode())
    assert "chunked" in parsed.warnings[0]


def test_leading_blank_lines_are_ignored():
    assert read_raw("\r\n\nGET / HTTP/1.1\nHost: h\n").request.url == "http://h/"


def test_writer_adds_what_the_client_adds_in_the_same_place():
    request = Request(
        "POST",
        "https://u:p@api.test:8443/v1?q=1#frag",
        headers=(("Accept", "*/*"),),
        body=FormBody((("a", "1 2"),)),
        auth=BasicAuth("alice", "pw"),
    )
    assert write(request, "http") == (
        "POST /v1?q=1 HTTP/1.1\r\nHost: api.test:8443\r\nAccept: */*\r\n"
        "Authorization: Basic YWxpY2U6cHc=\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 5\r\n\r\na=1+2"
    )


def test_writer_notes_what_a_raw_message_cannot_hold():
    request = Request(
        "GET",
        "http://h/",
        auth=DigestAuth("u", "p"),
        version="HTTP/2",
        options=Options(timeout=3),
    )
    written = write_raw(request)
    assert written.text.startswith("GET / HTTP/2\r\nHost: h\r\n")
    assert len(written.warnings) == 3
    assert any("HTTP/2" in w for w in written.warnings)
    assert any("digest" in w for w in written.warnings)


def test_json_body_written_compact_and_read_back_as_text():
    request = Request("POST", "http://h/", body=JsonBody({"a": [1, "\u00e9"]}))
    back = read(write(request, "http")).request
    assert back.body == TextBody('{"a":[1,"\u00e9"]}')
    assert back.header("content-type") == "application/json"


def test_file_bodies_need_file_access_to_be_written():
    request = Request("PUT", "http://h/", body=BytesBody(path="x.bin"))
    with pytest.raises(FormatError, match="x.bin"):
        write(request, "http")
    text = write(request, "http", read_file=lambda p: b"DATA")
    assert text.endswith("Content-Length: 4\r\n\r\nDATA")


def test_multipart_boundary_is_stable_across_writes():
    from reqlab.model import MultipartBody, MultipartField

    request = Request("POST", "http://h/", body=MultipartBody((MultipartField("a", "1"),)))
    assert write(request, "http") == write(request, "http")


@pytest.mark.parametrize(
    "text, position, expected",
    [
        ("G ET / HTTP/1.1\nHost: h\n", "line 1", "a request line"),
        ("GE\u00a7T / HTTP/1.1\nHost: h\n", "line 1, column 1", "a method token"),
        ("GET / HTTP/1.1\nHost: h\nBad Header: x\n", "line 3, column 1", "a header name"),
        ("GET / HTTP/1.1\nHost: h\nNoColon\n", "line 3", "a header 'Name: value'"),
        ("GET / HTTP/1.1\nHost: h\nX-A: 1\n  folded\n", "line 4, column 1", "folded"),
        ("GET /echo HTTP/1.1\nConnection: close\n", "line 1", "a Host header"),
        ("GET echo HTTP/1.1\nHost: h\n", "line 1", "a target starting with '/'"),
        ("GET / HTTP/1.1\nHost: h\nX-A: a\rb\n", "line 3", "without CR"),
        ("", "line 1", "a request line"),
    ],
)
def test_errors_name_the_line_and_what_was_expected(text, position, expected):
    with pytest.raises(FormatError) as info:
        read_raw(text)
    assert info.value.fmt == "http"
    assert info.value.position == position
    assert expected in info.value.expected


def test_non_utf8_head_is_refused_with_its_position():
    with pytest.raises(FormatError) as info:
        read_raw(b"GET / HTTP/1.1\nHost: h\nX-A: \xff\n\n")
    assert info.value.position == "line 3, column 6"
