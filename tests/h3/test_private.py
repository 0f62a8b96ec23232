"""Pins every private aioquic attribute reqlab reads (see reqlab.protocol.quic)."""

from __future__ import annotations

import asyncio

from aioquic.asyncio.server import QuicServer
from aioquic.h3.connection import H3_ALPN
from aioquic.quic.configuration import QuicConfiguration
from aioquic.quic.connection import QuicConnection

from reqlab.protocol.quic import (
    negotiated,
    rtt,
    server_socket_port,
    server_transport,
    version_name,
)


def test_connection_attributes_exist_with_their_meaning() -> None:
    quic = QuicConnection(configuration=QuicConfiguration(is_client=True, alpn_protocols=H3_ALPN))
    assert quic._remote_max_idle_timeout is None  # set from the peer's transport parameters
    assert quic._remote_max_streams_bidi == 0
    assert quic._version is None  # chosen at connect()
    loss = quic._loss
    assert (loss._rtt_smoothed, loss._rtt_latest) == (0.0, 0.0)
    assert loss._rtt_min == float("inf")
    facts = negotiated(quic)
    assert facts.version == "unknown" and facts.peer_max_streams == 0
    assert facts.idle_timeout == quic.configuration.idle_timeout
    assert rtt(quic).min_ms is None


def test_version_names() -> None:
    assert version_name(1) == "QUIC v1"
    assert version_name(0x6B3343CF) == "QUIC v2"
    assert version_name(0xFF00001D) == "0xff00001d"


def test_server_transport_attribute() -> None:
    async def main() -> int:
        loop = asyncio.get_running_loop()
        config = QuicConfiguration(is_client=False)
        transport, server = await loop.create_datagram_endpoint(
            lambda: QuicServer(configuration=config), local_addr=("127.0.0.1", 0)
        )
        try:
            assert server._transport is transport
            assert server_transport(server) is transport
            return server_socket_port(server)
        finally:
            transport.close()

    assert asyncio.run(main()) > 0


def test_idle_timeout_event_is_recognised() -> None:
    """aioquic's idle timer's ConnectionTerminated, as _h3core recognises it."""
    from aioquic.quic.events import ConnectionTerminated
    from aioquic.quic.packet import QuicErrorCode, QuicFrameType

    from reqlab.client._h3core import _is_idle_timeout

    quic = QuicConnection(configuration=QuicConfiguration(is_client=True, idle_timeout=0.1))
    quic.connect(("127.0.0.1", 9), now=0.0)
    quic.datagrams_to_send(now=0.0)
    quic.handle_timer(now=100.0)  # far past the idle timeout
    event = quic.next_event()
    assert isinstance(event, ConnectionTerminated) and _is_idle_timeout(event)
    assert event.frame_type == QuicFrameType.PADDING
    assert event.error_code == QuicErrorCode.INTERNAL_ERROR


def test_forgetting_the_peers_idle_timeout_lets_ours_rule() -> None:
    """The probe's connections outlive the server's announced idle timeout:
    aioquic reads ``_remote_max_idle_timeout`` each time it re-arms its idle
    timer (``_idle_timeout``), so clearing it leaves our own figure."""
    from reqlab.protocol.quic import forget_peer_idle_timeout

    quic = QuicConnection(configuration=QuicConfiguration(is_client=True, idle_timeout=50.0))
    quic._remote_max_idle_timeout = 1.0  # as the peer's transport parameters set it
    assert quic._idle_timeout() == 1.0
    assert forget_peer_idle_timeout(quic) == 1.0
    assert quic._remote_max_idle_timeout is None
    assert quic._idle_timeout() == 50.0


def test_loss_recovery_hands_every_dropped_packet_to_one_method() -> None:
    """``count_losses`` wraps ``QuicPacketRecovery._on_packets_lost``: aioquic
    calls it by keyword, with ``congestion_event`` false for a probe
    timeout's early re-send.  An Initial that is never answered is re-sent
    on the probe timeout: a retransmission, not a loss."""
    import inspect

    from aioquic.quic.recovery import QuicPacketRecovery

    from reqlab.protocol.quic import count_losses

    params = inspect.signature(QuicPacketRecovery._on_packets_lost).parameters
    assert {"congestion_event", "now", "packets", "persistent_congestion", "space"} <= set(params)
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for n, p in params.items() if n != "self")
    quic = QuicConnection(configuration=QuicConfiguration(is_client=True, alpn_protocols=H3_ALPN))
    counts = count_losses(quic)
    quic.connect(("127.0.0.1", 9), now=0.0)
    quic.datagrams_to_send(now=0.0)
    timer = quic.get_timer()
    assert timer is not None
    quic.handle_timer(now=timer)  # the probe timeout: the Initial's CRYPTO is re-sent
    assert counts.retransmitted >= 1 and counts.lost == 0
    assert quic.datagrams_to_send(now=timer)  # and it does leave again
