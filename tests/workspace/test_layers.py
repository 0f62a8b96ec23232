"""The workspace's pure layers stay pure: the format modules import no
engine, surface or I/O library (see the layering rules in /work/shared)."""

from __future__ import annotations

import subprocess
import sys

PURE = [
    "reqlab.formats.httpfile",
    "reqlab.formats.httpfile.resolve",
    "reqlab.formats.httpfile.convert",
    "reqlab.formats.httpfile.envfiles",
    "reqlab.formats.httpfile.authspec",
    "reqlab.formats.response_query",
    "reqlab.formats.collections",
    "reqlab.formats.postman",
    "reqlab.formats.postman_write",
    "reqlab.formats.openapi",
    "reqlab.formats.har_collection",
    "reqlab.formats.insomnia",
    "reqlab.formats.bruno",
    "reqlab.formats.single",
]
FORBIDDEN = [
    "asyncio",
    "socket",
    "ssl",
    "reqlab.client",
    "reqlab.workspace",
    "reqlab.cli",
    "reqlab.web",
]


def test_format_modules_import_no_engine_or_io() -> None:
    code = (
        "import sys, importlib\n"
        f"for m in {PURE!r}: importlib.import_module(m)\n"
        f"print(sorted(m for m in {FORBIDDEN!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
