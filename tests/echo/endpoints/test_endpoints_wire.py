"""The endpoints through a real echo server on 127.0.0.1: raw sockets, httpx over
HTTP/1.1, h2c and h2 over TLS (trustme CA)."""

from __future__ import annotations

import hashlib
import json
import ssl
import time
from collections.abc import Iterator

import httpx
import pytest
import trustme

from reqlab.echo.testing import EchoHandle, RawConnection, start_echo_server

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def server(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Iterator[EchoHandle]:
    d = tmp_path_factory.mktemp("tls")
    cert = ca.issue_cert("localhost", "127.0.0.1")
    cert.private_key_and_cert_chain_pem.write_to_path(str(d / "cert.pem"))
    cert.private_key_pem.write_to_path(str(d / "key.pem"))
    with start_echo_server(tls_cert=str(d / "cert.pem"), tls_key=str(d / "key.pem")) as handle:
        yield handle


@pytest.fixture(scope="module")
def client(server: EchoHandle) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=10) as c:
        yield c


def raw_exchange(server: EchoHandle, request: bytes, head_only: bool = False):
    with RawConnection(server.host, server.port) as conn:
        conn.send(request)
        return conn.read_response(head_only=head_only)


def test_reflection_keeps_header_case_order_duplicates_and_raw_head(server):
    head = (
        b"POST /echo/x?b=2&a=1+1 HTTP/1.1\r\n"
        b"host: 127.0.0.1\r\n"
        b"X-UPPER: A\r\n"
        b"x-dup: 1\r\n"
        b"X-Dup: 2\r\n"
        b"x-dup: 3\r\n"
        b"Content-Type: application/json\r\n"
        b"Content-Length: 9\r\n\r\n"
    )
    resp = raw_exchange(server, head + b'{"k": 1} ')
    assert resp.status == 200
    d = json.loads(resp.body)
    assert d["headers"] == [
        ["host", "127.0.0.1"],
        ["X-UPPER", "A"],
        ["x-dup", "1"],
        ["X-Dup", "2"],
        ["x-dup", "3"],
        ["Content-Type", "application/json"],
        ["Content-Length", "9"],
    ]
    assert d["raw_head"] == head.decode()
    assert d["query"] == [["b", "2"], ["a", "1 1"]] and d["path"] == "/echo/x"
    assert d["json"] == {"k": 1} and d["body"] == '{"k": 1} '
    assert d["connection"]["request_number"] == 1 and d["connection"]["client"].startswith(
        "127.0.0.1:"
    )
    assert d["keep_alive"]["persistent"] is True


def test_http10_reflection_and_raw(server):
    resp = raw_exchange(server, b"GET /echo HTTP/1.0\r\nX-A: 1\r\n\r\n")
    d = json.loads(resp.body)
    assert d["http_version"] == "HTTP/1.0" and d["keep_alive"]["persistent"] is False
    raw = b"PUT /echo/raw HTTP/1.1\r\nHost: h\r\nX-Spaced:   v  \r\nContent-Length: 3\r\n\r\nabc"
    resp = raw_exchange(server, raw)
    assert resp.status == 200 and resp.body == raw
    assert resp.header("content-type").startswith("text/plain")


def test_reqbin_over_the_wire(client):
    r = client.post("/echo/post/json", json={"login": "x"})
    assert r.json() == {"success": "true"}
    assert "<ResponseMessage>Success</ResponseMessage>" in client.get("/echo/get/xml").text


def test_multipart_from_httpx_reflected_exactly(client):
    blob = bytes(range(256)) * 3
    files = [
        ("doc", ("a.bin", blob, "application/octet-stream")),
        ("doc", ("b.txt", b"hi", "text/plain")),
    ]
    r = client.post("/echo", data={"f": ["1", "2"], "g": "é"}, files=files)
    d = r.json()
    assert d["form"] == [["f", "1"], ["f", "2"], ["g", "é"]]
    assert d["files"] == [
        {
            "name": "doc",
            "filename": "a.bin",
            "content_type": "application/octet-stream",
            "size": 768,
            "sha256": hashlib.sha256(blob).hexdigest(),
        },
        {
            "name": "doc",
            "filename": "b.txt",
            "content_type": "text/plain",
            "size": 2,
            "sha256": hashlib.sha256(b"hi").hexdigest(),
        },
    ]
    assert [(p["name"], p["filename"]) for p in d["multipart"]] == [
        ("f", None),
        ("f", None),
        ("g", None),
        ("doc", "a.bin"),
        ("doc", "b.txt"),
    ]


