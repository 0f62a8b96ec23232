"""Side by side with real httpbin: the same request to httpbin (its Flask app under
Werkzeug's server, in a thread on 127.0.0.1) and to reqlab echo must give the same
keys and values where httpbin defines them."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest

from reqlab.echo.testing import start_echo_server

pytestmark = pytest.mark.timeout(60)

httpbin_core = pytest.importorskip("httpbin.core", reason="httpbin is installed by scripts/setup.d")
serving = pytest.importorskip("werkzeug.serving")


@pytest.fixture(scope="module")
def httpbin_url() -> Iterator[str]:
    server = serving.make_server("127.0.0.1", 0, httpbin_core.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def ours_url() -> Iterator[str]:
    with start_echo_server() as handle:
        yield handle.url


class Pair:
    """One client per server; ``both`` sends the same request to each."""

    def __init__(self, theirs: str, ours: str) -> None:
        self.theirs = httpx.Client(base_url=theirs, timeout=10)
        self.ours = httpx.Client(base_url=ours, timeout=10)
        self.theirs_host = theirs.removeprefix("http://")
        self.ours_host = ours.removeprefix("http://")

    def both(self, method: str, url: str, **kw) -> tuple[httpx.Response, httpx.Response]:
        return self.theirs.request(method, url, **kw), self.ours.request(method, url, **kw)

    def close(self) -> None:
        self.theirs.close()
        self.ours.close()


@pytest.fixture(scope="module")
def pair(httpbin_url: str, ours_url: str) -> Iterator[Pair]:
    p = Pair(httpbin_url, ours_url)
    yield p
    p.close()


def _headers_subset(d: dict, names: tuple[str, ...]) -> dict:
    out = {k: v for k, v in d["headers"].items() if k in names}
    if "Content-Type" in out:  # httpx draws a fresh multipart boundary per request
        out["Content-Type"] = out["Content-Type"].split("; boundary=")[0]
    return out


CUSTOM = {"X-Custom-Header": "Value", "x-lower-case": "v2", "User-Agent": "side-by-side/1"}
HEADER_NAMES = ("X-Custom-Header", "X-Lower-Case", "User-Agent", "Content-Type", "Accept")


@pytest.mark.parametrize(
    ("method", "path", "kw"),
    [
        ("GET", "/get?a=1&a=2&b=x+y&c=%26", {}),
        ("POST", "/post?q=1", {"json": {"k": [1, "two", None], "n": {"x": 1.5}}}),
        ("POST", "/post", {"data": {"f": ["1", "2"], "g": "h i"}}),
        (
            "POST",
            "/post",
            {"data": {"f": "1"}, "files": {"up": ("u.txt", b"text body", "text/plain")}},
        ),
        ("POST", "/post", {"files": {"bin": ("b.bin", b"\xff\x00\x01", "image/png")}}),
        (
            "POST",
            "/post",
            {"content": b"\xff\xfe raw", "headers": {"Content-Type": "application/octet-stream"}},
        ),
        ("POST", "/post", {"content": b"plain text", "headers": {"Content-Type": "text/plain"}}),
        ("PUT", "/put", {"json": [1, 2]}),
        ("PATCH", "/patch", {"data": {"a": "b"}}),
        ("DELETE", "/delete?x=y", {}),
        ("PUT", "/anything/sub/path?z=1", {"json": {"a": 1}}),
        ("GET", "/anything", {}),
    ],
)
def test_request_inspection_matches(pair, method, path, kw):
    headers = {**CUSTOM, **kw.pop("headers", {})}
    theirs, ours = pair.both(method, path, headers=headers, **kw)
    assert theirs.status_code == ours.status_code == 200
    t, o = theirs.json(), ours.json()
    assert set(t) == set(o)
    for key in ("args", "form", "files", "json", "data", "method", "origin"):
        if key in t:
            assert o[key] == t[key], key
    assert _headers_subset(o, HEADER_NAMES) == _headers_subset(t, HEADER_NAMES)
    assert o["url"].replace(pair.ours_host, "HOST") == t["url"].replace(pair.theirs_host, "HOST")


@pytest.mark.parametrize(
    "path",
    [
        "/redirect/3",
        "/redirect/1",
        "/relative-redirect/2",
        "/redirect-to?url=http://example.com/x&status_code=307",
        "/redirect-to?url=/get",
        "/links/4",
        "/cookies/set?a=1",
        "/cookies/set/n/v",
        "/cookies/delete?a",
        "/status/302",
        "/status/303",
    ],
)
def test_redirect_status_and_location_match(pair, path):
    theirs, ours = pair.both("GET", path)
    assert ours.status_code == theirs.status_code
    assert ours.headers.get("location") == theirs.headers.get("location")


@pytest.mark.parametrize(
    "path", ["/redirect/2?absolute=true", "/absolute-redirect/2", "/absolute-redirect/1"]
)
def test_absolute_redirects_match(pair, path):
    theirs, ours = pair.both("GET", path)
    assert ours.status_code == theirs.status_code == 302
    assert ours.headers["location"].replace(pair.ours_host, "HOST") == theirs.headers[
        "location"
    ].replace(pair.theirs_host, "HOST")


def test_set_cookie_headers_match(pair):
    theirs, ours = pair.both("GET", "/cookies/set?a=1&b=2")
    assert ours.headers.get_list("set-cookie") == theirs.headers.get_list("set-cookie")


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("GET", "/status/418", {}),
        ("GET", "/status/201", {}),
        ("POST", "/status/500", {}),
        ("GET", "/status/nope", {}),
        ("GET", "/basic-auth/u/p", {}),
        ("GET", "/basic-auth/u/p", {"Authorization": "Basic dTpw"}),
        ("GET", "/hidden-basic-auth/u/p", {}),
        ("GET", "/bearer", {}),
        ("GET", "/bearer", {"Authorization": "Bearer abc"}),
        ("GET", "/etag/abc", {"If-None-Match": '"abc"'}),
        ("GET", "/etag/abc", {"If-Match": '"zzz"'}),
        ("GET", "/etag/abc", {}),
        ("GET", "/cache", {"If-None-Match": "x"}),
        ("GET", "/range/30", {"Range": "bytes=5-9"}),
        ("GET", "/range/30", {"Range": "bytes=-4"}),
        ("GET", "/range/30", {"Range": "bytes=40-"}),
        ("GET", "/nope/not/here", {}),
        ("POST", "/get", {}),
        ("GET", "/post", {}),
    ],
)
def test_status_codes_match(pair, method, path, headers):
    theirs, ours = pair.both(method, path, headers=headers)
    assert ours.status_code == theirs.status_code
    if theirs.status_code == 405:
        split = lambda v: {m.strip() for m in v.split(",")}  # noqa: E731
        assert split(ours.headers["allow"]) == split(theirs.headers["allow"])


@pytest.mark.parametrize(
    "path",
    [
        "/bytes/64?seed=7",
        "/stream-bytes/300?seed=9&chunk_size=100",
        "/range/60",
        "/base64/SFRUUEJJTiBpcyBhd2Vzb21l",
        "/base64/not*base64",
        "/robots.txt",
        "/links/5/2",
    ],
)
def test_bodies_match_byte_for_byte(pair, path):
    theirs, ours = pair.both("GET", path)
    assert ours.status_code == theirs.status_code
    assert ours.content == theirs.content


@pytest.mark.parametrize("path", ["/json", "/cookies", "/user-agent", "/ip", "/headers"])
def test_json_documents_match(pair, path):
    kw = {"headers": {"Cookie": "a=1; b=2", "User-Agent": "ua/9", "X-Custom-Header": "v"}}
    theirs, ours = pair.both("GET", path, **kw)
    t, o = theirs.json(), ours.json()
    if path == "/headers":
        t, o = _headers_subset(t, HEADER_NAMES), _headers_subset(o, HEADER_NAMES)
    assert o == t


def test_response_headers_match(pair):
    theirs, ours = pair.both("GET", "/response-headers?X-A=1&X-A=2&Free=form")
    t, o = theirs.json(), ours.json()
    t.pop("Content-Length")
    o.pop("Content-Length")
    assert o == t
    assert ours.headers.get_list("x-a") == theirs.headers.get_list("x-a") == ["1", "2"]


@pytest.mark.parametrize("path", ["/gzip", "/deflate", "/brotli"])
def test_compressed_documents_match(pair, path):
    theirs, ours = pair.both("GET", path, headers=CUSTOM)
    assert ours.headers["content-encoding"] == theirs.headers["content-encoding"]
    t, o = theirs.json(), ours.json()
    assert set(o) == set(t) and o["method"] == t["method"]
    assert _headers_subset(o, HEADER_NAMES) == _headers_subset(t, HEADER_NAMES)


@pytest.mark.parametrize("algorithm", ["MD5", "SHA-256"])
def test_digest_auth_both_accept_httpx(pair, algorithm):
    auth = httpx.DigestAuth("user", "passwd")
    theirs, ours = pair.both("GET", f"/digest-auth/auth/user/passwd/{algorithm}", auth=auth)
    assert theirs.status_code == ours.status_code == 200
    assert ours.json() == theirs.json()
