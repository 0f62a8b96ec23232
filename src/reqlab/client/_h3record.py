"""The record of an HTTP/3 exchange, for both engines.

QUIC has no separate TCP connect: its first round trip (our Initial, the
server's Initial with the ServerHello) is recorded as ``connect``, the rest
of the TLS 1.3 handshake inside QUIC until HANDSHAKE_DONE as ``tls``.
"""

from __future__ import annotations

from dataclasses import replace

from reqlab.client._build import finish
from reqlab.client._h2core import Stream
from reqlab.client._h3core import H3State
from reqlab.client._record import ConnectionInfo, Exchange, KeepAliveInfo, TLSInfo
from reqlab.client._wire import H2Out, h2_record
from reqlab.errors import RequestTimeout
from reqlab.model import Request


class Opened3:
    """How a QUIC connection was opened, in the shape ``finish`` reads."""

    def __init__(self, conn: H3State, dns: float) -> None:
        self.conn = conn
        self.dns = dns * 1000
        self.connect = 0.0
        self.tls = 0.0
        self.tunnel = 0.0

    def fill(self) -> None:
        c = self.conn
        if c.first_reply:
            self.connect = (c.first_reply - c.started) * 1000
        if c.handshake_at and c.first_reply:
            self.tls = (c.handshake_at - c.first_reply) * 1000


def handshake_timeout(addr: tuple[str, int], seconds: float | None) -> RequestTimeout:
    return RequestTimeout(
        f"the QUIC handshake (no answer over UDP from {addr[0]}:{addr[1]})", seconds
    )


def h3_record(
    request: Request,
    out: H2Out,
    stream: Stream,
    stamps: tuple[float, float, float],
    conn: H3State,
    full: bool,
) -> Exchange:
    exchange = h2_record(request, out, stream, stamps, not conn.closed, full)
    exchange.version = exchange.response_version = "HTTP/3"
    exchange.warnings = [w.replace("HTTP/2", "HTTP/3") for w in exchange.warnings]
    if full:
        exchange.keep_alive = KeepAliveInfo(not conn.closed, conn.idle_timeout(), None)
    return exchange


def finish_h3(
    request: Request,
    out: H2Out,
    stream: Stream,
    stamps: tuple[float, float, float],
    conn: H3State,
    opened: Opened3 | None,
    zero_rtt: bool,
    early_note: str | None,
    reason: str,
    t0: float,
    notes: list[str],
    full: bool,
) -> Exchange:
    """The whole record of an HTTP/3 exchange (both engines)."""
    exchange = h3_record(request, out, stream, stamps, conn, full)
    conn.info = connection_info(conn, zero_rtt, early_note)
    if opened is not None:
        opened.fill()
    exchange.version_reason = reason
    return finish(exchange, request, conn, opened is None, opened, t0, notes, full)


def connection_info(conn: H3State, zero_rtt: bool, early_note: str | None) -> ConnectionInfo:
    """The connection's facts as of this exchange (counters move on)."""
    facts = conn.facts()
    facts.zero_rtt = zero_rtt and conn.zero_rtt_accepted
    if zero_rtt and conn.handshake_done and not conn.zero_rtt_accepted:
        facts.zero_rtt_note = (
            "0-RTT was sent but the server rejected it: resent after the handshake"
        )
    else:
        facts.zero_rtt_note = early_note
    if conn.info is not None:
        return replace(conn.info, quic=facts)
    return ConnectionInfo(
        id=conn.id,
        reused=False,
        local=conn.local,
        remote=conn.remote,
        tls=TLSInfo(
            version="TLSv1.3",
            cipher=_cipher(conn),
            alpn="h3",
            verified=conn.quic.configuration.verify_mode != 0,
            server_name=conn.quic.configuration.server_name,
        ),
        http_version="HTTP/3",
        quic=facts,
    )


def _cipher(conn: H3State) -> str | None:
    schedule = conn.quic.tls.key_schedule
    return None if schedule is None else schedule.cipher_suite.name
