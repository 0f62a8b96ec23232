"""``reqlab echo`` as a user runs it: URLs printed, served until SIGTERM, one-line errors."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
from pathlib import Path

from reqlab.cli._exit import Exit
from reqlab.echo.testing import RawConnection

CMD = [sys.executable, "-m", "reqlab", "echo", "--host", "127.0.0.1"]


def start(*args: str) -> tuple[subprocess.Popen, list[str]]:
    proc = subprocess.Popen(
        [*CMD, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    urls = [proc.stdout.readline().strip()]
    if "--tls-self-signed" in args:
        urls.append(proc.stdout.readline().strip())
    return proc, [u.rsplit(" ", 1)[-1] for u in urls]


def test_serves_until_sigterm_and_exits_cleanly() -> None:
    proc, urls = start(
        "--port", "0", "--keep-alive-max", "2", "--tls-self-signed", "--tls-port", "0"
    )
    try:
        assert urls[0].startswith("http://127.0.0.1:") and urls[1].startswith("https://127.0.0.1:")
        port = int(urls[0].rsplit(":", 1)[1])
        with RawConnection("127.0.0.1", port) as c:
            c.send(b"GET /echo HTTP/1.1\r\nHost: x\r\n\r\n")
            r = c.read_response()
            assert r.header("keep-alive") == "timeout=5, max=1"
            assert json.loads(r.body)["connection"]["request_number"] == 1
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0


def test_port_in_use_is_one_line_with_exit_2() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run(
            [*CMD, "--port", str(port)], capture_output=True, text=True, timeout=30
        )
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"reqlab: error: cannot listen on 127.0.0.1 port {port}: address already in use"
    ]


def test_bad_certificate_files_exit_tls(tmp_path: Path) -> None:
    missing = tmp_path / "missing.pem"
    proc = subprocess.run(
        [*CMD, "--port", "0", "--tls-cert", str(missing)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == Exit.TLS
    assert proc.stderr.strip() == f"reqlab: error: cannot read certificate file: {missing}"
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate\n")
    proc = subprocess.run(
        [*CMD, "--port", "0", "--tls-cert", str(junk)], capture_output=True, text=True, timeout=30
    )
    assert proc.returncode == Exit.TLS
    assert proc.stderr.startswith(f"reqlab: error: cannot load certificate {junk}")
    assert "Traceback" not in proc.stderr
