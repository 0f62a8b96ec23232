"""/echo (JSON reflection), /echo/raw and the ReqBin fixed answers, via handle()."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from endpoint_kit import assert_no_framing, body_of, call, header, json_of, make_request, send
from hypothesis import given, settings
from hypothesis import strategies as st

from reqlab.echo._types import TLSInfo

DOCUMENTED_KEYS = [
    "method",
    "target",
    "path",
    "query",
    "http_version",
    "headers",
    "body",
    "body_encoding",
    "json",
    "form",
    "files",
    "raw_head",
    "connection",
    "keep_alive",
]


def test_reflection_shape_and_exact_headers():
    headers = [("X-Case", "MiXeD"), ("accept", "*/*"), ("X-Dup", "1"), ("x-dup", "2")]
    r = send("GET", "/echo/a%20b?x=1&y=two+words&x=3", headers=headers)
    assert r.status == 200 and header(r, "content-type") == "application/json"
    assert_no_framing(r)
    d = json_of(r)
    assert all(k in d for k in DOCUMENTED_KEYS)
    assert d["method"] == "GET"
    assert d["target"] == "/echo/a%20b?x=1&y=two+words&x=3"
    assert d["path"] == "/echo/a%20b"
    assert d["query"] == [["x", "1"], ["y", "two words"], ["x", "3"]]
    assert d["http_version"] == "HTTP/1.1"
    assert d["headers"] == [["Host", "127.0.0.1:8081"]] + [list(h) for h in headers]
    assert d["body"] == "" and d["body_encoding"] == "utf-8"
    assert d["json"] is None and d["form"] is None and d["files"] is None
    assert d["raw_head"].startswith("GET /echo/a%20b?x=1&y=two+words&x=3 HTTP/1.1\r\nHost:")
    assert "X-Dup: 1\r\nx-dup: 2\r\n" in d["raw_head"]
    assert d["connection"] == {
        "id": 7,
        "request_number": 1,
        "client": "127.0.0.1:54321",
        "tls": None,
    }
    assert d["keep_alive"] == {"persistent": True, "timeout": 5.0, "remaining": 99}


@pytest.mark.parametrize(
    "method", ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND", "HEAD"]
)
def test_any_method_is_reflected(method):
    d = json_of(send(method, "/echo/deep/path"))
    assert d["method"] == method


def test_raw_head_is_reflected_byte_for_byte():
    raw = b"GET /echo HTTP/1.1\r\nHost: x\r\nX-Weird:   spaced  \r\n\r\n"
    d = json_of(
        call(make_request("GET", "/echo", [("Host", "x"), ("X-Weird", "spaced")], raw_head=raw))
    )
    assert d["raw_head"] == raw.decode()


def test_json_body_is_parsed():
    d = json_of(
        send("POST", "/echo", [("Content-Type", "application/json")], b'{"a": [1, 2.5, null]}')
    )
    assert d["json"] == {"a": [1, 2.5, None]}
    assert d["body"] == '{"a": [1, 2.5, null]}'


def test_invalid_json_and_text_bodies_give_null_json():
    d = json_of(send("POST", "/echo", [("Content-Type", "application/json")], b"{nope"))
    assert d["json"] is None and d["body"] == "{nope"


def test_binary_body_is_base64():
    blob = bytes(range(256))
    d = json_of(send("POST", "/echo", [("Content-Type", "application/octet-stream")], blob))
    assert d["body_encoding"] == "base64"
    assert base64.b64decode(d["body"]) == blob


def test_urlencoded_form_in_order_with_repeats():
    body = b"a=1&b=x+y&a=%C3%A9"
    d = json_of(
        send("POST", "/echo", [("Content-Type", "application/x-www-form-urlencoded")], body)
    )
    assert d["form"] == [["a", "1"], ["b", "x y"], ["a", "é"]]
    assert d["files"] is None and d["multipart"] is None


def test_empty_urlencoded_form_is_an_empty_list():
    d = json_of(send("POST", "/echo", [("Content-Type", "application/x-www-form-urlencoded")]))
    assert d["form"] == []


def test_multipart_form_files_and_parts():
    blob = b"\x00\xffbinary\r\n"
    body = (
        b'--B\r\nContent-Disposition: form-data; name="f"\r\n\r\nv1\r\n'
        b'--B\r\nContent-Disposition: form-data; name="up"; filename="a.bin"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n" + blob + b"\r\n"
        b'--B\r\nContent-Disposition: form-data; name="f"\r\n\r\nv2\r\n--B--\r\n'
    )
    d = json_of(send("POST", "/echo", [("Content-Type", "multipart/form-data; boundary=B")], body))
    assert d["form"] == [["f", "v1"], ["f", "v2"]]
    sha = hashlib.sha256(blob).hexdigest()
    assert d["files"] == [
        {
            "name": "up",
            "filename": "a.bin",
            "content_type": "application/octet-stream",
            "size": len(blob),
            "sha256": sha,
        }
    ]
    assert [p["name"] for p in d["multipart"]] == ["f", "up", "f"]
    assert d["multipart"][0]["value"] == "v1" and "value" not in d["multipart"][1]
    assert d["body_encoding"] == "base64"  # the whole body is not UTF-8


def test_malformed_multipart_gives_null_form():
    d = json_of(
        send("POST", "/echo", [("Content-Type", "multipart/form-data; boundary=B")], b"junk")
    )
    assert d["form"] is None and d["files"] is None and d["body"] == "junk"


def test_http2_pseudo_headers_and_tls():
    tls = TLSInfo(version="TLSv1.3", cipher="TLS_AES_128_GCM_SHA256", alpn="h2", sni="localhost")
    req = make_request("GET", "/echo?q=1", [("user-agent", "t")], http_version="HTTP/2", tls=tls)
    d = json_of(call(req))
    assert d["http_version"] == "HTTP/2" and d["raw_head"] is None
    assert d["pseudo_headers"] == [
        [":method", "GET"],
        [":scheme", "https"],
        [":authority", "127.0.0.1:8081"],
        [":path", "/echo?q=1"],
    ]
    assert d["headers"] == [["user-agent", "t"]]
    assert d["connection"]["tls"] == {
        "version": "TLSv1.3",
        "cipher": "TLS_AES_128_GCM_SHA256",
        "alpn": "h2",
        "sni": "localhost",
    }


def test_http10_and_keep_alive_terms_are_reflected():
    req = make_request("GET", "/echo", http_version="HTTP/1.0")
    req.keep_alive = type(req.keep_alive)(persistent=False, timeout=5.0, remaining=0)
    d = json_of(call(req))
    assert d["http_version"] == "HTTP/1.0"
    assert d["keep_alive"] == {"persistent": False, "timeout": 5.0, "remaining": 0}


def test_absolute_form_target():
    d = json_of(send("GET", "http://example.test/echo/x?a=1"))
    assert d["target"] == "http://example.test/echo/x?a=1"
    assert d["path"] == "/echo/x" and d["query"] == [["a", "1"]]


def test_echo_raw_http1():
    raw = b"POST /echo/raw HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n"
    req = make_request(
        "POST", "/echo/raw", [("Host", "h"), ("Content-Length", "5")], b"hello", raw_head=raw
    )
    r = call(req)
    assert r.status == 200 and header(r, "content-type").startswith("text/plain")
    assert body_of(r) == raw + b"hello"


def test_echo_raw_http2_renders_pseudo_headers_first():
    req = make_request(
        "POST", "/echo/raw", [("content-type", "text/plain")], b"hi", http_version="HTTP/2"
    )
    text = body_of(call(req)).decode()
    assert text.startswith(
        ":method: POST\r\n:scheme: http\r\n:authority: 127.0.0.1:8081\r\n:path: /echo/raw\r\n"
    )
    assert text.endswith("content-type: text/plain\r\n\r\nhi")


SUCCESS_XML = (
    '<?xml version="1.0" encoding="utf-8"?><Response><ResponseCode>0</ResponseCode>'
    "<ResponseMessage>Success</ResponseMessage></Response>"
)


@pytest.mark.parametrize(
    ("method", "path", "ctype", "body"),
    [
        ("GET", "/echo/get/json", "application/json", '{"success":"true"}'),
        ("POST", "/echo/post/json", "application/json", '{"success":"true"}'),
        ("PUT", "/echo/put/json", "application/json", '{"success":"true"}'),
        ("HEAD", "/echo/head/json", "application/json", '{"success":"true"}'),
        ("GET", "/echo/get/xml", "application/xml", SUCCESS_XML),
        ("POST", "/echo/post/xml", "application/xml", SUCCESS_XML),
        ("POST", "/echo/post/form", "text/html", "<h1>Success</h1>"),
    ],
)
def test_reqbin_fixed_answers(method, path, ctype, body):
    r = send(method, path, [("Content-Type", "application/json")], b'{"login":"x"}')
    assert r.status == 200
    assert header(r, "content-type").startswith(ctype)
    assert body in body_of(r).decode()
    assert_no_framing(r)


def test_reqbin_paths_only_match_exactly():
    assert json_of(send("GET", "/echo/get/json/more"))["path"] == "/echo/get/json/more"


def test_utf8_on_the_wire_is_shown_as_utf8():
    # The connection layer hands over the wire bytes decoded as latin-1.
    def wire(text: str) -> str:
        return text.encode("utf-8").decode("latin-1")

    target = wire("/echo/é?q=ü&r=%C3%A9")
    req = make_request("GET", target, [("X-Name", wire("Zoë"))])
    req.raw_head = req.raw_head.decode("utf-8").encode("latin-1")  # the bytes as sent
    d = json_of(call(req))
    assert d["target"] == "/echo/é?q=ü&r=%C3%A9" and d["path"] == "/echo/é"
    assert d["query"] == [["q", "ü"], ["r", "é"]]
    assert ["X-Name", "Zoë"] in d["headers"]
    r = send("GET", wire("/anything/é?q=ü"), [("User-Agent", wire("agent-ü"))])
    assert json_of(r)["args"] == {"q": "ü"} and json_of(r)["headers"]["User-Agent"] == "agent-ü"


def test_latin1_bytes_that_are_not_utf8_stay_as_received():
    d = json_of(send("GET", "/echo/\xe9", [("X-Bin", "\xff")]))
    assert d["path"] == "/echo/\xe9" and ["X-Bin", "\xff"] in d["headers"]


def test_orjson_and_stdlib_serialisations_agree():
    from reqlab.echo.endpoints import _http
    from reqlab.echo.endpoints._view import RequestView
    from reqlab.echo.endpoints.reflect import reflection

    body = b'--B\r\nContent-Disposition: form-data; name="n"\r\n\r\n\xc3\xa9\r\n--B--\r\n'
    req = make_request(
        "POST", "/echo?x=1", [("Content-Type", "multipart/form-data; boundary=B")], body
    )
    doc = reflection(RequestView(req))

    assert json.loads(_http.dumps(doc)) == json.loads(_http.stdlib_dumps(doc))
    assert _http.dumps_pretty({"b": [1, 2.5, None], "a": "é"}) == _http.stdlib_dumps_pretty(
        {"b": [1, 2.5, None], "a": "é"}
    )


_ASCII_VALUE = st.text(st.sampled_from([chr(c) for c in range(32, 127)] + ["\t"]), max_size=12)


@settings(max_examples=300, deadline=None, database=None)
@given(
    st.lists(st.tuples(st.sampled_from(["X-A", "accept", 'X-Q"', "Cookie"]), _ASCII_VALUE)),
    st.sampled_from(["GET", "HEAD", "DELETE", "PROPFIND"]),
    st.sampled_from(
        ["/echo", "/echo/a%22b\\c", "http://h:1/echo/x?y", "/echo?q=1", "/echo?a=%22x%5C&b=%FF&c"]
    ),
    st.sampled_from(["HTTP/1.1", "HTTP/1.0"]),
    st.sampled_from([None, TLSInfo("TLSv1.3", "TLS_AES_128_GCM_SHA256", "http/1.1", 'h"x')]),
    st.sampled_from([5.0, 5, 0.25]),
    st.booleans(),
    st.sampled_from([b"", b"x"]),
)
def test_plain_reflection_template_is_the_dict_byte_for_byte(
    headers, method, target, version, tls, timeout, persistent, body
):
    # reflection_json's template for plain requests must give exactly what
    # dumps(reflection()) gives, whatever the strings hold (quotes,
    # backslashes, tabs), for every connection and keep-alive term.
    from dataclasses import replace

    from reqlab.echo.endpoints._http import dumps
    from reqlab.echo.endpoints._view import RequestView
    from reqlab.echo.endpoints.reflect import reflection, reflection_json

    req = make_request(method, target, headers, body, http_version=version, tls=tls)
    req.keep_alive = replace(req.keep_alive, timeout=timeout, persistent=persistent)
    view = RequestView(req)
    fast = reflection_json(view)
    assert fast == dumps(reflection(view))
    assert json.loads(fast) == json.loads(json.dumps(reflection(view)))


@settings(max_examples=300, deadline=None, database=None)
@given(
    st.lists(st.tuples(st.sampled_from(["X-A", "content-TYPE", 'X-Q"', "Host"]), _ASCII_VALUE)),
    st.sampled_from(["GET", "HEAD", "POST", "PROPFIND"]),
    st.sampled_from(
        [
            "/echo",
            "/echo?a=1&b=%22&c",
            "/echo/x/y?z",
            "/echo/raw",
            "/echo/get/json",
            "/echo%2Fraw",
            "/ech%6f",
            "/echo/%41",
            "/echox",
            "/get",
            "*",
            "http://h/echo",
        ]
    ),
    st.sampled_from(["HTTP/1.1", "HTTP/1.0"]),
    st.sampled_from([None, TLSInfo("TLSv1.3", "TLS_AES_128_GCM_SHA256", "http/1.1", "x")]),
    st.booleans(),
    st.sampled_from([b"", b"{}"]),
)
def test_plain_shortcut_answers_exactly_as_handle_sync(
    headers, method, target, version, tls, persistent, body
):
    # handle.plain answers from the connection core's Request; whenever it
    # answers, it must be handle_sync's answer, byte for byte.
    from dataclasses import replace

    from reqlab.echo.endpoints import handle_plain, handle_sync
    from reqlab.protocol.h1events import Request

    req = make_request(method, target, headers, body, http_version=version, tls=tls)
    req.keep_alive = replace(req.keep_alive, persistent=persistent)
    ka, conn = req.keep_alive, req.connection
    core = Request(
        method,
        target,
        version,
        req.headers,
        req.raw_head,
        body,
        conn.request_number,
        ka.persistent,
        ka.remaining,
        ka.timeout,
    )
    plain = handle_plain(core, conn.id, conn.client, tls)
    sync = handle_sync(req)
    if plain is None:
        # declined only for what it leaves to handle_sync: other paths, a
        # body, a Content-Type (perhaps a form), a method it does not list
        plain_case = (
            target.partition("?")[0] in ("/echo", "/echo/x/y")
            and not body
            and method != "PROPFIND"
            and not any(n.lower() == "content-type" for n, _ in req.headers)
        )
        assert not plain_case
        return
    assert sync is not None
    assert plain == (sync.status, tuple(sync.headers), sync.body)
