"""The pytest plugin: ``pytest --reqlab DIR`` collects each Hurl file as a
test item (run here in a child pytest, loading the entry-point module
``reqlab_pytest`` by ``-p``, whatever the installed metadata says)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from reqlab.echo.testing import EchoHandle

PLUGIN = ["-p", "no:reqlab", "-p", "reqlab_pytest"]


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
            *PLUGIN,
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


def test_entry_point_tolerates_a_reqlab_without_the_runner(tmp_path: Path) -> None:
    """The entry point is in the installed metadata, the package may come from
    another checkout (PYTHONPATH): then pytest still starts, without --reqlab."""
    other = tmp_path / "other" / "reqlab"
    other.mkdir(parents=True)
    (other / "__init__.py").write_text("")
    (tmp_path / "test_ok.py").write_text("def test_ok():\n    pass\n")
    src = Path(__file__).parents[2] / "src"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", *PLUGIN, "-p", "no:cacheprovider", "-q", "test_ok.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": f"{tmp_path / 'other'}{os.pathsep}{src}"},
    )
    assert "1 passed" in proc.stdout, proc.stdout + proc.stderr
