"""The SOCKS5 client handshake, bytes in and bytes out (no proxy needed here;
tests/client/test_proxies.py drives it against microsocks)."""

from __future__ import annotations

import ast
import struct
from pathlib import Path

import pytest

from reqlab.protocol import socks5
from reqlab.protocol.socks5 import Socks5Client, SocksError

REPLY_OK = b"\x05\x00\x00\x01" + bytes([127, 0, 0, 1]) + struct.pack("!H", 4321)


def test_no_auth_with_a_host_name_for_the_proxy_to_resolve():
    client = Socks5Client("example.org", 443)
    assert client.start() == b"\x05\x01\x00"
    request = client.receive(b"\x05\x00")
    assert request == b"\x05\x01\x00\x03\x0bexample.org" + struct.pack("!H", 443)
    assert client.receive(REPLY_OK) == b"" and client.done


def test_username_and_password_then_an_ipv6_target():
    client = Socks5Client("::1", 80, "user", "secret")
    assert client.start() == b"\x05\x02\x00\x02"
    assert client.receive(b"\x05\x02") == b"\x01\x04user\x06secret"
    request = client.receive(b"\x01\x00")
    assert request[:4] == b"\x05\x01\x00\x04" and len(request) == 4 + 16 + 2


def test_replies_may_arrive_in_pieces():
    client = Socks5Client("10.0.0.1", 80)
    client.start()
    assert client.receive(b"\x05") == b""
    assert client.receive(b"\x00").startswith(b"\x05\x01\x00\x01")
    for byte in REPLY_OK[:-1]:
        assert client.receive(bytes([byte])) == b"" and not client.done
    client.receive(REPLY_OK[-1:])
    assert client.done


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([b"\x05\xff"], "accepts none of the offered"),
        ([b"\x04\x00"], "not a SOCKS5 proxy"),
        ([b"\x05\x02"], "requires a username and password"),
        ([b"\x05\x00", b"\x05\x05\x00\x01"], "connection refused by the target"),
        ([b"\x05\x00", b"\x05\x02\x00\x01"], "not allowed by ruleset"),
        ([b""], "closed the connection during the greeting"),
    ],
)
def test_failures_say_what_happened(steps, message):
    client = Socks5Client("example.org", 80)
    client.start()
    with pytest.raises(SocksError, match=message):
        for data in steps:
            client.receive(data)


def test_wrong_password_is_named():
    client = Socks5Client("example.org", 80, "user", "bad")
    client.start()
    client.receive(b"\x05\x02")
    with pytest.raises(SocksError, match="rejected the username or password"):
        client.receive(b"\x01\x01")


def test_a_name_needs_remote_dns_or_resolving_first():
    client = Socks5Client("example.org", 80, remote_dns=False)
    client.start()
    with pytest.raises(SocksError, match="must be resolved"):
        client.receive(b"\x05\x00")


def test_sans_io():
    tree = ast.parse(Path(socks5.__file__).read_text())
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not imported & {"socket", "ssl", "asyncio", "selectors"}
