"""JSON <-> model requests, and what the page is shown of a body."""

from __future__ import annotations

import base64

import pytest

from reqlab.errors import InvalidRequest
from reqlab.model import (
    BasicAuth,
    BearerAuth,
    BytesBody,
    DigestAuth,
    FormBody,
    JsonBody,
    MultipartBody,
    MultipartField,
    MultipartFile,
    Options,
    Request,
    TextBody,
)
from reqlab.web.serialize import request_from_json, request_to_json
from reqlab.web.view import body_kind, body_view

REQUESTS = [
    Request(url="http://a.example/"),
    Request(
        method="PATCH",
        url="https://a.example/x?y=1",
        headers=(("X-A", "1"), ("x-a", "2")),
        body=JsonBody({"k": [1, None, "é"]}),
        auth=BasicAuth("u", "p"),
        version="HTTP/2",
        options=Options(timeout=5, follow_redirects=True, verify=False, keep_alive=False),
    ),
    Request(url="http://a/", body=FormBody((("a", "1"), ("a", "2"))), auth=BearerAuth("t")),
    Request(url="http://a/", body=TextBody("hi\n"), auth=DigestAuth("u", "p"), version="HTTP/1.0"),
    Request(url="http://a/", body=BytesBody(data=b"\x00\xff")),
    Request(
        url="http://a/",
        body=MultipartBody(
            (MultipartField("f", "v"), MultipartFile("up", "a.bin", "application/x", data=b"\x01")),
            boundary="b0",
        ),
    ),
]


@pytest.mark.parametrize("request_", REQUESTS)
def test_round_trip(request_: Request) -> None:
    assert request_from_json(request_to_json(request_)) == request_


def test_json_body_from_source_text() -> None:
    r = request_from_json({"url": "http://a/", "body": {"kind": "json", "text": '{"a": [1]}'}})
    assert r.body == JsonBody({"a": [1]})


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"url": "http://a/", "body": {"kind": "yaml"}}, "body.kind"),
        ({"url": "http://a/", "body": {"kind": "bytes", "data_base64": "!!"}}, "body.data_base64"),
        (
            {
                "url": "http://a/",
                "body": {
                    "kind": "multipart",
                    "parts": [{"name": "f", "filename": "x", "path": "/etc/passwd"}],
                },
            },
            "body.parts[0].path",
        ),
        ({"url": "http://a/", "headers": [["a"]]}, "headers[0]"),
        ({"url": "http://a/", "auth": {"scheme": "ntlm"}}, "auth.scheme"),
        ({"url": "http://a/", "options": {"verify": "yes"}}, "options.verify"),
        ({"url": "http://a/", "options": {"timeout": True}}, "options.timeout"),
        ({"url": "http://a/", "options": {"proxy": "x"}}, "options.proxy"),
        ({"url": ""}, "url"),
        ([], "request"),
    ],
)
def test_refusals_name_the_field(data: object, field: str) -> None:
    with pytest.raises(InvalidRequest) as info:
        request_from_json(data)
    assert info.value.field == field


def test_file_paths_are_shown_but_never_read() -> None:
    r = Request(url="http://a/", body=BytesBody(path="/etc/passwd"))
    data = request_to_json(r)
    assert data["body"] == {"kind": "bytes", "path": "/etc/passwd"}
    with pytest.raises(InvalidRequest):
        request_from_json(data)


@pytest.mark.parametrize(
    ("ctype", "head", "kind"),
    [
        ("application/json; charset=utf-8", b"{}", "json"),
        ("application/problem+json", b"{}", "json"),
        ("text/html", b"<p>", "html"),
        ("image/svg+xml", b"<svg/>", "image"),
        ("application/atom+xml", b"<feed/>", "xml"),
        ("text/plain", b"hello", "text"),
        ("", b"  [1, 2]", "json"),
        ("", b"<!DOCTYPE html><html>", "html"),
        ("application/octet-stream", b"\x00\x01\x02", "binary"),
        ("", "é".encode() * 10, "text"),
    ],
)
def test_body_kind(ctype: str, head: bytes, kind: str) -> None:
    assert body_kind(ctype, head) == kind


def test_body_view_caps_text_and_binary() -> None:
    text = body_view(b"x" * 100, 1000, "text/plain", 100, "/d")
    assert text["truncated"] and text["shown"] == 100 and text["text"] == "x" * 100
    small_image = body_view(b"\x89PNG", 4, "image/png", 100, "/d")
    assert base64.b64decode(small_image["base64"]) == b"\x89PNG" and not small_image["truncated"]
    big_image = body_view(b"\x89PNG", 1000, "image/png", 4, "/d")
    assert big_image["base64"] == "" and big_image["truncated"]
