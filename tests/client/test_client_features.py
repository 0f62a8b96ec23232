"""Timings, auth, redirects, cookies, decompression, size limits, timeouts."""

from __future__ import annotations

import gzip
import json
import os
import zlib

import pytest

import reqlab
from reqlab import DigestAuth, Request
from reqlab.client._digest import authorization, parse_challenge
from reqlab.echo.testing import start_echo_server

from .conftest import ok

PHASES = ("dns", "connect", "tls", "send", "wait", "receive")


@pytest.fixture(scope="module")
def echo():
    with start_echo_server() as handle:
        yield handle


def _check_timings(exchange: reqlab.client.Exchange) -> None:
    t = exchange.timings
    parts = [getattr(t, p) for p in PHASES]
    assert all(p >= 0 for p in parts)
    assert t.total > 0
    assert sum(parts) <= t.total + 1e-6


def test_timings_new_and_reused_connection(nginx):
    with reqlab.Client(cafile=nginx.ca_file) as client:
        new = client.get(nginx.url + "/")
        reused = client.get(nginx.url + "/")
        tls_new = client.get(nginx.tls_url + "/", version="HTTP/1.1")
        big = client.get(nginx.url + "/static/big.txt")
    for r in (new, reused, tls_new, big):
        _check_timings(r.exchange)
    assert new.exchange.timings.connect > 0
    assert (
        reused.exchange.timings.dns,
        reused.exchange.timings.connect,
        reused.exchange.timings.tls,
    ) == (0, 0, 0)
    assert tls_new.exchange.timings.tls > 0
    assert big.exchange.timings.receive > 0
    assert len(big.content) == 1024 * 1024
    json.dumps(big.exchange.to_json())  # the record is JSON-ready


def test_record_json_shape(echo):
    with reqlab.Client() as client:
        r = client.post(echo.url + "/echo", json={"x": 1}, headers=[("X-Case", "Kept")])
    record = r.exchange.to_json()
    assert set(record) >= {
        "request",
        "response",
        "connection",
        "timings",
        "keep_alive",
        "redirects",
        "warnings",
    }
    assert record["request"]["raw"].startswith("POST /echo HTTP/1.1\r\nHost: ")
    assert "X-Case: Kept\r\n" in record["request"]["raw"]
    assert record["request"]["added_headers"] == ["Host", "Content-Type", "Content-Length"]
    assert record["response"]["status"] == 200
    assert set(record["timings"]) == {*PHASES, "tunnel", "total"}
    assert set(record["keep_alive"]) == {"persistent", "server_timeout", "server_max"}
    assert set(record["connection"]) >= {"id", "reused", "local", "remote", "tls"}
    # what the server saw is what the record says was sent
    assert (
        r.json()["raw_head"].encode() == r.exchange.request_raw.split(b"\r\n\r\n")[0] + b"\r\n\r\n"
    )


def test_digest_rfc7616_vectors():
    challenge = {
        "realm": "http-auth@example.org",
        "qop": "auth, auth-int",
        "algorithm": "MD5",
        "nonce": "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
        "opaque": "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS",
    }
    cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
    md5 = authorization("Mufasa", "Circle of Life", "GET", "/dir/index.html", challenge, 1, cnonce)
    assert 'response="8ca523f5e9506fed4657c9700eebdbec"' in md5
    sha = authorization(
        "Mufasa",
        "Circle of Life",
        "GET",
        "/dir/index.html",
        {**challenge, "algorithm": "SHA-256"},
        1,
        cnonce,
    )
    assert 'response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"' in sha
    parsed = parse_challenge('Digest realm="a, b", nonce="n\\"x", qop="auth"')
    assert parsed == {"realm": "a, b", "nonce": 'n"x', "qop": "auth"}


@pytest.mark.parametrize("algorithm", ["MD5", "SHA-256"])
def test_digest_auth_against_echo_server(echo, algorithm):
    with reqlab.Client() as client:
        r = client.send(
            Request(
                "GET",
                f"{echo.url}/digest-auth/auth/user/pass/{algorithm}",
                auth=DigestAuth("user", "pass"),
            )
        )
        bad = client.send(
            Request(
                "GET",
                f"{echo.url}/digest-auth/auth/user/pass/{algorithm}",
                auth=DigestAuth("user", "nope"),
            )
        )
    assert r.status_code == 200, r.text
    assert [e.status for e in r.history] == [401]
    assert "Authorization" in r.exchange.added
    assert bad.status_code == 401


def test_redirects_off_by_default_then_followed(nginx):
    with reqlab.Client() as client:
        stay = client.get(nginx.url + "/redirect")
        go = client.get(nginx.url + "/redirect", follow_redirects=True)
    assert stay.status_code == 302
    assert go.status_code == 200 and go.text == "hello\n"
    assert go.exchange.redirects == [
        {
            "status": 302,
            "method": "GET",
            "url": nginx.url + "/redirect",
            "location": go.history[0].header("location"),
        }
    ]
    assert go.exchange.connection.reused is True


def test_redirect_rewrites_post_to_get(nginx):
    with reqlab.Client(follow_redirects=True) as client:
        r = client.post(nginx.url + "/redirect-post", data={"a": "1"})
    assert r.exchange.method == "GET"
    assert r.exchange.request_body == b""
    assert not any(n.lower() == "content-type" for n, _ in r.exchange.request_headers)


def test_redirect_307_keeps_method_and_body(echo):
    with reqlab.Client(follow_redirects=True) as client:
        r = client.post(
            echo.url + "/redirect-to",
            params={"url": "/echo", "status_code": "307"},
            content=b"payload",
        )
    assert r.json()["method"] == "POST"
    assert r.json()["body"] == "payload"


