"""Packets lost and retransmitted reach the record: a relay that drops every
5th datagram from the client between it and the echo server's listener."""

from __future__ import annotations

import asyncio
import base64

from tests.h3.lossy_relay import LossyRelay

import reqlab
from reqlab.echo.testing import start_echo_server

BODY = bytes(range(256)) * 800  # 200 KB: about 170 packets from the client


def test_losses_on_a_lossy_path_sync() -> None:
    with (
        start_echo_server(tls=True, http3=True) as echo,
        LossyRelay(("127.0.0.1", echo.h3_port), drop_every=5) as relay,
        reqlab.Client(verify=False, http_version="HTTP/3", timeout=30) as client,
    ):
        response = client.post(f"https://127.0.0.1:{relay.port}/echo", content=BODY)
        dropped = relay.dropped
    assert response.status_code == 200
    assert base64.b64decode(response.json()["body"]) == BODY  # recovered, byte for byte
    quic = response.exchange.connection.quic  # type: ignore[union-attr]
    assert quic is not None
    assert dropped > 0
    assert quic.packets_lost > 0, quic
    assert quic.packets_retransmitted >= 1
    record = response.exchange.to_json()["connection"]["quic"]["packets"]
    assert record == {"lost": quic.packets_lost, "retransmitted": quic.packets_retransmitted}


def test_losses_on_a_lossy_path_async_and_the_body_arrives_whole() -> None:
    async def main(url: str) -> reqlab.Response:
        async with reqlab.AsyncClient(verify=False, http_version="HTTP/3", timeout=30) as client:
            return await client.post(url, content=BODY)

    with (
        start_echo_server(tls=True, http3=True) as echo,
        LossyRelay(("127.0.0.1", echo.h3_port), drop_every=5) as relay,
    ):
        response = asyncio.run(main(f"https://127.0.0.1:{relay.port}/echo"))
    assert response.status_code == 200
    assert base64.b64decode(response.json()["body"]) == BODY
    quic = response.exchange.connection.quic  # type: ignore[union-attr]
    assert quic is not None and quic.packets_lost > 0


def test_no_losses_on_loopback() -> None:
    with (
        start_echo_server(tls=True, http3=True) as echo,
        reqlab.Client(verify=False, http_version="HTTP/3") as client,
    ):
        response = client.post(f"{echo.tls_url}/echo", content=BODY[:20000])
    quic = response.exchange.connection.quic  # type: ignore[union-attr]
    # (a probe timeout may still re-send a packet early on a loaded machine:
    # a retransmission, not a loss)
    assert quic is not None and quic.packets_lost == 0