def test_httpbin_post_form_and_files(client):
    r = client.post("/post?x=1", data={"a": "1"}, files={"up": ("u.txt", b"text", "text/plain")})
    d = r.json()
    assert d["form"] == {"a": "1"} and d["files"] == {"up": "text"} and d["args"] == {"x": "1"}
    assert d["headers"]["Content-Type"].startswith("multipart/form-data; boundary=")


def test_http2_over_tls_pseudo_headers(server, ca):
    ctx = ssl.create_default_context()
    ca.configure_trust(ctx)
    with httpx.Client(http2=True, verify=ctx, timeout=10) as c:
        r = c.get(f"https://localhost:{server.tls_port}/echo?q=1", headers={"X-Case": "Kept"})
        assert r.http_version == "HTTP/2"
        d = r.json()
    assert d["http_version"] == "HTTP/2" and d["raw_head"] is None
    pseudo = dict(d["pseudo_headers"])
    assert (
        pseudo[":method"] == "GET"
        and pseudo[":path"] == "/echo?q=1"
        and pseudo[":scheme"] == "https"
    )
    assert pseudo[":authority"] == f"localhost:{server.tls_port}"
    assert ["x-case", "Kept"] in d["headers"]  # HTTP/2 field names are lower case on the wire
    assert d["connection"]["tls"]["alpn"] == "h2" and d["connection"]["tls"]["sni"] == "localhost"


def test_h2c_prior_knowledge_httpbin_headers(server):
    with httpx.Client(http1=False, http2=True, timeout=10) as c:
        r = c.get(server.url + "/headers", headers={"X-Thing": "v"})
        assert r.http_version == "HTTP/2"
    headers = r.json()["headers"]
    assert headers["Host"] == f"127.0.0.1:{server.port}" and headers["X-Thing"] == "v"


@pytest.mark.parametrize("algorithm", ["MD5", "SHA-256"])
def test_digest_auth_with_httpx(client, algorithm):
    url = f"/digest-auth/auth/user/pa55/{algorithm}"
    assert client.get(url).status_code == 401
    r = client.get(url, auth=httpx.DigestAuth("user", "pa55"))
    assert r.status_code == 200 and r.json() == {"authenticated": True, "user": "user"}
    assert client.get(url, auth=httpx.DigestAuth("user", "nope")).status_code == 401


def test_basic_and_bearer_with_httpx(client):
    assert client.get("/basic-auth/u/p", auth=("u", "p")).json()["authenticated"] is True
    assert client.get("/basic-auth/u/p", auth=("u", "x")).status_code == 401
    assert client.get("/bearer", headers={"Authorization": "Bearer t"}).json()["token"] == "t"


@pytest.mark.parametrize(
    ("path", "hops"),
    [
        ("/redirect/3", 3),
        ("/redirect/2?absolute=true", 2),
        ("/relative-redirect/3", 3),
        ("/absolute-redirect/2", 2),
        ("/redirect-to?url=/get%3Fa%3Db&status_code=307", 1),
        ("/status/302", 2),
    ],
)
def test_redirects_followed_by_httpx(client, path, hops):
    r = client.get(path, follow_redirects=True)
    assert r.status_code == 200 and r.url.path == "/get"
    assert len(r.history) == hops


@pytest.mark.parametrize(
    ("path", "coding"), [("/gzip", "gzip"), ("/deflate", "deflate"), ("/brotli", "br")]
)
def test_compression_decoded_by_httpx(client, path, coding):
    r = client.get(path)
    assert r.headers["content-encoding"] == coding
    assert r.json()["method"] == "GET"


def test_drip_timing_bounded(client):
    t0 = time.monotonic()
    stamps = []
    with client.stream("GET", "/drip?numbytes=4&duration=0.6") as r:
        for chunk in r.iter_raw():
            stamps.append((time.monotonic() - t0, chunk))
    assert b"".join(c for _, c in stamps) == b"****"
    assert 0.55 <= stamps[-1][0] < 5.0
    assert stamps[0][0] < 0.5  # the first byte did not wait for the rest


@pytest.mark.parametrize("version", ["HTTP/1.1", "HTTP/1.0"])
@pytest.mark.parametrize(
    ("target", "body"),
    [
        ("/drip?numbytes=5&duration=0", b"*****"),
        ("/range/30?duration=0.01", bytes(range(97, 123)) + b"abcd"),
    ],
)
def test_streamed_answers_of_known_length_say_it(server, version, target, body):
    """As httpbin's do: a Content-Length, no chunked framing (HTTP/1.0 included,
    where an unknown length means buffering or closing)."""
    keep = "Connection: keep-alive\r\n" if version == "HTTP/1.0" else ""
    with RawConnection(server.host, server.port) as conn:
        for _ in range(2):  # the connection stays usable: the framing was right
            conn.send(f"GET {target} {version}\r\nHost: x\r\n{keep}\r\n".encode())
            resp = conn.read_response()
            assert resp.header("Content-Length") == str(len(body))
            assert resp.header("Transfer-Encoding") is None and resp.body == body
        conn.send(f"HEAD {target} {version}\r\nHost: x\r\n{keep}\r\n".encode())
        head = conn.read_response(head_only=True)
        assert head.header("Content-Length") == str(len(body)) and head.body == b""


