"""httpbin status and redirect endpoints."""

from __future__ import annotations

from collections import Counter

import pytest
from endpoint_kit import body_of, header, json_of, send


@pytest.mark.parametrize("code", [200, 201, 204, 400, 404, 418, 500, 503, 599])
@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE", "PATCH", "TRACE"])
def test_status_single(method, code):
    assert send(method, f"/status/{code}").status == code


def test_status_special_answers():
    assert header(send("GET", "/status/302"), "location") == "/redirect/1"
    assert header(send("GET", "/status/401"), "www-authenticate") == 'Basic realm="Fake Realm"'
    assert header(send("GET", "/status/407"), "proxy-authenticate") == 'Basic realm="Fake Realm"'
    assert b"teapot" in body_of(send("GET", "/status/418"))
    assert json_of(send("GET", "/status/406"))["accept"][0] == "image/webp"
    assert body_of(send("GET", "/status/304")) == b""


@pytest.mark.parametrize("codes", ["abc", "99", "100", "600", "200:x", "200,,201", "200:-1,201"])
def test_status_invalid(codes):
    r = send("GET", f"/status/{codes}")
    assert r.status == 400 and body_of(r) == b"Invalid status code"


def test_status_weighted_choice_respects_weights():
    seen = Counter(send("GET", "/status/200:0,201:1,202").status for _ in range(200))
    assert seen[200] == 0
    assert set(seen) == {201, 202}
    assert 40 < seen[201] < 160  # even odds; 200 draws put this far outside any plausible run


def test_status_zero_weights_are_refused():
    assert send("GET", "/status/200:0,201:0").status == 400


def test_redirect_chain_relative():
    r = send("GET", "/redirect/3")
    assert r.status == 302 and header(r, "location") == "/relative-redirect/2"
    assert header(send("GET", "/relative-redirect/2"), "location") == "/relative-redirect/1"
    assert header(send("GET", "/relative-redirect/1"), "location") == "/get"
    assert header(send("GET", "/redirect/1"), "location") == "/get"


def test_redirect_absolute():
    r = send("GET", "/redirect/2?absolute=true")
    assert header(r, "location") == "http://127.0.0.1:8081/absolute-redirect/1"
    assert header(send("GET", "/absolute-redirect/1"), "location") == "http://127.0.0.1:8081/get"
    assert header(send("GET", "/absolute-redirect/3"), "location").endswith("/absolute-redirect/2")


@pytest.mark.parametrize(
    "path", ["/redirect/0", "/redirect/101", "/relative-redirect/0", "/absolute-redirect/1000"]
)
def test_redirect_n_bounds(path):
    assert send("GET", path).status == 400


def test_redirect_to():
    r = send("GET", "/redirect-to?url=http%3A%2F%2Fexample.com%2Fx")
    assert r.status == 302 and header(r, "location") == "http://example.com/x"
    assert send("POST", "/redirect-to?url=/get&status_code=307").status == 307
    assert send("GET", "/redirect-to?url=/get&status_code=200").status == 302  # not a redirect code
    assert send("GET", "/redirect-to?url=/get&status_code=x").status == 400
    assert send("GET", "/redirect-to").status == 400
    assert send("GET", "/redirect-to?url=%0D%0ASet-Cookie:x=1").status == 400
