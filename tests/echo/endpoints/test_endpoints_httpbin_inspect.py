"""httpbin request inspection: /get /post /put /patch /delete /anything /headers /ip
/user-agent /uuid /delay, plus routing rules (404, 405 + Allow, OPTIONS, CORS)."""

from __future__ import annotations

import time
import uuid

import pytest
from endpoint_kit import assert_no_framing, header, json_of, send

from reqlab.echo.endpoints._router import match


def test_get_shape():
    r = send(
        "GET",
        "/get?a=1&b=2&a=3",
        [("User-Agent", "ua/1"), ("x-lower", "v"), ("X-Dup", "1"), ("X-Dup", "2")],
    )
    assert r.status == 200 and header(r, "content-type") == "application/json"
    assert_no_framing(r)
    d = json_of(r)
    assert set(d) == {"args", "headers", "origin", "url"}
    assert d["args"] == {"a": ["1", "3"], "b": "2"}
    assert d["headers"] == {
        "Host": "127.0.0.1:8081",
        "User-Agent": "ua/1",
        "X-Lower": "v",
        "X-Dup": "1,2",
    }
    assert d["origin"] == "127.0.0.1"
    assert d["url"] == "http://127.0.0.1:8081/get?a=1&b=2&a=3"


def test_env_headers_hidden_unless_show_env():
    hdrs = [("X-Forwarded-For", "10.1.2.3"), ("Via", "proxy")]
    d = json_of(send("GET", "/get", hdrs))
    assert d["origin"] == "10.1.2.3"
    assert "X-Forwarded-For" not in d["headers"] and "Via" not in d["headers"]
    assert json_of(send("GET", "/get?show_env=1", hdrs))["headers"]["Via"] == "proxy"


def test_forwarded_proto_changes_url():
    d = json_of(send("GET", "/get", [("X-Forwarded-Proto", "https")]))
    assert d["url"] == "https://127.0.0.1:8081/get"


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_body_methods_json(method):
    r = send(
        method,
        f"/{method.lower()}?q=1",
        [("Content-Type", "application/json")],
        b'{"k": [1, "two"]}',
    )
    d = json_of(r)
    assert set(d) == {"args", "data", "files", "form", "headers", "json", "origin", "url"}
    assert d["json"] == {"k": [1, "two"]} and d["data"] == '{"k": [1, "two"]}'
    assert d["form"] == {} and d["files"] == {} and d["args"] == {"q": "1"}


def test_post_form_and_files_like_werkzeug():
    body = (
        b'--B\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n'
        b'--B\r\nContent-Disposition: form-data; name="a"\r\n\r\n2\r\n'
        b'--B\r\nContent-Disposition: form-data; name="t"; filename="t.txt"\r\n\r\nhello\r\n'
        b'--B\r\nContent-Disposition: form-data; name="b"; filename="b.bin"\r\nContent-Type: image/png\r\n\r\n\xff\x00\r\n'
        b"--B--\r\n"
    )
    d = json_of(send("POST", "/post", [("Content-Type", "multipart/form-data; boundary=B")], body))
    assert d["form"] == {"a": ["1", "2"]}
    assert d["files"] == {"t": "hello", "b": "data:image/png;base64,/wA="}
    assert d["data"] == "" and d["json"] is None


def test_post_urlencoded_and_binary_data():
    d = json_of(
        send(
            "POST", "/post", [("Content-Type", "application/x-www-form-urlencoded")], b"x=1+2&y=%26"
        )
    )
    assert d["form"] == {"x": "1 2", "y": "&"} and d["data"] == ""
    d = json_of(send("POST", "/post", [("Content-Type", "application/octet-stream")], b"\xff\xfe"))
    assert d["data"] == "data:application/octet-stream;base64,//4="


@pytest.mark.parametrize("path", ["/anything", "/anything/x/y%20z"])
@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE", "PATCH", "TRACE"])
def test_anything(method, path):
    d = json_of(send(method, path + "?a=b", [("Content-Type", "text/plain")], b"body"))
    assert d["method"] == method and d["data"] == "body" and d["args"] == {"a": "b"}
    assert d["url"].endswith(path + "?a=b")