def test_streamed_answer_of_known_length_over_h2_says_it(server):
    with httpx.Client(http1=False, http2=True, timeout=10) as c:
        r = c.get(server.url + "/drip?numbytes=3&duration=0")
    assert r.http_version == "HTTP/2" and r.headers["content-length"] == "3"
    assert r.content == b"***"


def test_range_over_the_wire(client):
    r = client.get("/range/100", headers={"Range": "bytes=10-19"})
    assert r.status_code == 206 and r.content == b"klmnopqrst"
    assert r.headers["content-range"] == "bytes 10-19/100" and r.headers["content-length"] == "10"
    assert client.get("/range/100", headers={"Range": "bytes=200-"}).status_code == 416


def test_streams_over_the_wire(client):
    lines = client.get("/stream/4").text.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [0, 1, 2, 3]
    assert len(client.get("/stream-bytes/5000?chunk_size=1000").content) == 5000
    assert client.get("/bytes/16?seed=3").content == client.get("/bytes/16?seed=3").content


def test_cookie_round_trip_with_httpx(server):
    with httpx.Client(base_url=server.url, follow_redirects=True, timeout=10) as c:
        assert c.get("/cookies/set?flavour=oat").json() == {"cookies": {"flavour": "oat"}}
        assert c.get("/cookies/delete?flavour").json() == {"cookies": {}}


def test_head_has_length_but_no_body(server):
    resp = raw_exchange(server, b"HEAD /json HTTP/1.1\r\nHost: h\r\n\r\n", head_only=True)
    assert resp.status == 200 and int(resp.header("content-length")) > 100
    assert resp.body == b""


def test_404_405_and_response_headers(client):
    r = client.get("/missing")
    assert r.status_code == 404 and r.json()["status"] == 404
    r = client.post("/get")
    assert r.status_code == 405 and r.headers["allow"] == "GET, HEAD, OPTIONS"
    r = client.get("/response-headers?X-Test=1")
    assert r.headers["x-test"] == "1"
    assert r.json()["Content-Length"] == r.headers["content-length"]


def test_utf8_bytes_on_the_wire(server):
    # llhttp refuses raw non-ASCII in the target; header values may carry UTF-8.
    head = "GET /echo/%C3%A9?q=%C3%BC HTTP/1.1\r\nHost: h\r\nX-Name: Zoë\r\n\r\n".encode()
    d = json.loads(raw_exchange(server, head).body)
    assert d["path"] == "/echo/%C3%A9" and d["query"] == [["q", "ü"]]
    assert ["X-Name", "Zoë"] in d["headers"] and d["raw_head"] == head.decode()
    raw = head.replace(b"/echo/%C3%A9", b"/echo/raw")
    assert raw_exchange(server, raw).body == raw


def test_h2c_raw_rendering(server):
    with httpx.Client(http1=False, http2=True, timeout=10) as c:
        r = c.post(server.url + "/echo/raw", content=b"body!", headers={"X-A": "1"})
    text = r.text
    assert text.startswith(":method: POST\r\n")
    assert ":path: /echo/raw\r\n" in text and "x-a: 1\r\n" in text
    assert text.endswith("\r\n\r\nbody!")


def test_connection_and_keep_alive_fields_across_requests(server):
    with httpx.Client(base_url=server.url, timeout=10) as c:
        first, second = c.get("/echo").json(), c.post("/echo", data={"a": "1"}).json()
    assert first["connection"]["id"] == second["connection"]["id"]
    assert [first["connection"]["request_number"], second["connection"]["request_number"]] == [1, 2]
    assert second["keep_alive"]["remaining"] == first["keep_alive"]["remaining"] - 1
    assert second["form"] == [["a", "1"]]


def test_multipart_over_http2(server, ca):
    ctx = ssl.create_default_context()
    ca.configure_trust(ctx)
    with httpx.Client(http2=True, verify=ctx, timeout=10) as c:
        r = c.post(
            f"https://localhost:{server.tls_port}/echo",
            data={"f": "v"},
            files={"up": ("a.txt", b"abc", "text/plain")},
        )
    d = r.json()
    assert d["http_version"] == "HTTP/2"
    assert (
        d["form"] == [["f", "v"]] and d["files"][0]["sha256"] == hashlib.sha256(b"abc").hexdigest()
    )
