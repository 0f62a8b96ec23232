"""Real servers for the client tests: nginx, the echo server, a scripted server.

nginx (Debian's nginx-light, installed by scripts/setup.d/40-client.sh)
runs with a temporary config on free ports on 127.0.0.1: a plain listener
with known keep-alive terms, one with a 1 s keep-alive timeout, one that
allows 3 requests per connection, and a TLS listener (a trustme
certificate) with HTTP/2.  The scripted server answers each request as a
test function says, down to closing a kept-alive connection at the worst
moment.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
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
            raise RuntimeError(f"nginx exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.02)  # polling a port nginx is still binding; there is no event to await
    raise RuntimeError(f"nginx did not listen on {port}")


@dataclass
class Nginx:
    url: str  # keepalive_timeout 30, Keep-Alive: timeout=30
    short_url: str  # keepalive_timeout 1, Keep-Alive: timeout=1
    limited_url: str  # keepalive_requests 3
    tls_url: str  # TLS + HTTP/2, certificate for 127.0.0.1
    tls_port: int
    ca_file: str
    root: Path


CONFIG = """
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
    (static / "data.json").write_text("[" + ",".join(['{"name": "reqlab", "items": [1, 2, 3]}'] * 50) + "]")
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


# ------------------------------------------------------------ scripted server

# handler(connection_number, request_number_on_it, raw_request) -> bytes to
# answer with, None to close the connection without answering, or
# (bytes, True) to answer and then close (without saying so).
Handler = Callable[[int, int, bytes], "bytes | None | tuple[bytes, bool]"]


class ScriptedServer:
    """A blocking, thread-per-connection server that does what a test says."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = 0
        self.closed = threading.Event()
        self._threads: list[threading.Thread] = []
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            t = threading.Thread(target=self._serve, args=(conn, self.connections), daemon=True)
            t.start()
            self._threads.append(t)

    def _serve(self, conn: socket.socket, number: int) -> None:
        buf = b""
        count = 0
        with conn:
            while True:
                while b"\r\n\r\n" not in buf:
                    try:
                        chunk = conn.recv(65536)
                    except OSError:
                        return
                    if not chunk:
                        return
                    buf += chunk
                head, _, rest = buf.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                while len(rest) < length:
                    rest += conn.recv(65536)
                raw, buf = head + b"\r\n\r\n" + rest[:length], rest[length:]
                count += 1
                answer = self.handler(number, count, raw)
                close_after = isinstance(answer, tuple)
                if isinstance(answer, tuple):
                    answer = answer[0]
                if answer is not None:
                    conn.sendall(answer)
                if answer is None or close_after:
                    conn.shutdown(socket.SHUT_RDWR)
                    self.closed.set()
                    return

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def scripted() -> Iterator[Callable[[Handler], ScriptedServer]]:
    servers: list[ScriptedServer] = []

    def start(handler: Handler) -> ScriptedServer:
        server = ScriptedServer(handler)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def ok(body: bytes = b"ok", extra: str = "") -> bytes:
    return (
        f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n{extra}\r\n".encode() + body
    )


# ------------------------------------------------------------------- the CLI


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_send(*args: str, stdin: str | None = None, timeout: float = 30) -> Run:
    """``reqlab send ARGS`` in a subprocess, as a user would run it."""
    proc = subprocess.run(
        [sys.executable, "-m", "reqlab", "send", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=timeout,
        env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"},
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)
