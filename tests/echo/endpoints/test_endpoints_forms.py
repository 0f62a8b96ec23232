"""The urlencoded and multipart readers behind /echo's form/files and httpbin's form/files."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reqlab.body import form_text, multipart_bytes
from reqlab.echo.endpoints._forms import (
    MultipartError,
    media_type,
    parse_multipart,
    parse_urlencoded,
)
from reqlab.model import MultipartBody, MultipartField, MultipartFile


def test_urlencoded_keeps_order_repeats_and_decodes_plus():
    pairs = parse_urlencoded(b"b=2&a=1+2&b=3&c=%26%3D%2B&flag&=v&&d=")
    assert pairs == [
        ("b", "2"),
        ("a", "1 2"),
        ("b", "3"),
        ("c", "&=+"),
        ("flag", ""),
        ("", "v"),
        ("d", ""),
    ]


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(st.sampled_from("ab=&+%2C\xe9"), max_size=16))
def test_urlencoded_reads_as_parse_qsl(query: str) -> None:
    # Plain ASCII without '%' or '+' is split as text, the rest decoded; both
    # must read as the standard library does.
    from urllib.parse import parse_qsl

    expected = parse_qsl(query, keep_blank_values=True)
    assert parse_urlencoded(query) == expected
    assert parse_urlencoded(query.encode()) == expected


def test_urlencoded_utf8_and_invalid_percent_sequences():
    assert parse_urlencoded("n=%C3%A9t%C3%A9") == [("n", "été")]
    assert parse_urlencoded("n=%FF") == [("n", "\ufffd")]
    assert parse_urlencoded("n=%zz") == [("n", "%zz")]


@given(st.lists(st.tuples(st.text(), st.text()), max_size=8))
def test_urlencoded_round_trips_reqlab_encoding(fields):
    # Surrogates cannot be UTF-8 encoded by the sender either.
    fields = [
        (n.encode("utf-8", "replace").decode(), v.encode("utf-8", "replace").decode())
        for n, v in fields
    ]
    fields = [(n, v) for n, v in fields if n or v]
    assert parse_urlencoded(form_text(fields).encode()) == fields


def test_media_type():
    assert media_type("Multipart/Form-Data; boundary=x") == "multipart/form-data"
    assert media_type(None) == ""


BOUNDARY = "XyZ"


def _multipart(*parts: bytes, boundary: str = BOUNDARY) -> bytes:
    out = b""
    for p in parts:
        out += b"--" + boundary.encode() + b"\r\n" + p + b"\r\n"
    return out + b"--" + boundary.encode() + b"--\r\n"


def test_multipart_parts_in_order_with_duplicates_and_binary_file():
    blob = bytes(range(256)) + b"\r\n-XyZ\r\n--Xy\r\n--XyZ"[:-1]
    body = _multipart(
        b'Content-Disposition: form-data; name="a"\r\n\r\nfirst',
        b'Content-Disposition: form-data; name="f"; filename="x.bin"\r\nContent-Type: application/octet-stream\r\n\r\n'
        + blob,
        b'Content-Disposition: form-data; name="a"\r\n\r\nsecond',
    )
    parts = parse_multipart(body, f'multipart/form-data; boundary="{BOUNDARY}"')
    assert [(p.name, p.filename) for p in parts] == [("a", None), ("f", "x.bin"), ("a", None)]
    assert parts[1].data == blob
    assert parts[1].content_type == "application/octet-stream"
    assert parts[2].text() == "second"
    assert parts[1].summary()["sha256"] == hashlib.sha256(blob).hexdigest()
    assert "value" not in parts[1].summary() and parts[0].summary()["value"] == "first"


def test_multipart_preamble_epilogue_padding_and_empty_part():
    body = (
        b"preamble text\r\n--XyZ  \r\n"
        b'Content-Disposition: form-data; name="empty"\r\n\r\n'
        b"\r\n--XyZ--\r\nepilogue"
    )
    parts = parse_multipart(body, "multipart/form-data; boundary=XyZ")
    assert [(p.name, p.data) for p in parts] == [("empty", b"")]


def test_multipart_quoted_and_escaped_names():
    body = _multipart(
        b'Content-Disposition: form-data; name="a\\"b%22c"; filename="semi;colon.txt"\r\n\r\nv'
    )
    (part,) = parse_multipart(body, "multipart/form-data; boundary=XyZ")
    assert part.name == 'a"b"c' and part.filename == "semi;colon.txt"


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"no boundary here",
        b"--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nunterminated",
        b"--XyZ\r\nContent-Disposition: form-data; name=a",
        b"--XyZgarbage\r\n\r\n\r\n--XyZ--",
        b"--XyZ\r\nbad header line\r\n\r\nv\r\n--XyZ--",
    ],
)
def test_multipart_malformed_bodies_are_refused(body):
    with pytest.raises(MultipartError):
        parse_multipart(body, "multipart/form-data; boundary=XyZ")


def test_multipart_needs_a_boundary():
    with pytest.raises(MultipartError):
        parse_multipart(b"", "multipart/form-data")


# The model refuses quotes and line breaks in part names (browsers would escape them).
# A name holding "%22", "%0D" or "%0A" as text cannot round-trip: browsers (and
# reqlab.body) write a quote or line break that way, so readers decode them.
_name = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters='"\r\n'), max_size=12
).filter(lambda n: not any(e in n.upper() for e in ("%22", "%0D", "%0A")))


@settings(max_examples=60)
@given(
    st.lists(
        st.one_of(
            st.builds(MultipartField, name=_name, value=_name),
            st.builds(
                MultipartFile,
                name=_name,
                filename=_name,
                content_type=st.sampled_from([None, "text/plain", "image/png"]),
                data=st.binary(max_size=64),
            ),
        ),
        max_size=6,
    )
)
def test_multipart_round_trips_reqlab_encoding(parts):
    boundary = "----reqlabTEST0123456789"
    data = multipart_bytes(MultipartBody(parts=tuple(parts)), boundary)
    got = parse_multipart(data, f"multipart/form-data; boundary={boundary}")
    assert len(got) == len(parts)
    for sent, part in zip(parts, got, strict=True):
        assert part.name == sent.name
        if isinstance(sent, MultipartFile):
            assert part.filename == sent.filename
            assert part.data == sent.data
            assert part.content_type == (sent.content_type or "application/octet-stream")
        else:
            assert part.filename is None and part.text() == sent.value
