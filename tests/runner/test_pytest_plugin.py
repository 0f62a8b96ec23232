"""The pytest plugin: ``pytest --reqlab DIR`` collects each Hurl file as a
test item (run here in a child pytest; the installed ``pytest11`` entry point
loads the plugin, or ``-p`` does where the package metadata predates it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from reqlab.echo.testing import EchoHandle


def _plugin_args() -> list[str]:
    from importlib.metadata import entry_points

    installed = any(e.name == "reqlab" for e in entry_points(group="pytest11"))
    return [] if installed else ["-p", "reqlab.runner.pytest_plugin"]


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
            *_plugin_args(),
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
