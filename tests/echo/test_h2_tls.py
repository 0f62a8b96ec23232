"""HTTP/2 (h2c prior knowledge, Upgrade: h2c, ALPN h2) and TLS, on real sockets."""

from __future__ import annotations

import json
import socket
import ssl
from collections.abc import Iterator
from pathlib import Path

import h2.config
import h2.connection
import h2.events
import httpx
import pytest
import trustme

from reqlab.echo import _fallback
from reqlab.echo._types import EchoRequest, EchoResponse
from reqlab.echo.testing import EchoHandle, RawConnection, start_echo_server

BIG = bytes(range(256)) * 4096  # 1 MiB: more than the default 64 KiB windows


async def handler(request: EchoRequest) -> EchoResponse:
    if request.target == "/big":
        return EchoResponse(200, [("Content-Type", "application/octet-stream")], BIG)
    resp = await _fallback.handle(request)
    # An endpoint that (wrongly) adds connection headers: HTTP/2 must drop them.
    resp.headers += [("Connection", "keep-alive"), ("Keep-Alive", "timeout=5")]
    return resp


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def echo(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Iterator[EchoHandle]:
    tmp = tmp_path_factory.mktemp("tls")
    cert = ca.issue_cert("localhost", "127.0.0.1")
    cert.private_key_and_cert_chain_pem.write_to_path(str(tmp / "server.pem"))
    with start_echo_server(handler=handler, tls_cert=str(tmp / "server.pem")) as h:
        yield h


def h2_exchange(
    sock: socket.socket | ssl.SSLSocket,
    requests: list[list[tuple[str, str]]],
    conn: h2.connection.H2Connection | None = None,
    pending: bytes = b"",
    also_wait: tuple[int, ...] = (),
) -> dict[int, dict]:
    """Send each request on its own stream; collect answers or resets by stream id."""
    if conn is None:
        conn = h2.connection.H2Connection(
            h2.config.H2Configuration(
                client_side=True, validate_outbound_headers=False, normalize_outbound_headers=False
            )
        )
        conn.initiate_connection()
    results: dict[int, dict] = {
        sid: {"headers": None, "body": b"", "reset": None, "done": False} for sid in also_wait
    }
    for headers in requests:
        sid = conn.get_next_available_stream_id()
        conn.send_headers(sid, headers, end_stream=True)
        results[sid] = {"headers": None, "body": b"", "reset": None, "done": False}
    sock.sendall(conn.data_to_send())
    while not all(r["done"] for r in results.values()):
        data, pending = pending or sock.recv(65536), b""
        assert data, "server closed the connection"
        for ev in conn.receive_data(data):
            if isinstance(ev, h2.events.ResponseReceived):
                results.setdefault(ev.stream_id, {"body": b"", "reset": None, "done": False})
                results[ev.stream_id]["headers"] = ev.headers
            elif isinstance(ev, h2.events.DataReceived):
                results[ev.stream_id]["body"] += ev.data
                conn.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
            elif isinstance(ev, h2.events.StreamEnded):
                results[ev.stream_id]["done"] = True
            elif isinstance(ev, h2.events.StreamReset):
                results[ev.stream_id]["reset"] = ev.error_code
                results[ev.stream_id]["done"] = True
        sock.sendall(conn.data_to_send())
    return results


def get(path: str) -> list[tuple[str, str]]:
    return [(":method", "GET"), (":path", path), (":scheme", "http"), (":authority", "x")]


def names(headers: list) -> set[str]:
    return {(n.decode() if isinstance(n, bytes) else n).lower() for n, _ in headers}


def test_h2c_prior_knowledge_with_httpx(echo: EchoHandle) -> None:
    with httpx.Client(http1=False, http2=True) as client:
        r = client.get(echo.url + "/echo?a=1", headers={"X-Test": "yes"})
        r2 = client.get(echo.url + "/echo")
    assert r.http_version == "HTTP/2"
    body = r.json()
    assert body["http_version"] == "HTTP/2"
    assert ["x-test", "yes"] in body["headers"]
    assert [":method", "GET"] in body["pseudo_headers"]
    assert body["keep_alive"]["persistent"] is True
    assert "connection" not in r.headers and "keep-alive" not in r.headers
    assert r2.json()["connection"]["request_number"] == 2


def test_connection_specific_headers_refuse_only_that_stream(echo: EchoHandle) -> None:
    with socket.create_connection((echo.host, echo.port), timeout=5) as sock:
        results = h2_exchange(
            sock,
            [
                get("/echo/1"),
                [*get("/echo/2"), ("connection", "keep-alive")],
                [*get("/echo/3"), ("keep-alive", "timeout=5")],
                [*get("/echo/4"), ("te", "gzip")],
                get("/echo/5"),
            ],
        )
    by_path = [results[sid] for sid in sorted(results)]
    assert [r["reset"] for r in by_path] == [None, 1, 1, 1, None]  # 1 = PROTOCOL_ERROR
    assert json.loads(by_path[0]["body"])["target"] == "/echo/1"
    assert json.loads(by_path[4]["body"])["target"] == "/echo/5"
    # and the server's other connections are unaffected
    with httpx.Client(http1=False, http2=True) as client:
        assert client.get(echo.url + "/echo").status_code == 200


def test_h2_responses_never_carry_connection_headers_and_flow_control(echo: EchoHandle) -> None:
    with socket.create_connection((echo.host, echo.port), timeout=10) as sock:
        results = h2_exchange(sock, [get("/echo"), get("/big"), get("/big")])
    for r in results.values():
        assert not names(r["headers"]) & {"connection", "keep-alive", "transfer-encoding"}
    bodies = [results[sid]["body"] for sid in sorted(results)]
    assert bodies[1] == BIG and bodies[2] == BIG


def test_h2c_upgrade_answers_on_stream_1_and_goes_on(echo: EchoHandle) -> None:
    conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
    settings = conn.initiate_upgrade_connection().decode()
    with RawConnection(echo.host, echo.port) as c:
        c.send(
            b"GET /echo/up HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\n"
            b"Upgrade: h2c\r\nHTTP2-Settings: " + settings.encode() + b"\r\n\r\n"
        )
        switching = c.read_response()
        assert switching.status == 101 and switching.header("upgrade") == "h2c"
        c.send(conn.data_to_send())  # the preface initiate_upgrade_connection prepared
        # stream 1 is the upgraded request; its answer arrives as HTTP/2
        results = h2_exchange(c.sock, [get("/echo/after")], conn, c._buf, also_wait=(1,))
    up = json.loads(results[1]["body"])
    assert (up["target"], up["http_version"]) == ("/echo/up", "HTTP/1.1")
    assert json.loads(results[3]["body"])["target"] == "/echo/after"


@pytest.mark.parametrize(
    ("framing", "body"),
    [
        (b"Content-Length: 11\r\n", b'{"h2":true}'),
        (b"Transfer-Encoding: chunked\r\n", b"6\r\nchunk-\r\n4\r\nbody\r\n0\r\n\r\n"),
    ],
)
def test_h2c_upgrade_request_keeps_its_body(echo: EchoHandle, framing: bytes, body: bytes) -> None:
    # RFC 9113 3.2: the upgraded request, body included, is stream 1's request
    # (Java's HttpClient sends POST bodies to h2c this way).
    conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
    settings = conn.initiate_upgrade_connection()
    with RawConnection(echo.host, echo.port) as c:
        c.send(
            b"POST /echo/up HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\n"
            b"Upgrade: h2c\r\nHTTP2-Settings: " + settings + b"\r\n" + framing + b"\r\n" + body
        )
        assert c.read_response().status == 101
        c.send(conn.data_to_send())
        results = h2_exchange(c.sock, [get("/echo/after")], conn, c._buf, also_wait=(1,))
    up = json.loads(results[1]["body"])
    expected = "chunk-body" if b"chunked" in framing else body.decode()
    assert (up["method"], up["target"], up["body"]) == ("POST", "/echo/up", expected)
    assert json.loads(results[3]["body"])["body"] == ""


def test_alpn_h2_over_tls_with_tls_info(echo: EchoHandle, ca: trustme.CA) -> None:
    assert echo.tls_url is not None
    ctx = ssl.create_default_context()
    ca.configure_trust(ctx)
    ctx.set_alpn_protocols(["h2", "http/1.1"])
    with (
        socket.create_connection((echo.host, echo.tls_port), timeout=5) as raw,
        ctx.wrap_socket(raw, server_hostname="localhost") as sock,
    ):
        assert sock.selected_alpn_protocol() == "h2"
        results = h2_exchange(sock, [get("/echo")])
    body = json.loads(results[1]["body"])
    tls = body["connection"]["tls"]
    assert tls["alpn"] == "h2" and tls["sni"] == "localhost"
    assert tls["version"].startswith("TLSv1.") and tls["cipher"]
    assert body["connection"]["scheme"] == "https"


def test_alpn_falls_back_to_http11(echo: EchoHandle, ca: trustme.CA) -> None:
    ctx = ssl.create_default_context()
    ca.configure_trust(ctx)
    ctx.set_alpn_protocols(["http/1.1"])
    with (
        socket.create_connection((echo.host, echo.tls_port), timeout=5) as raw,
        ctx.wrap_socket(raw, server_hostname="localhost") as sock,
    ):
        sock.sendall(b"GET /echo HTTP/1.1\r\nHost: localhost\r\n\r\n")
        data = b""
        while b"}" not in data:
            data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    assert b"Keep-Alive: timeout=5, max=99" in head
    assert json.loads(body)["connection"]["tls"]["alpn"] == "http/1.1"


def test_httpx_over_tls_with_the_test_ca(echo: EchoHandle, ca: trustme.CA, tmp_path: Path) -> None:
    ctx = ssl.create_default_context()
    ca.configure_trust(ctx)
    with httpx.Client(http2=True, verify=ctx) as client:
        r = client.get(f"https://localhost:{echo.tls_port}/echo")
    assert r.http_version == "HTTP/2" and r.json()["connection"]["tls"]["alpn"] == "h2"


def test_self_signed_tls_listener() -> None:
    with start_echo_server(tls=True, handler=_fallback.handle) as h:
        assert h.tls_url is not None
        with httpx.Client(verify=False) as client:
            r = client.get(h.tls_url + "/echo")
        assert r.json()["connection"]["tls"]["alpn"] == "http/1.1"


def test_h2_idle_timeout_sends_goaway_then_closes() -> None:
    with (
        start_echo_server(handler=_fallback.handle, keep_alive_timeout=0.3) as h,
        socket.create_connection((h.host, h.port), timeout=5) as sock,
    ):
        conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
        conn.initiate_connection()
        results = h2_exchange(sock, [get("/echo")], conn)
        assert json.loads(results[1]["body"])["keep_alive"]["timeout"] == 0.3
        events: list = []
        while data := sock.recv(65536):
            events += conn.receive_data(data)
        assert any(isinstance(e, h2.events.ConnectionTerminated) for e in events)


def test_h2_body_over_limit_gets_413_and_the_connection_goes_on() -> None:
    with (
        start_echo_server(handler=_fallback.handle, max_body_bytes=10) as h,
        httpx.Client(http1=False, http2=True) as client,
    ):
        assert client.post(h.url + "/echo", content=b"x" * 11).status_code == 413
        assert client.post(h.url + "/echo", content=b"x" * 10).json()["body"] == "x" * 10
