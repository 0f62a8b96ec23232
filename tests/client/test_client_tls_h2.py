"""TLS (trustme certificates) and HTTP/2 against nginx and the echo server."""

from __future__ import annotations

import asyncio
import datetime

import pytest
import trustme

import reqlab
from reqlab import Request
from reqlab.echo.testing import start_echo_server


def test_tls_verified_with_custom_ca_records_details(nginx):
    with reqlab.Client(cafile=nginx.ca_file) as client:
        r = client.get(nginx.tls_url + "/", version="HTTP/1.1")
        again = client.get(nginx.tls_url + "/", version="HTTP/1.1")
    tls = r.exchange.connection.tls
    assert r.status_code == 200 and r.http_version == "HTTP/1.1"
    assert tls.version in ("TLSv1.2", "TLSv1.3")
    assert tls.cipher
    assert tls.alpn == "http/1.1"
    assert tls.verified is True
    assert tls.server_name == "127.0.0.1"
    assert "trustme" in (tls.peer_issuer or "")
    assert tls.peer_not_after
    assert r.exchange.timings.tls > 0
    assert again.exchange.connection.reused is True
    assert again.exchange.timings.tls == 0


def test_unknown_ca_fails_with_reason(nginx):
    with reqlab.Client() as client, pytest.raises(reqlab.TLSError) as info:
        client.get(nginx.tls_url + "/")
    assert "unknown CA" in str(info.value)
    assert f"127.0.0.1:{nginx.tls_port}" in str(info.value)


def _server_cert(tmp_path, *names, **kw) -> dict[str, str]:
    ca = trustme.CA()
    cert = ca.issue_cert(*names, **kw)
    cert.private_key_pem.write_to_path(str(tmp_path / "key.pem"))
    cert.cert_chain_pems[0].write_to_path(str(tmp_path / "cert.pem"))
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    return {"tls_cert": str(tmp_path / "cert.pem"), "tls_key": str(tmp_path / "key.pem")}


def _tls_error(tmp_path, options: dict[str, str]) -> str:
    with (
        start_echo_server(**options) as echo,
        reqlab.Client(cafile=str(tmp_path / "ca.pem")) as client,
        pytest.raises(reqlab.TLSError) as info,
    ):
        client.get(echo.tls_url + "/echo")
    return str(info.value)


def test_wrong_host_fails_with_reason(tmp_path):
    assert "wrong host" in _tls_error(tmp_path, _server_cert(tmp_path, "other.example"))


def test_expired_certificate_fails_with_reason(tmp_path):
    past = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    options = _server_cert(
        tmp_path, "127.0.0.1", not_before=past, not_after=past + datetime.timedelta(days=1)
    )
    assert "expired" in _tls_error(tmp_path, options)


def test_insecure_skips_verification_but_records_certificate(nginx):
    with reqlab.Client(verify=False) as client:
        r = client.get(nginx.tls_url + "/", version="HTTP/1.1")
    assert r.status_code == 200
    assert r.exchange.connection.tls.verified is False
    assert "trustme" in (r.exchange.connection.tls.peer_issuer or "")
    assert r.exchange.connection.tls.peer_not_after


def test_alpn_picks_http2_when_version_open(nginx):
    with reqlab.Client(cafile=nginx.ca_file) as client:
        r = client.get(nginx.tls_url + "/")
        again = client.get(nginx.tls_url + "/")
    assert r.exchange.version == "HTTP/2" and r.http_version == "HTTP/2"
    assert r.exchange.connection.tls.alpn == "h2"
    assert r.text == "hello\n"
    assert r.exchange.request_raw is None
    assert r.exchange.request_headers[:4] == [
        (":method", "GET"),
        (":scheme", "https"),
        (":authority", f"127.0.0.1:{nginx.tls_port}"),
        (":path", "/"),
    ]
    assert again.exchange.connection.reused is True
    assert again.exchange.connection.id == r.exchange.connection.id


def test_http2_drops_connection_headers_with_warning(nginx):
    request = Request(
        "GET",
        nginx.tls_url + "/",
        headers=(("Connection", "keep-alive"), ("Keep-Alive", "timeout=5"), ("X-Kept", "1")),
        version="HTTP/2",
    )
    with reqlab.Client(cafile=nginx.ca_file) as client:
        r = client.send(request)
    names = [n for n, _ in r.exchange.request_headers]
    assert "connection" not in names and "keep-alive" not in names and "x-kept" in names
    assert any("HTTP/2 forbids connection-specific headers" in w for w in r.exchange.warnings)


