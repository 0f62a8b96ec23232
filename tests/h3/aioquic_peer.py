"""aioquic's own HTTP/3 client, as an independent peer for the echo server's tests."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aioquic.asyncio import QuicConnectionProtocol, connect
from aioquic.h3.connection import H3_ALPN, H3Connection
from aioquic.h3.events import DataReceived, H3Event, HeadersReceived
from aioquic.quic.configuration import QuicConfiguration
from aioquic.quic.events import QuicEvent
from aioquic.tls import SessionTicket


class Peer(QuicConnectionProtocol):
    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.h3 = H3Connection(self._quic)
        self.waiting: dict[int, asyncio.Future[tuple[list[tuple[bytes, bytes]], bytes]]] = {}
        self.parts: dict[int, tuple[list[tuple[bytes, bytes]], bytearray]] = {}

    def quic_event_received(self, event: QuicEvent) -> None:
        for h3_event in self.h3.handle_event(event):
            self._h3(h3_event)

    def _h3(self, event: H3Event) -> None:
        if isinstance(event, HeadersReceived):
            self.parts[event.stream_id] = (event.headers, bytearray())
        elif isinstance(event, DataReceived):
            self.parts[event.stream_id][1].extend(event.data)
        else:
            return
        if event.stream_ended:
            headers, body = self.parts.pop(event.stream_id)
            self.waiting.pop(event.stream_id).set_result((headers, bytes(body)))

    async def request(
        self, method: str, authority: str, path: str, body: bytes = b"", early: bool = False
    ) -> tuple[dict[str, str], bytes]:
        stream_id = self._quic.get_next_available_stream_id()
        future = asyncio.get_running_loop().create_future()
        self.waiting[stream_id] = future
        self.h3.send_headers(
            stream_id,
            [
                (b":method", method.encode()),
                (b":scheme", b"https"),
                (b":authority", authority.encode()),
                (b":path", path.encode()),
                (b"x-peer", b"aioquic"),
            ],
            end_stream=not body,
        )
        if body:
            self.h3.send_data(stream_id, body, end_stream=True)
        self.transmit()
        headers, data = await asyncio.wait_for(future, 5)
        return {k.decode(): v.decode() for k, v in headers}, data


def client_config(ticket: SessionTicket | None = None) -> QuicConfiguration:
    config = QuicConfiguration(is_client=True, alpn_protocols=H3_ALPN, verify_mode=0)
    config.session_ticket = ticket
    return config


async def get_json(
    port: int, paths: list[str], ticket: SessionTicket | None = None, **kw: Any
) -> tuple[list[Any], list[SessionTicket]]:
    """GET each path concurrently on one connection; the JSON answers and tickets got."""
    tickets: list[SessionTicket] = []
    async with connect(
        "127.0.0.1",
        port,
        configuration=client_config(ticket),
        create_protocol=Peer,
        session_ticket_handler=tickets.append,
        wait_connected=ticket is None,
    ) as peer:
        assert isinstance(peer, Peer)
        answers = await asyncio.gather(
            *(peer.request("GET", f"127.0.0.1:{port}", p, **kw) for p in paths)
        )
        await asyncio.sleep(0.05)  # the ticket comes after the handshake
    return [json.loads(body) for _, body in answers], tickets
