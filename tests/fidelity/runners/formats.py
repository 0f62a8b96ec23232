"""The format targets, executed the way a user would use each file.

* ``curl``: the command run with bash.
* ``http``: the message's bytes sent as they are over a socket to the Host
  it names (``_rawsend.py``), one response read back.
* ``har``: replayed as ``reqlab gen curl request.har | bash`` - the HAR is
  read back by reqlab's reader and sent by curl, so what arrives shows
  whether the HAR kept everything.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from fidelity.harness import Case, Result, Runner, require_tools, run_commands

RAWSEND = Path(__file__).with_name("_rawsend.py")
FILE_BODY = "the raw message embeds the body, and code generation reads no files"
H2_TEXT = "HTTP/2 has no text form: the message says HTTP/2 on an HTTP/1.x request line"
H2C_UPGRADE = (
    "curl's --http2 over plain http asks for an h2c upgrade, so the request itself goes as "
    "HTTP/1.1 with Upgrade headers (shell-curl writes --http2-prior-knowledge instead)"
)


class FormatRunner(Runner):
    def __init__(self, fmt: str, expected: dict) -> None:
        super().__init__(runtime=fmt, expected_failures=expected)
        self.fmt = fmt

    def prepare(self, cache_dir: Path) -> None:
        require_tools("bash", "curl")

    def argv(self, case: Case) -> list[str]:
        if self.fmt == "http":
            return [sys.executable, "-I", str(RAWSEND), case.filename]
        if self.fmt == "har":
            replay = f"{sys.executable} -m reqlab gen curl {case.filename} | bash"
            return ["bash", "-o", "pipefail", "-c", replay]
        return ["bash", case.filename]

    def run(self, cases: Sequence[Case]) -> dict[str, Result]:
        return run_commands((c, self.argv(c)) for c in cases)


RUNNERS: dict[str, Runner] = {
    "curl": FormatRunner(
        "curl", {"http2_connection_headers": H2C_UPGRADE, "http2_post": H2C_UPGRADE}
    ),
    "http": FormatRunner(
        "http",
        {
            "multipart_file": FILE_BODY,
            "multipart_files": FILE_BODY,
            "binary_file": FILE_BODY,
            "http2_connection_headers": H2_TEXT,
            "http2_post": H2_TEXT,
        },
    ),
    "har": FormatRunner(
        "har", {"http2_connection_headers": H2C_UPGRADE, "http2_post": H2C_UPGRADE}
    ),
}
