"""0-RTT: idempotent requests resume with a session ticket and go as early data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import reqlab
from reqlab.echo.testing import EchoHandle, start_echo_server


@pytest.fixture
def echo() -> Iterator[EchoHandle]:
    with start_echo_server(tls=True, http3=True) as handle:
        yield handle


def _fresh_connection(client: reqlab.Client, echo: EchoHandle) -> None:
    """Close the pooled QUIC connection so the next request resumes with the ticket."""
    key = ("https", "127.0.0.1", echo.tls_port, False)
    client.pool.h3.conns.pop(key).close()


def test_accepted(echo: EchoHandle) -> None:
    with reqlab.Client(verify=False, http_version="HTTP/3", zero_rtt=True) as client:
        first = client.get(f"{echo.tls_url}/echo")
        _fresh_connection(client, echo)
        second = client.get(f"{echo.tls_url}/echo")
    q1 = first.exchange.connection.quic  # type: ignore[union-attr]
    q2 = second.exchange.connection.quic  # type: ignore[union-attr]
    assert q1 is not None and q2 is not None
    assert q1.zero_rtt is False and "no session ticket" in (q1.zero_rtt_note or "")
    assert q2.zero_rtt is True and q2.resumed is True
    server = second.json()["connection"]["quic"]
    assert server["zero_rtt"] is True and server["resumed"] is True


def test_never_for_non_idempotent_methods(echo: EchoHandle) -> None:
    with reqlab.Client(verify=False, http_version="HTTP/3", zero_rtt=True) as client:
        client.get(f"{echo.tls_url}/echo")
        _fresh_connection(client, echo)
        post = client.post(f"{echo.tls_url}/echo", content=b"x")
    quic = post.exchange.connection.quic  # type: ignore[union-attr]
    assert quic is not None and quic.zero_rtt is False
    assert quic.zero_rtt_note == "0-RTT not used: POST is not idempotent (replay risk)"
    assert post.json()["connection"]["quic"]["zero_rtt"] is False


def test_rejected_is_resent_and_recorded(echo: EchoHandle) -> None:
    with reqlab.Client(verify=False, http_version="HTTP/3", zero_rtt=True) as client:
        client.get(f"{echo.tls_url}/echo")
        _fresh_connection(client, echo)
        echo.server.h3.tickets.tickets.clear()  # the server forgot: it must refuse early data
        again = client.get(f"{echo.tls_url}/echo")
    quic = again.exchange.connection.quic  # type: ignore[union-attr]
    assert again.status_code == 200
    assert quic is not None and quic.zero_rtt is False and quic.resumed is False
    assert "rejected" in (quic.zero_rtt_note or "")
    assert again.json()["connection"]["quic"]["zero_rtt"] is False


def test_off_by_default(echo: EchoHandle) -> None:
    with reqlab.Client(verify=False, http_version="HTTP/3") as client:
        client.get(f"{echo.tls_url}/echo")
        _fresh_connection(client, echo)
        second = client.get(f"{echo.tls_url}/echo")
    quic = second.exchange.connection.quic  # type: ignore[union-attr]
    assert quic is not None and quic.zero_rtt is False and quic.resumed is True


def test_accepted_async(echo: EchoHandle) -> None:
    import asyncio

    async def main() -> reqlab.Response:
        async with reqlab.AsyncClient(verify=False, http_version="HTTP/3", zero_rtt=True) as c:
            await c.get(f"{echo.tls_url}/echo")
            key = ("https", "127.0.0.1", echo.tls_port, False)
            c.pool.h3.conns.pop(key).close()
            return await c.get(f"{echo.tls_url}/echo")

    second = asyncio.run(main())
    assert second.json()["connection"]["quic"]["zero_rtt"] is True
    quic = second.exchange.connection.quic  # type: ignore[union-attr]
    assert quic is not None and quic.zero_rtt is True
