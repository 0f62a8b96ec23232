"""CONNECT through an HTTP proxy, bytes in and bytes out."""

from __future__ import annotations

import pytest

from reqlab.errors import RemoteProtocolError
from reqlab.protocol.tunnel import TunnelReply, basic_credentials, connect_request


def test_connect_request_with_credentials_and_ipv6():
    auth = ("Proxy-Authorization", basic_credentials("user", "secret"))
    assert connect_request("example.org", 443, [auth]) == (
        b"CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n"
        b"Proxy-Authorization: Basic dXNlcjpzZWNyZXQ=\r\n\r\n"
    )
    assert connect_request("::1", 8443).startswith(b"CONNECT [::1]:8443 HTTP/1.1\r\n")


def test_reply_in_pieces_and_open():
    reply = TunnelReply()
    assert reply.receive(b"HTTP/1.1 200 Connection established\r\n") is False
    assert reply.receive(b"Proxy-Agent: tinyproxy\r\n\r\n") is True
    assert reply.open and reply.reason == "Connection established" and reply.rest == b""
    assert reply.headers == [("Proxy-Agent", "tinyproxy")]


@pytest.mark.parametrize(("status", "is_open"), [(407, False), (502, False), (204, True)])
def test_status_decides(status, is_open):
    reply = TunnelReply()
    reply.receive(f"HTTP/1.0 {status} X\r\n\r\n".encode())
    assert reply.status == status and reply.open is is_open


def test_garbage_and_early_close_are_protocol_errors():
    with pytest.raises(RemoteProtocolError, match="answered CONNECT with"):
        TunnelReply().receive(b"SSH-2.0-OpenSSH\r\n\r\n")
    with pytest.raises(RemoteProtocolError, match="before answering CONNECT"):
        TunnelReply().receive(b"")
