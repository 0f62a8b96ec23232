"""AsyncClient.websocket() against a real HTTP/2 server without RFC 8441: nginx.

nginx speaks HTTP/2 but never offers SETTINGS_ENABLE_CONNECT_PROTOCOL, so a
WebSocket cannot be a stream of the client's HTTP/2 connection to it.  The
client must then open it as an HTTP/1.1 upgrade on a connection of its own
(as browsers do), and leave the pooled HTTP/2 connection to the requests.
Here nginx terminates TLS with HTTP/2 and passes WebSocket upgrades on to
the echo server, as it would in front of an application.
"""

from __future__ import annotations

import asyncio
import gc
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import trustme

import reqlab
from nginx_server import NGINX, PREAMBLE, ca, started_on_free_port  # noqa: F401
from reqlab.echo.testing import start_echo_server

CONFIG = (
    PREAMBLE
    + """
  server {{
    listen 127.0.0.1:{port} ssl http2;
    ssl_certificate {d}/cert.pem;
    ssl_certificate_key {d}/key.pem;
    location = / {{ return 200 "hello\\n"; }}
    location /ws {{
      proxy_pass http://127.0.0.1:{echo};
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection "upgrade";
    }}
  }}
}}
"""
)


@dataclass
class Front:
    url: str  # https://, HTTP/2 by ALPN
    ws_url: str  # wss://, the same port
    ca_file: str


@pytest.fixture(scope="module")
def front(tmp_path_factory: pytest.TempPathFactory, ca: trustme.CA) -> Iterator[Front]:  # noqa: F811
    if not os.path.exists(NGINX):
        pytest.fail("nginx is not installed (scripts/setup.d/40-client.sh installs nginx-light)")
    d = tmp_path_factory.mktemp("nginx-ws")
    (d / "tmp").mkdir()
    cert = ca.issue_cert("127.0.0.1")
    cert.private_key_pem.write_to_path(str(d / "key.pem"))
    cert.cert_chain_pems[0].write_to_path(str(d / "cert.pem"))
    ca.cert_pem.write_to_path(str(d / "ca.pem"))
    d.chmod(0o755)
    with start_echo_server() as echo:
        port, proc = _nginx(d, echo.port)
        try:
            base = f"127.0.0.1:{port}"
            yield Front(f"https://{base}", f"wss://{base}", str(d / "ca.pem"))
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def _nginx(d: Path, echo_port: int) -> tuple[int, subprocess.Popen[bytes]]:
    user = "user root;" if os.geteuid() == 0 else ""

    def start(port: int) -> subprocess.Popen[bytes]:
        (d / "nginx.conf").write_text(CONFIG.format(d=d, user=user, port=port, echo=echo_port))
        return subprocess.Popen(
            [NGINX, "-p", str(d), "-c", str(d / "nginx.conf"), "-e", str(d / "error.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    return started_on_free_port(start)


def test_without_rfc8441_the_websocket_upgrades_over_http11_and_requests_keep_http2(
    front: Front,
) -> None:
    async def go() -> None:
        async with reqlab.AsyncClient(cafile=front.ca_file) as client:
            first = await client.get(front.url + "/")
            conn = first.exchange.connection
            assert first.http_version == "HTTP/2" and conn is not None
            ws = await client.websocket(front.ws_url + "/ws?reflect=0")
            # not a stream of the HTTP/2 connection: an upgrade on one of its own
            assert ws.record.http_version == "HTTP/1.1" and ws.record.status == 101
            assert ws.record.reused is False and ws.record.connection_id != conn.id
            assert ws.record.timings.connect > 0 and ws.record.timings.tls > 0
            await ws.send("through nginx")
            assert await ws.recv(timeout=5) == "through nginx"
            # requests made while it is open still go on the pooled HTTP/2 connection
            during = await client.get(front.url + "/")
            assert during.http_version == "HTTP/2" and during.exchange.connection is not None
            assert during.exchange.connection.id == conn.id and during.exchange.connection.reused
            await ws.close()
            assert ws.record.close is not None and ws.record.close.code == 1000

    asyncio.run(asyncio.wait_for(go(), 20))
    gc.collect()  # a transport left open warns here


def test_a_websocket_first_still_falls_back_and_pools_the_http2_connection(
    front: Front,
) -> None:
    """With no request before it, the WebSocket opens the HTTP/2 connection to
    learn the server's SETTINGS, finds no RFC 8441, and upgrades over HTTP/1.1;
    the connection it opened stays pooled for the requests that follow."""

    async def go() -> None:
        async with reqlab.AsyncClient(cafile=front.ca_file) as client:
            ws = await client.websocket(front.ws_url + "/ws?reflect=0")
            assert ws.record.http_version == "HTTP/1.1"
            await ws.send(b"\x00\x01binary")
            assert await ws.recv(timeout=5) == b"\x00\x01binary"
            await ws.close()
            after = await client.get(front.url + "/")
            assert after.http_version == "HTTP/2" and after.exchange.connection is not None
            assert after.exchange.connection.reused  # the one the WebSocket opened

    asyncio.run(asyncio.wait_for(go(), 20))
    gc.collect()
