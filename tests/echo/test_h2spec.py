"""h2spec, the HTTP/2 conformance suite: every case must pass, on h2c and on TLS.

scripts/setup.d/20-echo.sh installs h2spec (go install).  A missing binary
fails the test: conformance is not optional.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator

import pytest

from reqlab.echo.testing import EchoHandle, start_echo_server


def h2spec_binary() -> str:
    found = shutil.which("h2spec")
    if found:
        return found
    candidates = [os.path.expanduser("~/go/bin/h2spec")]
    go = shutil.which("go")
    if go:
        gopath = subprocess.run([go, "env", "GOPATH"], capture_output=True, text=True).stdout
        candidates.insert(0, os.path.join(gopath.strip(), "bin", "h2spec"))
    for path in candidates:
        if os.access(path, os.X_OK):
            return path
    pytest.fail("h2spec is not installed: run scripts/setup (scripts/setup.d/20-echo.sh)")


@pytest.fixture(scope="module")
def echo() -> Iterator[EchoHandle]:
    with start_echo_server(tls=True) as h:  # the real endpoints, as users run it
        yield h


@pytest.mark.parametrize("listener", ["h2c", "tls"])
def test_h2spec_every_case_passes(echo: EchoHandle, listener: str) -> None:
    port = echo.port if listener == "h2c" else echo.tls_port
    args = [h2spec_binary(), "-h", "127.0.0.1", "-p", str(port), "-o", "3"]
    if listener == "tls":
        args += ["-t", "-k"]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=240)
    out = proc.stdout + proc.stderr
    summary = re.search(r"(\d+) tests, (\d+) passed, (\d+) skipped, (\d+) failed", out)
    assert summary, out[-3000:]
    total, passed, skipped, failed = map(int, summary.groups())
    failures = out[out.find("Failures:") :] if "Failures:" in out else ""
    assert (failed, skipped) == (0, 0), failures[-3000:]
    assert passed == total >= 140
    assert proc.returncode == 0
