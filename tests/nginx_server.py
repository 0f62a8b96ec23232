"""nginx (Debian's nginx-light, installed by scripts/setup.d/40-client.sh) as
a session fixture, for every test area that needs a second real server.

It runs with a temporary config on free ports on 127.0.0.1: a plain
listener with known keep-alive terms, one with a 1 s keep-alive timeout, one
that allows 3 requests per connection, and a TLS listener (a trustme
certificate) with HTTP/2.  Use it with
``from nginx_server import Nginx, ca, nginx  # noqa: F401``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import trustme

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port: int, proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(
                0.02
            )  # polling a port the server is still binding; there is no event to await
    raise RuntimeError(f"{proc.args[0]} did not listen on {port}")


def started_on_free_port(
    start: Callable[[int], subprocess.Popen[bytes]], taken: set[int] | None = None
) -> tuple[int, subprocess.Popen[bytes]]:
    """Start a server on a free port (``start(port)``).  A port found free can
    be taken again before the server binds it (by another test worker, or
    handed out twice by the kernel), and the server then exits: try a new
    one.  ``taken``: ports this caller already uses."""
    taken = set() if taken is None else taken
    for _ in range(5):
        port = free_port()
        if port in taken:
            continue
        proc = start(port)
        try:
            wait_listening(port, proc)
        except RuntimeError:
            proc.kill()
            proc.wait()
            continue
        taken.add(port)
        return port, proc
    raise RuntimeError("no server started on five free ports")


@dataclass
class Nginx:
    url: str  # keepalive_timeout 30, Keep-Alive: timeout=30
    short_url: str  # keepalive_timeout 1, Keep-Alive: timeout=1
    limited_url: str  # keepalive_requests 3
    tls_url: str  # TLS + HTTP/2, certificate for 127.0.0.1
    tls_port: int
    ca_file: str
    root: Path


# The start of every config: one worker in the foreground, everything it
# writes under {d}; the http block stays open for the servers.
PREAMBLE = """
daemon off;
worker_processes 1;
{user}
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 256; }}
http {{
  access_log off;
  client_body_temp_path {d}/tmp; proxy_temp_path {d}/tmp; fastcgi_temp_path {d}/tmp;
  uwsgi_temp_path {d}/tmp; scgi_temp_path {d}/tmp;
"""

CONFIG = (
    PREAMBLE
    + """
  default_type text/plain;
  gzip on; gzip_types text/plain application/json; gzip_min_length 1;
  keepalive_requests 1000;
  server {{
    listen 127.0.0.1:{p1};
    keepalive_timeout 30 30;
    include {d}/locations.conf;
  }}
  server {{
    listen 127.0.0.1:{p2};
    keepalive_timeout 1 1;
    include {d}/locations.conf;
  }}
  server {{
    listen 127.0.0.1:{p3};
    keepalive_timeout 30 30;
    keepalive_requests 3;
    include {d}/locations.conf;
  }}
  server {{
    listen 127.0.0.1:{p4} ssl http2;
    ssl_certificate {d}/cert.pem;
    ssl_certificate_key {d}/key.pem;
    keepalive_timeout 30 30;
    include {d}/locations.conf;
  }}
}}
"""
)
LOCATIONS = """
location = / { return 200 "hello\\n"; }
location = /redirect { return 302 /; }
location = /redirect-post { return 301 /; }
location = /loop { return 302 /loop; }
location /static/ { alias %s/static/; }
location /slow { return 200 "late\\n"; }
"""


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="session")
def nginx(tmp_path_factory: pytest.TempPathFactory, ca: trustme.CA) -> Iterator[Nginx]:
    if not os.path.exists(NGINX):
        pytest.fail("nginx is not installed (scripts/setup.d/40-client.sh installs nginx-light)")
    d = tmp_path_factory.mktemp("nginx")
    (d / "tmp").mkdir()
    static = d / "static"
    static.mkdir()
    (static / "big.txt").write_bytes(b"0123456789abcdef" * 65536)  # 1 MiB
    (static / "data.json").write_text(
        "[" + ",".join(['{"name": "reqlab", "items": [1, 2, 3]}'] * 50) + "]"
    )
    cert = ca.issue_cert("127.0.0.1", "localhost")
    cert.private_key_pem.write_to_path(str(d / "key.pem"))
    cert.cert_chain_pems[0].write_to_path(str(d / "cert.pem"))
    ca.cert_pem.write_to_path(str(d / "ca.pem"))
    for path in (d, static, *static.iterdir()):
        path.chmod(0o755)
    ports = [free_port() for _ in range(4)]
    (d / "locations.conf").write_text(LOCATIONS % d)
    user = "user root;" if os.geteuid() == 0 else ""
    conf = CONFIG.format(d=d, user=user, p1=ports[0], p2=ports[1], p3=ports[2], p4=ports[3])
    (d / "nginx.conf").write_text(conf)
    proc = subprocess.Popen(
        [NGINX, "-p", str(d), "-c", str(d / "nginx.conf"), "-e", str(d / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for port in ports:
            wait_listening(port, proc)
        yield Nginx(
            url=f"http://127.0.0.1:{ports[0]}",
            short_url=f"http://127.0.0.1:{ports[1]}",
            limited_url=f"http://127.0.0.1:{ports[2]}",
            tls_url=f"https://127.0.0.1:{ports[3]}",
            tls_port=ports[3],
            ca_file=str(d / "ca.pem"),
            root=d,
        )
    finally:
        proc.terminate()
        proc.wait(timeout=10)
