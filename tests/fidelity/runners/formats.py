"""The format targets, executed the way a user would use each file.

* ``curl``: the command run with bash.
* ``http``: the message's bytes sent as they are over a socket to the Host
  it names, one response read back (in the test process: no interpreter
  start per case).
* ``har``: replayed the way ``reqlab gen curl request.har | bash`` does it -
  read back by reqlab's HAR reader, written as curl, run by bash - so what
  arrives shows whether the HAR kept everything.
"""

from __future__ import annotations

import http.client
import socket
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fidelity.fixtures import FIXTURES
from fidelity.harness import (
    CASE_TIMEOUT,
    PARALLEL,
    Case,
    Result,
    Runner,
    require_tools,
    run_commands,
)

H2_TEXT = "HTTP/2 has no text form: the message says HTTP/2 on an HTTP/1.x request line"


def send_raw(path: Path) -> Result:
    """Send the message file's bytes to its Host; one response back."""
    data = path.read_bytes()
    head = data.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    method = head[0].split(b" ", 1)[0].decode()
    host = next(h.split(b":", 1)[1].strip() for h in head[1:] if h.lower().startswith(b"host:"))
    name, _, port = host.decode().rpartition(":")
    try:
        with socket.create_connection((name, int(port)), timeout=CASE_TIMEOUT) as sock:
            sock.sendall(data)
            response = http.client.HTTPResponse(sock, method=method)
            response.begin()
            body = response.read().decode("utf-8", "replace")
            return Result(0, f"{response.status} {response.reason}\n{body}", "")
    except (OSError, http.client.HTTPException) as exc:
        return Result(1, "", f"sending {path.name}: {exc!r}")


def har_to_curl(case: Case) -> Path:
    """What ``reqlab gen curl request.har`` writes, as ``replay.sh``."""
    from reqlab.formats import read, write

    parsed = read(case.path.read_bytes(), "har")
    script = write(parsed.request, "curl", read_file=lambda p: (case.workdir / p).read_bytes())
    path = case.workdir / "replay.sh"
    path.write_bytes(script.encode("utf-8", "surrogateescape"))
    return path


class FormatRunner(Runner):
    def __init__(self, fmt: str, expected: dict) -> None:
        super().__init__(runtime=fmt, expected_failures=expected)
        self.fmt = fmt

    def prepare(self, cache_dir: Path) -> None:
        require_tools("bash", "curl")

    def run(self, cases: Sequence[Case]) -> dict[str, Result]:
        if self.fmt == "http":
            with ThreadPoolExecutor(max_workers=max(1, PARALLEL)) as pool:
                results = list(pool.map(send_raw, [c.path for c in cases]))
            return dict(zip([c.id for c in cases], results, strict=True))
        if self.fmt == "har":
            return run_commands((c, ["bash", har_to_curl(c).name]) for c in cases)
        return run_commands((c, ["bash", c.filename]) for c in cases)


class HttpFormatRunner(FormatRunner):
    """The ``http`` format: HTTP/2 has no text form, for written and drawn
    requests alike (a body in a file is embedded, as `reqlab gen http` does)."""

    def expected_failure(self, target: str, fixture: str) -> str | None:
        version = FIXTURES[fixture].build("http://127.0.0.1:1").version
        return H2_TEXT if version == "HTTP/2" else None


RUNNERS: dict[str, Runner] = {
    "curl": FormatRunner("curl", {}),
    "http": HttpFormatRunner("http", {}),
    "har": FormatRunner("har", {}),
}
