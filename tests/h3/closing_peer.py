"""A QUIC server (aioquic) that closes the connection as soon as a request's
headers arrive: CONNECTION_CLOSE mid-request, with a known code and reason."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aioquic.asyncio.protocol import QuicConnectionProtocol
from aioquic.asyncio.server import serve
from aioquic.h3.connection import H3_ALPN, H3Connection
from aioquic.h3.events import HeadersReceived
from aioquic.quic.configuration import QuicConfiguration
from aioquic.quic.events import QuicEvent
from cryptography import x509
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from reqlab.echo.tls import self_signed_pem

CODE = 0x10C  # H3_REQUEST_CANCELLED
REASON = "closing for the test"


class Closer(QuicConnectionProtocol):
    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.h3 = H3Connection(self._quic)

    def quic_event_received(self, event: QuicEvent) -> None:
        for h3_event in self.h3.handle_event(event):
            if isinstance(h3_event, HeadersReceived):
                # a moment later, once the handshake is confirmed: an application
                # close in 1-RTT (earlier, aioquic sends it as a transport close)
                asyncio.get_running_loop().call_later(0.05, self._close)

    def _close(self) -> None:
        self._quic.close(error_code=CODE, reason_phrase=REASON)
        self.transmit()


@contextmanager
def closing_server() -> Iterator[int]:
    cert, key = self_signed_pem()
    config = QuicConfiguration(is_client=False, alpn_protocols=H3_ALPN)
    config.certificate = x509.load_pem_x509_certificate(cert)
    config.private_key = load_pem_private_key(key, None)  # type: ignore[assignment]
    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(
        serve("127.0.0.1", 0, configuration=config, create_protocol=Closer)
    )
    port = server._transport.get_extra_info("sockname")[1]  # type: ignore[union-attr]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        loop.call_soon_threadsafe(server.close)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()