def test_http2_multiplexes_concurrent_requests_on_one_connection(nginx):
    async def main() -> list[reqlab.Response]:
        async with reqlab.AsyncClient(cafile=nginx.ca_file) as client:
            return await asyncio.gather(
                client.get(nginx.tls_url + "/"),
                client.get(nginx.tls_url + "/static/data.json"),
            )

    a, b = asyncio.run(main())
    assert a.exchange.version == b.exchange.version == "HTTP/2"
    assert a.exchange.connection.id == b.exchange.connection.id
    assert sorted([a.exchange.connection.reused, b.exchange.connection.reused]) == [False, True]
    assert b.json()  # whole body arrived on its own stream
    assert a.text == "hello\n"


def test_h2c_prior_knowledge_to_echo_server():
    with start_echo_server() as echo, reqlab.Client() as client:
        r = client.get(echo.url + "/echo", version="HTTP/2")
        again = client.get(echo.url + "/echo", version="HTTP/2")
    assert r.http_version == "HTTP/2"
    assert r.json()["http_version"] == "HTTP/2"
    assert again.exchange.connection.reused is True


def test_http2_post_body(nginx):
    with start_echo_server() as echo, reqlab.Client() as client:
        r = client.post(echo.url + "/echo", json={"a": [1, 2]}, version="HTTP/2")
    assert r.json()["json"] == {"a": [1, 2]}


def test_http2_streams_overlap_in_time():
    # Two slow requests on one HTTP/2 connection finish in about the time of one.
    async def main() -> tuple[list[reqlab.Response], float]:
        loop = asyncio.get_running_loop()
        async with reqlab.AsyncClient() as client:
            start = loop.time()
            rs = await asyncio.gather(
                client.get(echo.url + "/delay/1", version="HTTP/2"),
                client.get(echo.url + "/delay/1", version="HTTP/2"),
            )
            return list(rs), loop.time() - start

    with start_echo_server() as echo:
        (a, b), elapsed = asyncio.run(main())
    assert a.status_code == b.status_code == 200
    assert a.exchange.connection.id == b.exchange.connection.id
    assert elapsed < 1.9  # one after the other would take at least 2 s


def test_http2_without_keep_alive_closes_each_connection():
    with start_echo_server() as echo, reqlab.Client(keep_alive=False) as client:
        rs = [client.get(echo.url + "/get", version="HTTP/2") for _ in range(3)]
        assert client.pool.connections() == []
    assert len({r.exchange.connection.id for r in rs}) == 3
    assert not any(r.exchange.connection.reused for r in rs)


def _h2_server(close_on: tuple[int, int]):
    """An h2c server that answers 200 "ok", but closes connection
    ``close_on[0]`` when stream number ``close_on[1]`` arrives on it."""
    import socket
    import threading

    import h2.config
    import h2.connection
    import h2.events

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    state = {"connections": 0}

    def serve(sock: socket.socket, number: int) -> None:
        conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False))
        conn.initiate_connection()
        sock.sendall(conn.data_to_send())
        streams = 0
        with sock:
            while data := sock.recv(65536):
                for event in conn.receive_data(data):
                    if isinstance(event, h2.events.RequestReceived):
                        streams += 1
                        if (number, streams) == close_on:
                            return
                        conn.send_headers(
                            event.stream_id, [(":status", "200"), ("content-length", "2")]
                        )
                        conn.send_data(event.stream_id, b"ok", end_stream=True)
                sock.sendall(conn.data_to_send())

    def accept() -> None:
        while True:
            try:
                sock, _ = listener.accept()
            except OSError:
                return
            state["connections"] += 1
            threading.Thread(target=serve, args=(sock, state["connections"]), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return listener, state


def test_http2_stale_connection_retried_once_for_idempotent():
    listener, state = _h2_server(close_on=(1, 2))
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
    try:
        with reqlab.Client() as client:
            first = client.get(url, version="HTTP/2")
            second = client.get(url, version="HTTP/2")
    finally:
        listener.close()
    assert first.text == second.text == "ok"
    assert second.exchange.retried is True
    assert second.exchange.connection.id != first.exchange.connection.id
    assert any("retried once on a new connection" in w for w in second.exchange.warnings)
    assert state["connections"] == 2


def test_http2_stale_connection_not_retried_for_post():
    listener, state = _h2_server(close_on=(1, 2))
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
    try:
        with reqlab.Client() as client:
            client.get(url, version="HTTP/2")
            with pytest.raises(reqlab.RemoteProtocolError):
                client.post(url, content=b"x", version="HTTP/2")
    finally:
        listener.close()
    assert state["connections"] == 1
