"""Caddy (Debian's build) as a second HTTP/3 implementation, run by the tests.

Started as a child process with a Caddyfile in a temporary directory:
``tls internal`` (Caddy's own local CA, never installed into the system
trust), its admin API off, HTTP/1.1, HTTP/2 and HTTP/3 on free 127.0.0.1
ports; the TLS port answers on TCP and UDP.  ``/hello`` is answered by
Caddy itself, everything else is proxied to a reqlab echo server.
"""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

CADDY = shutil.which("caddy")
needs_caddy = pytest.mark.skipif(
    CADDY is None, reason="caddy not installed (scripts/setup.d/50-h3.sh)"
)


@dataclass
class Caddy:
    port: int  # TLS: TCP and UDP

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"


def _free_port() -> int:
    """A port free on both TCP and UDP."""
    while True:
        with socket.socket() as tcp:
            tcp.bind(("127.0.0.1", 0))
            port = tcp.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                try:
                    udp.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port


CADDYFILE = """\
{{
    admin off
    auto_https disable_redirects
    skip_install_trust
    local_certs
    default_sni 127.0.0.1
    http_port {http_port}
    https_port {port}
    storage file_system {root}/data
    servers {{
        protocols h1 h2 h3
    }}
}}
https://127.0.0.1:{port} {{
    tls internal
    respond /hello "hello from caddy" 200
    reverse_proxy {upstream}
}}
"""


_HELLO = b"GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


def _ready(port: int, deadline: float) -> None:
    ctx = ssl.create_default_context()
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    while time.monotonic() < deadline:
        try:
            with (
                socket.create_connection(("127.0.0.1", port), timeout=1) as raw,
                ctx.wrap_socket(raw) as sock,
            ):
                sock.sendall(_HELLO)
                if sock.recv(100).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            pass
        time.sleep(0.1)  # a child process starting: nothing to await
    raise RuntimeError("caddy did not start")


@contextmanager
def run_caddy(tmp: Path, upstream: str) -> Iterator[Caddy]:
    assert CADDY is not None
    port = _free_port()
    conf = tmp / "Caddyfile"
    conf.write_text(
        CADDYFILE.format(port=port, http_port=_free_port(), root=tmp, upstream=upstream)
    )
    env = {
        **os.environ,
        "HOME": str(tmp),
        "XDG_DATA_HOME": str(tmp / "xdg"),
        "XDG_CONFIG_HOME": str(tmp / "cfg"),
    }
    proc = subprocess.Popen(
        [CADDY, "run", "--config", str(conf), "--adapter", "caddyfile"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp / "caddy.log", "wb"),  # noqa: SIM115
    )
    try:
        _ready(port, time.monotonic() + 20)
        yield Caddy(port)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
