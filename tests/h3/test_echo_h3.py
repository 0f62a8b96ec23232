"""The echo server's HTTP/3 listener, checked with aioquic's own client."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator

import pytest
from tests.h3.aioquic_peer import get_json

from reqlab.echo.testing import EchoHandle, start_echo_server


@pytest.fixture(scope="module")
def echo() -> Iterator[EchoHandle]:
    with start_echo_server(tls=True, http3=True, h3_idle_timeout=7.0) as handle:
        yield handle


def test_h3_listens_on_the_tls_port_by_udp(echo: EchoHandle) -> None:
    assert echo.h3_port == echo.tls_port


def test_reflects_requests_with_the_quic_facts(echo: EchoHandle) -> None:
    assert echo.h3_port is not None
    answers, tickets = asyncio.run(get_json(echo.h3_port, ["/echo?a=1", "/echo", "/echo"]))
    first = answers[0]
    assert first["http_version"] == "HTTP/3"
    assert first["method"] == "GET"
    assert first["query"] == [["a", "1"]]
    assert ["x-peer", "aioquic"] in first["headers"]
    assert [":method", "GET"] in first["pseudo_headers"]
    conn = first["connection"]
    assert conn["tls"]["alpn"] == "h3" and conn["tls"]["version"] == "TLSv1.3"
    quic = conn["quic"]
    assert quic["version"] == "QUIC v1"
    assert quic["zero_rtt"] is False and quic["resumed"] is False
    assert quic["idle_timeout"] == 7.0
    # three streams, one connection: the same id, request numbers 1..3
    assert {a["connection"]["id"] for a in answers} == {conn["id"]}
    assert sorted(a["connection"]["request_number"] for a in answers) == [1, 2, 3]
    assert {a["connection"]["quic"]["connection_id"] for a in answers} == {quic["connection_id"]}
    assert first["keep_alive"] == {"persistent": True, "timeout": 7.0, "remaining": -1}
    assert tickets, "the server issues a session ticket"


def test_resumption_and_zero_rtt_are_reflected(echo: EchoHandle) -> None:
    assert echo.h3_port is not None
    _, tickets = asyncio.run(get_json(echo.h3_port, ["/echo"]))
    answers, _ = asyncio.run(get_json(echo.h3_port, ["/echo"], ticket=tickets[-1]))
    quic = answers[0]["connection"]["quic"]
    assert quic["resumed"] is True
    assert quic["zero_rtt"] is True


def test_other_endpoints_and_bodies(echo: EchoHandle) -> None:
    assert echo.h3_port is not None
    answers, _ = asyncio.run(get_json(echo.h3_port, ["/get?x=y", "/headers"]))
    assert answers[0]["args"] == {"x": "y"}
    assert "X-Peer" in answers[1]["headers"] or "x-peer" in answers[1]["headers"]


def test_tcp_listeners_advertise_h3(echo: EchoHandle) -> None:
    import ssl

    for port, tls in ((echo.port, False), (echo.tls_port, True)):
        assert port is not None
        raw = socket.create_connection(("127.0.0.1", port))
        sock: socket.socket = raw
        if tls:
            ctx = ssl.create_default_context()
            ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
            sock = ctx.wrap_socket(raw)
        with sock:
            sock.sendall(b"GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        assert f'Alt-Svc: h3=":{echo.h3_port}"; ma=3600'.encode() in data


def test_no_http3_without_tls_or_when_switched_off() -> None:
    with start_echo_server(http3=True) as plain:
        assert plain.h3_port is None
    with start_echo_server(tls=True, http3=False) as off:
        assert off.h3_port is None
        assert off.server.alt_svc is None