def test_too_many_redirects(nginx):
    with (
        reqlab.Client(follow_redirects=True, max_redirects=3) as client,
        pytest.raises(reqlab.errors.TooManyRedirects),
    ):
        client.get(nginx.url + "/loop")


def test_cookies_kept_per_client(echo):
    with reqlab.Client(follow_redirects=True) as client:
        client.get(echo.url + "/cookies/set/flavour/oat")
        r = client.get(echo.url + "/cookies")
    with reqlab.Client() as other:
        fresh = other.get(echo.url + "/cookies")
    assert r.json()["cookies"] == {"flavour": "oat"}
    assert "Cookie" in r.exchange.added
    assert fresh.json()["cookies"] == {}


@pytest.mark.parametrize(
    "path,encoding", [("/gzip", "gzip"), ("/deflate", "deflate"), ("/brotli", "br")]
)
def test_decompression(echo, path, encoding):
    with reqlab.Client() as client:
        r = client.get(echo.url + path)
    assert r.exchange.content_encoding == encoding
    assert r.exchange.wire_size != r.exchange.body_size
    assert r.json()


def test_compressed_option_asks_and_decodes(nginx):
    with reqlab.Client(compressed=True) as client:
        r = client.get(nginx.url + "/static/big.txt")
    assert "Accept-Encoding" in r.exchange.added
    assert r.exchange.content_encoding == "gzip"
    assert r.exchange.wire_size < r.exchange.body_size == 1024 * 1024
    assert r.content == b"0123456789abcdef" * 65536


@pytest.mark.parametrize("kind", ["gzip", "deflate-raw", "zstd"])
def test_decoders_on_scripted_server(scripted, kind):
    payload = b"reqlab " * 1000
    if kind == "gzip":
        data, name = gzip.compress(payload), "gzip"
    elif kind == "deflate-raw":
        c = zlib.compressobj(wbits=-15)
        data, name = c.compress(payload) + c.flush(), "deflate"
    else:
        zstandard = pytest.importorskip("zstandard")
        data, name = zstandard.ZstdCompressor().compress(payload), "zstd"
    server = scripted(lambda conn, n, raw: ok(data, f"Content-Encoding: {name}\r\n"))
    with reqlab.Client() as client:
        r = client.get(server.url + "/")
    assert r.content == payload


def test_body_size_cap(nginx):
    with reqlab.Client(max_body=1000) as client, pytest.raises(reqlab.ResponseTooLarge) as info:
        client.get(nginx.url + "/static/big.txt")
    assert "1000 bytes" in str(info.value)


def test_large_body_spooled_to_file(nginx, tmp_path):
    with reqlab.Client(spool_size=64 * 1024, spool_dir=str(tmp_path)) as client:
        r = client.get(nginx.url + "/static/big.txt")
        small = client.get(nginx.url + "/")
    assert r.body_path and os.path.dirname(r.body_path) == str(tmp_path)
    assert os.path.getsize(r.body_path) == 1024 * 1024
    assert r.exchange.to_json()["response"]["body"] == {"path": r.body_path}
    assert r.content[:16] == b"0123456789abcdef"
    assert small.body_path is None


def test_wait_timeout_names_phase(echo):
    with reqlab.Client(timeout=0.3) as client, pytest.raises(reqlab.RequestTimeout) as info:
        client.get(echo.url + "/delay/2")
    assert info.value.phase == "wait"
    assert "timed out during wait after 0.3 s" in str(info.value)


def test_close_delimited_body_and_http10_response(scripted):
    server = scripted(lambda conn, n, raw: (b"HTTP/1.0 200 OK\r\nX-A: 1\r\n\r\nuntil close", True))
    with reqlab.Client() as client:
        r = client.get(server.url + "/")
    assert r.text == "until close"
    assert r.http_version == "HTTP/1.0"
    assert r.exchange.keep_alive.persistent is False


def test_head_response_has_no_body(nginx):
    with reqlab.Client() as client:
        head = client.head(nginx.url + "/static/big.txt")
        after = client.get(nginx.url + "/")
    assert head.content == b"" and head.headers["Content-Length"] == str(1024 * 1024)
    assert after.text == "hello\n"
    assert after.exchange.connection.reused is True


def test_broken_response_is_protocol_error(scripted):
    server = scripted(lambda conn, n, raw: (b"HTTP/1.1 abc nonsense\r\n\r\n", True))
    with reqlab.Client() as client, pytest.raises(reqlab.RemoteProtocolError):
        client.get(server.url + "/")


def test_tls_handshake_timeout_names_phase(scripted):
    # A server that accepts TCP but never answers the ClientHello.
    server = scripted(lambda conn, n, raw: None)
    request = Request(
        "GET", f"https://127.0.0.1:{server.port}/", options=reqlab.Options(connect_timeout=0.3)
    )
    with reqlab.Client() as client, pytest.raises(reqlab.RequestTimeout) as info:
        client.send(request)
    assert info.value.phase == "tls"


def test_connect_timeout_names_phase():
    # A listener whose accept queue is full drops further SYNs: connect hangs.
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    try:
        for _ in range(3):
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))
            fillers.append(s)
        request = Request(
            "GET", f"http://127.0.0.1:{port}/", options=reqlab.Options(connect_timeout=0.3)
        )
        with reqlab.Client() as client, pytest.raises(reqlab.RequestTimeout) as info:
            client.send(request)
        assert info.value.phase == "connect"
    finally:
        for s in fillers:
            s.close()
        listener.close()


def test_shorter_timeout_after_longer_on_same_connection(echo):
    with reqlab.Client() as client:
        assert client.get(echo.url + "/get", timeout=20).status_code == 200
        with pytest.raises(reqlab.RequestTimeout) as info:
            client.get(echo.url + "/delay/2", timeout=0.3)
    assert info.value.phase == "wait"
