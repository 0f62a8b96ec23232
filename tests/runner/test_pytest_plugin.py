"""The pytest plugin: ``pytest --reqlab DIR`` collects each Hurl file as a
test item (run here in a child pytest, with the plugin loaded by -p as the
installed ``pytest11`` entry point would load it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from reqlab.echo.testing import EchoHandle


def test_each_hurl_file_is_a_test_item(tmp_path: Path, echo: EchoHandle) -> None:
    api = tmp_path / "api"
    api.mkdir()
    (api / "ok.hurl").write_text("GET {{base}}/echo\nHTTP 200\n")
    (api / "bad.hurl").write_text(
        'GET {{base}}/echo\nHTTP 200\n[Asserts]\njsonpath "$.method" == "PUT"\n'
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "reqlab.runner.pytest_plugin",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(tmp_path),
            "--reqlab",
            str(api),
            "--reqlab-variable",
            f"base={echo.url}",
            "-q",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTEST_ADDOPTS": ""},
    )
    out = proc.stdout
    assert "1 failed, 1 passed" in out, out + proc.stderr
    assert "expected: string <PUT>" in out and "bad.hurl:4:1" in out
