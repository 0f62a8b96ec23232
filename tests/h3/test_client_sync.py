"""The sync client over HTTP/3 (blocking UDP, no event loop) against the echo server."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

import reqlab
from reqlab.echo.testing import EchoHandle, start_echo_server
from reqlab.errors import RequestTimeout


@pytest.fixture(scope="module")
def echo() -> Iterator[EchoHandle]:
    with start_echo_server(tls=True, http3=True, h3_idle_timeout=5.0) as handle:
        yield handle


def test_reuse_and_record(echo: EchoHandle) -> None:
    with reqlab.Client(verify=False, http_version="HTTP/3") as client:
        first = client.get(f"{echo.tls_url}/echo")
        second = client.post(f"{echo.tls_url}/post", json={"a": 1})
    assert first.json()["http_version"] == "HTTP/3"
    assert second.json()["json"] == {"a": 1}
    c1, c2 = first.exchange.connection, second.exchange.connection
    assert c1 is not None and c2 is not None
    assert (c1.reused, c2.reused, c1.id == c2.id, c2.requests) == (False, True, True, 2)
    assert c1.quic is not None and c1.quic.idle_timeout == 5.0
    assert first.exchange.timings.connect > 0


def test_idle_timeout_expiry_opens_a_new_connection() -> None:
    with (
        start_echo_server(tls=True, http3=True, h3_idle_timeout=0.3) as echo,
        reqlab.Client(verify=False, http_version="HTTP/3") as client,
    ):
        first = client.get(f"{echo.tls_url}/echo")
        conn = client.pool.h3.conns[("https", "127.0.0.1", echo.tls_port, False)]
        # wait for the idle timeout as QUIC itself sees it (its timer), not a sleep
        conn.pump(lambda: False, None)
        assert conn.closed
        second = client.get(f"{echo.tls_url}/echo")
    c1, c2 = first.exchange.connection, second.exchange.connection
    assert c1 is not None and c2 is not None
    assert c2.reused is False and c2.id != c1.id
    assert any(
        f"connection #{c1.id} not reused" in w and "idle" in w for w in second.exchange.warnings
    )


def test_unanswered_udp_is_a_clear_timeout() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))
        port = silent.getsockname()[1]
        with (
            reqlab.Client(verify=False, http_version="HTTP/3", timeout=0.5) as client,
            pytest.raises(RequestTimeout) as info,
        ):
            client.get(f"https://127.0.0.1:{port}/")
    assert f"no answer over UDP from 127.0.0.1:{port}" in str(info.value)
