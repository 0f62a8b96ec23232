"""HAR documents shaped like Chrome, Firefox, httpsnippet/Postman and Insomnia
exports; reqlab's own HAR; and broken input."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings

from reqlab.errors import FormatError
from reqlab.formats import detect, read, write
from reqlab.model import (
    BasicAuth,
    BytesBody,
    FormBody,
    MultipartBody,
    MultipartField,
    MultipartFile,
    Request,
    TextBody,
)

from .strategies import requests

RESPONSE = {
    "status": 200,
    "statusText": "",
    "httpVersion": "http/2.0",
    "headers": [],
    "cookies": [],
    "content": {"size": 0, "mimeType": "application/json"},
    "redirectURL": "",
    "headersSize": -1,
    "bodySize": -1,
}


def entry(request: dict, **extra) -> dict:
    return {
        "startedDateTime": "2023-10-01T12:00:00.000Z",
        "time": 120.5,
        "request": request,
        "response": RESPONSE,
        "cache": {},
        "timings": {"send": 1, "wait": 100, "receive": 19.5},
        **extra,
    }


CHROME = {
    "log": {
        "version": "1.2",
        "creator": {"name": "WebInspector", "version": "537.36"},
        "pages": [{"id": "page_1", "title": "https://app.example.com/"}],
        "entries": [
            entry(
                {
                    "method": "POST",
                    "url": "https://api.example.com/v1/items?x=1&x=2",
                    "httpVersion": "http/2.0",
                    "headers": [
                        {"name": ":authority", "value": "api.example.com"},
                        {"name": ":method", "value": "POST"},
                        {"name": ":path", "value": "/v1/items?x=1&x=2"},
                        {"name": ":scheme", "value": "https"},
                        {"name": "accept", "value": "*/*"},
                        {"name": "content-type", "value": "application/json"},
                        {"name": "cookie", "value": "a=1; b=2"},
                    ],
                    "queryString": [{"name": "x", "value": "1"}, {"name": "x", "value": "2"}],
                    "cookies": [
                        {"name": "a", "value": "1", "path": "/", "httpOnly": False},
                        {"name": "b", "value": "2", "path": "/", "secure": True},
                    ],
                    "headersSize": -1,
                    "bodySize": 12,
                    "postData": {"mimeType": "application/json", "text": '{"name":"x"}'},
                },
                _initiator={"type": "script"},
                _priority="High",
                _resourceType="fetch",
                pageref="page_1",
            ),
            entry(
                {
                    "method": "GET",
                    "url": "https://cdn.example.com/app.js",
                    "httpVersion": "h3",
                    "headers": [{"name": "accept", "value": "*/*"}],
                    "queryString": [],
                    "cookies": [],
                    "headersSize": -1,
                    "bodySize": 0,
                }
            ),
        ],
    }
}

FIREFOX = {
    "log": {
        "version": "1.2",
        "creator": {"name": "Firefox", "version": "118.0"},
        "browser": {"name": "Firefox", "version": "118.0"},
        "entries": [
            entry(
                {
                    "bodySize": 24,
                    "method": "POST",
                    "url": "https://example.com/login",
                    "httpVersion": "HTTP/1.1",
                    "headers": [
                        {"name": "Host", "value": "example.com"},
                        {"name": "User-Agent", "value": "Mozilla/5.0 Firefox/118.0"},
                        {"name": "Content-Type", "value": "application/x-www-form-urlencoded"},
                        {"name": "Content-Length", "value": "24"},
                    ],
                    "cookies": [],
                    "queryString": [],
                    "headersSize": 400,
                    "postData": {
                        "mimeType": "application/x-www-form-urlencoded",
                        "params": [
                            {"name": "user", "value": "alice"},
                            {"name": "pass", "value": "s3cr!t"},
                        ],
                        "text": "user=alice&pass=s3cr%21t",
                    },
                }
            )
        ],
    }
}

# httpsnippet's request object (what Postman's and Insomnia's code generators take)
SNIPPET_REQUEST = {
    "method": "POST",
    "url": "http://mockbin.com/har",
    "httpVersion": "HTTP/1.1",
    "queryString": [{"name": "foo", "value": "bar"}, {"name": "foo", "value": "baz"}],
    "headers": [{"name": "content-type", "value": "application/x-www-form-urlencoded"}],
    "cookies": [{"name": "foo", "value": "bar"}, {"name": "bar", "value": "baz"}],
    "postData": {
        "mimeType": "application/x-www-form-urlencoded",
        "params": [{"name": "foo", "value": "bar"}, {"name": "hello", "value": "world"}],
    },
}

INSOMNIA = {
    "log": {
        "version": "1.2",
        "creator": {"name": "Insomnia REST Client", "version": "insomnia.desktop.app:v2023.5.8"},
        "entries": [
            {
                "startedDateTime": "2023-10-01T12:00:00.000Z",
                "time": 0,
                "request": {
                    "method": "POST",
                    "url": "https://api.example.com/upload",
                    "httpVersion": "HTTP/1.1",
                    "cookies": [],
                    "headers": [{"name": "Content-Type", "value": "multipart/form-data"}],
                    "queryString": [],
                    "postData": {
                        "mimeType": "multipart/form-data",
                        "text": "",
                        "params": [
                            {
                                "name": "file",
                                "fileName": "/home/me/photo.png",
                                "contentType": "image/png",
                            },
                            {"name": "title", "value": "Holiday"},
                        ],
                    },
                    "headersSize": -1,
                    "bodySize": -1,
                    "settingEncodeUrl": True,
                },
                "response": RESPONSE,
                "cache": {},
                "timings": {},
                "comment": "Upload",
            }
        ],
    }
}


def test_chrome_export_first_entry():
    parsed = read(json.dumps(CHROME, indent=2))
    assert parsed.fmt == "har"
    assert parsed.request == Request(
        "POST",
        "https://api.example.com/v1/items?x=1&x=2",
        headers=(("accept", "*/*"), ("content-type", "application/json"), ("cookie", "a=1; b=2")),
        body=TextBody('{"name":"x"}'),
        version="HTTP/2",
    )
    assert parsed.warnings == [
        "dropped HTTP/2 pseudo-headers :authority, :method, :path, :scheme (the URL holds them)"
    ]


def test_chrome_export_chosen_entry_over_http3():
    parsed = read(json.dumps(CHROME), index=1)
    assert parsed.request == Request(
        "GET", "https://cdn.example.com/app.js", headers=(("accept", "*/*"),)
    )
    assert parsed.warnings == ["httpVersion 'h3' is not supported; the client will choose"]


def test_firefox_export_keeps_the_text_exactly():
    parsed = read(json.dumps(FIREFOX))
    assert parsed.request == Request(
        "POST",
        "https://example.com/login",
        headers=(
            ("Host", "example.com"),
            ("User-Agent", "Mozilla/5.0 Firefox/118.0"),
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Content-Length", "24"),
        ),
        body=TextBody("user=alice&pass=s3cr%21t"),
        version="HTTP/1.1",
    )


def test_httpsnippet_request_object_with_params_cookies_and_query():
    parsed = read(json.dumps(SNIPPET_REQUEST))
    assert parsed.request == Request(
        "POST",
        "http://mockbin.com/har?foo=bar&foo=baz",
        headers=(
            ("content-type", "application/x-www-form-urlencoded"),
            ("Cookie", "foo=bar; bar=baz"),
        ),
        body=FormBody((("foo", "bar"), ("hello", "world"))),
        version="HTTP/1.1",
    )


def test_insomnia_multipart_file_named_by_its_path():
    parsed = read(json.dumps(INSOMNIA))
    assert parsed.request == Request(
        "POST",
        "https://api.example.com/upload",
        headers=(("Content-Type", "multipart/form-data"),),
        body=MultipartBody(
            (
                MultipartFile("file", "photo.png", "image/png", path="/home/me/photo.png"),
                MultipartField("title", "Holiday"),
            )
        ),
        version="HTTP/1.1",
    )
    assert "file '/home/me/photo.png' is read when the request is sent" in parsed.warnings[0]


def test_an_entry_alone_and_base64_post_data():
    doc = entry(
        {
            "method": "PUT",
            "url": "http://h.test/blob",
            "httpVersion": "",
            "headers": [],
            "postData": {
                "mimeType": "application/octet-stream",
                "text": "AP8=",
                "encoding": "base64",
            },
        }
    )
    parsed = read(json.dumps(doc))
    assert parsed.request == Request(
        "PUT",
        "http://h.test/blob",
        headers=(("Content-Type", "application/octet-stream"),),
        body=BytesBody(data=b"\x00\xff"),
    )


def test_reqlab_har_is_a_log_that_carries_auth_for_other_tools():
    request = Request("GET", "http://h.test/?a=1", auth=BasicAuth("u", "p"))
    doc = json.loads(write(request, "har"))
    har_request = doc["log"]["entries"][0]["request"]
    assert har_request["headers"] == [{"name": "Authorization", "value": "Basic dTpw"}]
    assert har_request["queryString"] == [{"name": "a", "value": "1"}]
    assert read(json.dumps(doc)).request == request


def test_detects_har_with_leading_whitespace_and_bom():
    assert detect("\ufeff\n  " + json.dumps(SNIPPET_REQUEST)) == "har"
    assert read("\ufeff" + json.dumps(SNIPPET_REQUEST)).fmt == "har"


TRUNCATED = json.dumps(CHROME, indent=2).split('"entries": [')[0] + '"entries": ['


@pytest.mark.parametrize(
    "text, position, expected",
    [
        (
            TRUNCATED,
            f"line {TRUNCATED.count(chr(10)) + 1}, column 17",
            "valid JSON (Expecting value",
        ),
        ('{"log": {"entries": [\n  {"request": }', "line 2, column 15", "valid JSON"),
        ("[1, 2]", "top level", "a HAR log, an entry, or a request object"),
        ('{"info": {}, "item": []}', "top level", "this is a Postman collection"),
        ('{"log": {"entries": []}}', "log.entries", "an entry at index 0 (the log has 0)"),
        ('{"log": {}}', "log.entries", "a value (the field is missing)"),
        ('{"request": {"method": "GET"}}', "request.url", "a value (the field is missing)"),
        (
            '{"method": "GET", "url": "http://h/", "headers": {"a": 1}}',
            "request.headers",
            "an array",
        ),
        ('{"method": 1, "url": "http://h/"}', "request.method", "a string"),
        (
            '{"method": "GET", "url": "http://h/", "headers": [{"name": "X", "value": "a\\r\\nb"}]}',
            "request",
            "must not contain CR, LF or NUL",
        ),
        ('{"method": "G ET", "url": "http://h/"}', "request", "not a valid method token"),
        ('{"method": "GET", "url": "h/"}', "request", "needs an http:// or https:// scheme"),
    ],
)
def test_broken_har_names_the_position(text, position, expected):
    with pytest.raises(FormatError) as info:
        read(text, "har")
    assert info.value.fmt == "har"
    assert info.value.position == position
    assert expected in info.value.expected


def test_index_out_of_range():
    with pytest.raises(FormatError, match="an entry at index 5 \\(the log has 2\\)"):
        read(json.dumps(CHROME), index=5)


REQUIRED = {
    "log": {"version", "creator", "entries"},
    "entry": {"startedDateTime", "time", "request", "response", "cache", "timings"},
    "request": {
        "method", "url", "httpVersion", "cookies", "headers", "queryString", "headersSize",
        "bodySize",
    },
    "response": {
        "status", "statusText", "httpVersion", "cookies", "headers", "content", "redirectURL",
        "headersSize", "bodySize",
    },
    "timings": {"send", "wait", "receive"},
}  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(requests())
def test_written_har_has_every_field_har_1_2_requires(request):
    log = json.loads(write(request, "har"))["log"]
    assert REQUIRED["log"] <= log.keys() and log["version"] == "1.2"
    (entry,) = log["entries"]
    assert REQUIRED["entry"] <= entry.keys()
    for part in ("request", "response", "timings"):
        assert REQUIRED[part] <= entry[part].keys()
    post = entry["request"].get("postData")
    if post is not None:
        assert "mimeType" in post and ("text" in post or "params" in post)
    for pair in entry["request"]["headers"] + entry["request"]["queryString"]:
        assert set(pair) == {"name", "value"} and all(isinstance(v, str) for v in pair.values())
