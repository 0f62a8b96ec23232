"""The public surface of the client package."""

from __future__ import annotations

import reqlab
import reqlab.client


def test_exported_members():
    assert reqlab.Client is reqlab.client.Client
    assert reqlab.AsyncClient is reqlab.client.AsyncClient
    assert reqlab.Response is reqlab.client.Response
    for name in reqlab.client.__all__:
        assert getattr(reqlab.client, name)


def test_build_request_httpx_style():
    client = reqlab.AsyncClient(http_version="HTTP/1.0", timeout=5)
    r = client.build_request(
        "post", "http://127.0.0.1:1/p?a=1", params={"b": "2"}, headers={"X-A": "1"}, data={"f": "v"}
    )
    assert r.method == "POST" and r.url == "http://127.0.0.1:1/p?a=1&b=2"
    assert r.headers == (("X-A", "1"),)
    assert r.body == reqlab.FormBody((("f", "v"),))
    assert r.version == "HTTP/1.0" and r.options.timeout == 5
    files = client.build_request("POST", "http://x/", files={"doc": ("a.txt", b"hi", "text/plain")})
    assert files.body.parts[0] == reqlab.MultipartFile("doc", "a.txt", "text/plain", data=b"hi")
    assert client.build_request("PUT", "http://x/", json=[1]).body == reqlab.JsonBody([1])
    assert client.build_request("PUT", "http://x/", content="t").body == reqlab.TextBody("t")


def test_response_helpers(nginx):
    with reqlab.Client() as client:
        r = client.get(nginx.url + "/static/data.json")
        missing = client.get(nginx.url + "/nope")
    assert r.is_success and r.json()[0]["name"] == "reqlab"
    assert r.headers["content-type"] == r.headers.get("Content-Type")
    assert r.encoding == "utf-8" and r.text.startswith("[")
    assert missing.status_code == 404
    try:
        missing.raise_for_status()
    except reqlab.client.HTTPStatusError as exc:
        assert "404" in str(exc)
    else:
        raise AssertionError("raise_for_status must raise on 404")


def test_client_options_apply_to_requests_without_their_own(nginx):
    with reqlab.Client(verify=False) as client:
        r = client.send(reqlab.Request("GET", nginx.tls_url + "/", version="HTTP/1.1"))
        assert r.status_code == 200 and r.exchange.connection.tls.verified is False
        strict = reqlab.Request(
            "GET", nginx.tls_url + "/", options=reqlab.Options(verify=True, timeout=5)
        )
        try:
            client.send(strict)
        except reqlab.TLSError:
            pass
        else:
            raise AssertionError("a request's own options win over the client's")
