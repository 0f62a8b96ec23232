"""Code for an HTTP/3 request: curl's --http3-only where curl can speak it,
a warning naming what goes out instead everywhere else.  The curl command
is run here: against the echo server's QUIC listener when this curl has
HTTP3, otherwise to show it refuses the option as the warning says."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from reqlab.codegen import generate
from reqlab.echo.testing import start_echo_server
from reqlab.formats.curl import read_curl
from reqlab.model import Request

CURL = shutil.which("curl")


def _curl_has_http3() -> bool:
    if CURL is None:
        return False
    out = subprocess.run([CURL, "--version"], capture_output=True, text=True, check=True).stdout
    features = next((line for line in out.splitlines() if line.startswith("Features:")), "")
    return "HTTP3" in features.split()


@pytest.mark.parametrize("target", ["curl", "shell-curl"])
def test_curl_targets_ask_for_http3_only(target: str) -> None:
    snippet = generate(Request(url="https://127.0.0.1:8443/echo", version="HTTP/3"), target)
    assert "--http3-only" in snippet.code
    assert any("curl --version` lists HTTP3" in w for w in snippet.warnings)
    assert not any("cannot be chosen" in w for w in snippet.warnings)
    assert read_curl(snippet.code).request.version == "HTTP/3"  # it reads back


def test_curl_reads_http3_options() -> None:
    for option in ("--http3", "--http3-only"):
        parsed = read_curl(f"curl {option} https://example.org/")
        assert parsed.request.version == "HTTP/3"
        assert not any("http3" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    ("target", "tcp"),
    [
        ("python-requests", "HTTP/1.1"),
        ("python-httpx", "HTTP/2 or HTTP/1.1"),
        ("go-nethttp", "HTTP/2 or HTTP/1.1"),
    ],
)
def test_other_targets_declare_the_tcp_fallback(target: str, tcp: str) -> None:
    snippet = generate(Request(url="https://x/echo", version="HTTP/3"), target)
    assert any("HTTP/3 cannot be chosen" in w and f"over TCP ({tcp}" in w for w in snippet.warnings)


@pytest.mark.skipif(CURL is None, reason="no curl")
def test_the_curl_command_runs_as_its_warning_says() -> None:
    with start_echo_server(tls=True, http3=True) as echo:
        request = Request(url=f"https://127.0.0.1:{echo.h3_port}/echo", version="HTTP/3")
        code = generate(request, "curl").code.replace("curl ", "curl -k -s ", 1)
        run = subprocess.run(["bash", "-c", code], capture_output=True, text=True, timeout=60)
    if _curl_has_http3():
        assert run.returncode == 0, run.stderr
        assert json.loads(run.stdout)["http_version"] == "HTTP/3"
    else:  # Debian 12's curl: built without HTTP/3, it refuses the option (exit 2)
        assert run.returncode == 2
        assert "--http3-only" in run.stderr and "doesn't support" in run.stderr
