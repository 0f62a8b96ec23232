"""What a QUIC connection has negotiated, read from aioquic's sans-IO state.

aioquic keeps the peer's transport parameters, the QUIC version and its RTT
estimate in private attributes; every read of one is here and nowhere else,
and ``tests/h3/test_private.py`` pins each of them against the installed
aioquic, so an upgrade that renames one fails a test instead of the record.

    fact                         aioquic attribute (private)
    ---------------------------  -----------------------------------------
    peer's max_idle_timeout      QuicConnection._remote_max_idle_timeout
                                 (written once, by the probe: see below)
    peer's initial_max_streams   QuicConnection._remote_max_streams_bidi
    QUIC version                 QuicConnection._version
    peer's connection id         QuicConnection._peer_cid.cid
    RTT (smoothed, min, latest)  QuicConnection._loss._rtt_smoothed/_min/_latest
    packets lost / retransmitted QuicConnection._loss._on_packets_lost (wrapped:
                                 aioquic counts neither, see count_losses)
    server's listening socket    QuicServer._transport (echo only)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

_VERSIONS = {1: "QUIC v1", 0x6B3343CF: "QUIC v2"}


def version_name(version: int | None) -> str:
    if version is None:
        return "unknown"
    return _VERSIONS.get(version, f"0x{version:08x}")


@dataclass(frozen=True, slots=True)
class Negotiated:
    version: str
    local_idle_timeout: float  # seconds, ours
    peer_idle_timeout: float | None  # seconds; None: the peer set none (no limit)
    peer_max_streams: int  # bidirectional streams the peer lets us open (so far)

    @property
    def idle_timeout(self) -> float:
        """The effective idle timeout (RFC 9000 section 10.1: the smaller one)."""
        if self.peer_idle_timeout:
            return min(self.local_idle_timeout, self.peer_idle_timeout)
        return self.local_idle_timeout


def negotiated(quic: Any) -> Negotiated:
    """``quic``: an ``aioquic.quic.connection.QuicConnection``."""
    return Negotiated(
        version=version_name(quic._version),
        local_idle_timeout=float(quic.configuration.idle_timeout),
        peer_idle_timeout=quic._remote_max_idle_timeout,
        peer_max_streams=int(quic._remote_max_streams_bidi),
    )


@dataclass(frozen=True, slots=True)
class RTT:
    smoothed_ms: float
    min_ms: float | None
    latest_ms: float


def rtt(quic: Any) -> RTT:
    loss = quic._loss
    low = loss._rtt_min
    return RTT(
        smoothed_ms=loss._rtt_smoothed * 1000,
        min_ms=None if math.isinf(low) else low * 1000,
        latest_ms=loss._rtt_latest * 1000,
    )


def peer_cid(quic: Any) -> str:
    """The connection id we send to (the peer's), hex."""
    return bytes(quic._peer_cid.cid).hex()


def forget_peer_idle_timeout(quic: Any) -> float | None:
    """Make our side of ``quic`` ignore the peer's ``max_idle_timeout``, and
    return it.  Only the probe does this: to measure when a server really
    stops answering it must keep its own end open past what the server
    announced (aioquic otherwise drops the connection at the smaller of
    the two).  Called when the handshake completes, before any packet that
    re-arms aioquic's idle timer: the timer reads this attribute each time."""
    announced: float | None = quic._remote_max_idle_timeout
    quic._remote_max_idle_timeout = None
    return announced


@dataclass(slots=True)
class Losses:
    lost: int = 0  # packets loss detection declared lost (RFC 9002 section 6.1)
    retransmitted: int = 0  # ack-eliciting packets whose frames were sent again


def count_losses(quic: Any) -> Losses:
    """Count, from now on, what ``quic``'s loss recovery gives up on.

    aioquic keeps no loss counters: its recovery calls one private method,
    ``_on_packets_lost``, with every packet it stops tracking, either because
    loss detection declared it lost (``congestion_event`` true) or because a
    probe timeout re-sends its data early (false: not a loss, RFC 9002
    section 6.2, but still a retransmission).  Wrapping that method on this
    connection's instance is the one place reqlab hooks aioquic's recovery.
    """
    counts = Losses()
    recovery = quic._loss
    original = recovery._on_packets_lost

    def counted(*, packets: Any, congestion_event: bool = True, **rest: Any) -> None:
        packets = list(packets)  # may be a one-pass iterable: read once, hand on
        if congestion_event:
            counts.lost += len(packets)
        counts.retransmitted += sum(1 for p in packets if p.is_ack_eliciting)
        original(packets=packets, congestion_event=congestion_event, **rest)

    recovery._on_packets_lost = counted
    return counts


def server_transport(server: Any) -> Any:
    """The UDP transport of an ``aioquic.asyncio.server.QuicServer``."""
    return server._transport


def server_socket_port(server: Any) -> int:
    """The UDP port an ``aioquic.asyncio.server.QuicServer`` listens on."""
    return int(server_transport(server).get_extra_info("sockname")[1])
