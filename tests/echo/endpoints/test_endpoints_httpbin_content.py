"""httpbin cookies, response formats, compression and caching endpoints."""

from __future__ import annotations

import gzip
import json
import zlib

import brotli
import pytest
from endpoint_kit import body_of, header, headers_named, json_of, send


def test_cookies_listed_and_env_cookies_hidden():
    r = send("GET", "/cookies", [("Cookie", 'a=1; b="two"; __utma=x'), ("Cookie", "a=dup; c=3")])
    assert json_of(r) == {"cookies": {"a": "1", "b": "two", "c": "3"}}
    assert json_of(send("GET", "/cookies?show_env", [("Cookie", "__utma=x")]))["cookies"] == {
        "__utma": "x"
    }
    assert json_of(send("GET", "/cookies")) == {"cookies": {}}


def test_cookies_set_by_query_and_path():
    r = send("GET", "/cookies/set?k1=v1&k2=v2&k1=ignored")
    assert r.status == 302 and header(r, "location") == "/cookies"
    assert headers_named(r, "set-cookie") == ["k1=v1; Path=/", "k2=v2; Path=/"]
    r = send("GET", "/cookies/set/name/val")
    assert headers_named(r, "set-cookie") == ["name=val; Path=/"]


def test_cookies_secure_over_https():
    from reqlab.echo._types import TLSInfo

    r = send("GET", "/cookies/set/a/b", tls=TLSInfo("TLSv1.3", "x", None, None))
    assert headers_named(r, "set-cookie") == ["a=b; Secure; Path=/"]


def test_cookies_delete():
    r = send("GET", "/cookies/delete?a&b=")
    assert r.status == 302
    assert headers_named(r, "set-cookie") == [
        "a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/",
        "b=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/",
    ]


@pytest.mark.parametrize(
    "path", ["/cookies/set?a%3Bb=1", "/cookies/set?a=x%0D%0Ay", "/cookies/set/a/b%3Bc"]
)
def test_cookie_injection_refused(path):
    assert send("GET", path).status == 400


@pytest.mark.parametrize(
    ("path", "coding", "flag", "decode"),
    [
        ("/gzip", "gzip", "gzipped", gzip.decompress),
        ("/deflate", "deflate", "deflated", zlib.decompress),
        ("/brotli", "br", "brotli", brotli.decompress),
    ],
)
def test_compressed(path, coding, flag, decode):
    r = send("GET", path, [("Accept-Encoding", "gzip, deflate, br")])
    assert header(r, "content-encoding") == coding
    d = json.loads(decode(body_of(r)))
    assert d[flag] is True and d["method"] == "GET"
    assert d["headers"]["Accept-Encoding"] == "gzip, deflate, br" and d["origin"] == "127.0.0.1"


@pytest.mark.parametrize(
    ("path", "ctype", "needle"),
    [
        ("/html", "text/html", b"Herman Melville - Moby-Dick"),
        ("/xml", "application/xml", b"<slideshow"),
        ("/robots.txt", "text/plain", b"Disallow: /deny"),
        ("/deny", "text/plain", b"YOU SHOULDN'T BE HERE"),
        ("/encoding/utf8", "text/html", "∮ E⋅da = Q/ε₀".encode()),
    ],
)
def test_documents(path, ctype, needle):
    r = send("GET", path)
    assert r.status == 200 and header(r, "content-type").startswith(ctype)
    assert needle in body_of(r)


def test_json_document():
    d = json_of(send("GET", "/json"))
    assert d["slideshow"]["title"] == "Sample Slide Show"
    assert len(d["slideshow"]["slides"]) == 2


def test_base64():
    assert body_of(send("GET", "/base64/SFRUUEJJTiBpcyBhd2Vzb21l")) == b"HTTPBIN is awesome"
    assert body_of(send("GET", "/base64/aGk")) == b"hi"  # missing padding is tolerated
    assert body_of(send("GET", "/base64/w7w_Pn4=")) == "ü?>~".encode()  # URL-safe alphabet
    assert b"Incorrect Base64 data" in body_of(send("GET", "/base64/_-8"))  # not UTF-8
    assert b"Incorrect Base64 data" in body_of(send("GET", "/base64/%FF%FE"))


def test_links():
    r = send("GET", "/links/3")
    assert r.status == 302 and header(r, "location") == "/links/3/0"
    page = body_of(send("GET", "/links/3/1")).decode()
    assert page == (
        "<html><head><title>Links</title></head><body>"
        "<a href='/links/3/0'>0</a> 1 <a href='/links/3/2'>2</a> </body></html>"
    )
    assert body_of(send("GET", "/links/100000/0")).count(b"<a ") == 199  # capped at 200 links


def test_cache():
    r = send("GET", "/cache")
    assert r.status == 200 and header(r, "etag") and header(r, "last-modified").endswith("GMT")
    assert "url" in json_of(r)
    assert (
        send("GET", "/cache", [("If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT")]).status
        == 304
    )
    assert send("GET", "/cache", [("If-None-Match", "x")]).status == 304
    assert header(send("GET", "/cache/60"), "cache-control") == "public, max-age=60"


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ([], 200),
        ([("If-None-Match", '"abc"')], 304),
        ([("If-None-Match", 'W/"abc", "zzz"')], 304),
        ([("If-None-Match", "*")], 304),
        ([("If-None-Match", '"other"')], 200),
        ([("If-Match", '"abc"')], 200),
        ([("If-Match", '"other"')], 412),
        ([("If-Match", "*")], 200),
    ],
)
def test_etag(headers, status):
    r = send("GET", "/etag/abc", headers)
    assert r.status == status
    if status != 412:
        assert header(r, "etag") == "abc"


def test_response_headers_reports_itself_exactly():
    r = send("GET", "/response-headers?X-One=1&X-Two=a&X-Two=b&freeform=hello")
    assert r.status == 200
    assert headers_named(r, "x-two") == ["a", "b"] and header(r, "freeform") == "hello"
    body = body_of(r)
    d = json.loads(body)
    assert d["X-Two"] == ["a", "b"] and d["Content-Type"] == "application/json"
    assert d["Content-Length"] == str(len(body))


def test_response_headers_custom_content_type_and_reserved_names():
    r = send("POST", "/response-headers?Content-Type=text/plain&Content-Length=1&Connection=close")
    assert header(r, "content-type") == "text/plain"
    assert header(r, "content-length") is None and header(r, "connection") is None


@pytest.mark.parametrize("query", ["X-A=a%0D%0Ab", "bad%20name=1", "X-A=%00"])
def test_response_headers_injection_refused(query):
    assert send("GET", f"/response-headers?{query}").status == 400