def test_headers_ip_user_agent_uuid():
    assert json_of(send("GET", "/headers", [("X-A", "1")]))["headers"]["X-A"] == "1"
    assert json_of(send("GET", "/ip", client="[::1]:4000"))["origin"] == "::1"
    assert json_of(send("GET", "/ip", client="10.0.0.9:4000"))["origin"] == "10.0.0.9"
    assert json_of(send("GET", "/user-agent", [("User-Agent", "me/2")])) == {"user-agent": "me/2"}
    assert json_of(send("GET", "/user-agent")) == {"user-agent": None}
    u1, u2 = (json_of(send("GET", "/uuid"))["uuid"] for _ in range(2))
    assert uuid.UUID(u1).version == 4 and u1 != u2


def test_http2_host_comes_from_authority():
    d = json_of(send("GET", "/headers", [("user-agent", "h2")], http_version="HTTP/2"))
    assert d["headers"] == {"Host": "127.0.0.1:8081", "User-Agent": "h2"}


def test_delay_waits_and_is_capped():
    t0 = time.monotonic()
    d = json_of(send("GET", "/delay/0.2?x=1"))
    assert 0.18 <= time.monotonic() - t0 < 2
    assert d["args"] == {"x": "1"} and "files" in d
    assert send("GET", "/delay/abc").status == 400
    t0 = time.monotonic()
    assert send("GET", "/delay/-5").status == 200
    assert time.monotonic() - t0 < 1


def test_unknown_path_is_404_json():
    r = send("GET", "/nope")
    assert r.status == 404 and header(r, "content-type") == "application/json"
    assert json_of(r)["status"] == 404


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("POST", "/get", "GET, HEAD, OPTIONS"),
        ("GET", "/post", "OPTIONS, POST"),
        ("DELETE", "/put", "OPTIONS, PUT"),
        ("PUT", "/headers", "GET, HEAD, OPTIONS"),
        ("DELETE", "/response-headers", "GET, HEAD, OPTIONS, POST"),
        ("PROPFIND", "/anything", "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT, TRACE"),
    ],
)
def test_wrong_method_is_405_with_allow(method, path, allow):
    r = send(method, path)
    assert r.status == 405 and header(r, "allow") == allow


def test_head_allowed_where_get_is():
    assert send("HEAD", "/get").status == 200


def test_options_preflight_and_cors_headers():
    r = send(
        "OPTIONS", "/post", [("Origin", "http://a.test"), ("Access-Control-Request-Headers", "X-Y")]
    )
    assert r.status == 200 and header(r, "allow") == "OPTIONS, POST"
    assert header(r, "access-control-allow-origin") == "http://a.test"
    assert header(r, "access-control-allow-headers") == "X-Y"
    assert header(r, "access-control-max-age") == "3600"
    plain = send("GET", "/get")
    assert header(plain, "access-control-allow-origin") == "*"
    assert header(plain, "access-control-allow-credentials") == "true"


def test_router_converters():
    assert match("/status/abc") is not None
    assert match("/bytes/abc") is None  # int converter
    found = match("/bytes/12")
    assert found is not None and found[1] == {"n": 12}
    assert match("/anything/a/b/c")[1] == {"anything": "a/b/c"}


def test_percent_encoded_path_parameters_are_decoded():
    r = send("GET", "/basic-auth/us%20er/pw", [("Authorization", "Basic dXMgZXI6cHc=")])
    assert json_of(r) == {"authenticated": True, "user": "us er"}


def test_a_failing_endpoint_costs_one_500_not_the_connection(monkeypatch):
    from reqlab.echo.endpoints import INTERNAL_ERROR, _router

    route, _ = _router.match("/uuid")

    async def broken(view):
        raise RuntimeError("bug")

    monkeypatch.setitem(
        _router._fixed,
        "/uuid",
        _router.Route(route.pattern, None, frozenset(), route.methods, broken),
    )
    r = send("GET", "/uuid")
    assert r.status == 500 and json_of(r)["error"] == INTERNAL_ERROR
