"""``reqlab probe`` and ``reqlab bench`` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from reqlab.cli._exit import Exit
from reqlab.echo.testing import start_echo_server


def reqlab(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reqlab", *args], capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="module")
def echo():
    with start_echo_server(keep_alive_timeout=1, keep_alive_max=6) as handle:
        yield handle


def test_probe_json_report(echo):
    run = reqlab("probe", "--max-idle", "3", "--output", "json", echo.url + "/echo")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["max_requests"] == 6
    assert report["idle_timeout"] == pytest.approx(1.0, rel=0.5)  # precision: test_probe_wire
    assert report["http10_keep_alive"] is True
    assert report["recommendation"]["pool_idle_timeout"] < 1.0
    assert report["limits"] == {"max_idle": 3.0, "max_requests": 200}


def test_probe_text_report_has_a_verdict_per_line(echo):
    run = reqlab("probe", "--max-idle", "3", echo.url + "/echo")
    assert run.returncode == 0, run.stderr
    for line in (
        "HTTP/1.0 keep-alive",
        "idle timeout",
        "max requests",
        "Recommended client settings",
    ):
        assert line in run.stdout
    assert "at most 200 requests, idle up to 3 s" in run.stderr


def test_probe_refuses_non_idempotent_methods_without_force(echo):
    run = reqlab("probe", "POST", echo.url + "/echo")
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and "--force" in run.stderr and "Traceback" not in run.stderr


def test_probe_connection_refused_is_one_line():
    run = reqlab("probe", "http://127.0.0.1:9/")
    assert run.returncode == Exit.CONNECT
    assert (
        run.stderr.strip()
        .splitlines()[-1]
        .startswith("reqlab: error: cannot connect to 127.0.0.1:9")
    )
    assert "Traceback" not in run.stderr


def test_bench_json(echo):
    run = reqlab("bench", "-n", "30", "-c", "3", "--output", "json", echo.url + "/echo")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["reuse"]["connections_opened"] == 6  # 3 workers x 10 requests, 6 per connection
    assert data["no_reuse"]["connections_opened"] == 30


def test_bench_plot_writes_a_png(echo, tmp_path):
    pytest.importorskip("matplotlib")
    png = tmp_path / "latency.png"
    run = reqlab("bench", "-n", "20", "--plot", str(png), echo.url + "/echo")
    assert run.returncode == 0, run.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bench_exports_a_locust_file_that_compiles(tmp_path, echo):
    out = tmp_path / "locustfile.py"
    run = reqlab(
        "bench",
        "--export",
        "locust",
        "-o",
        str(out),
        "-H",
        "X-Trace: 1",
        "POST",
        echo.url + "/post",
        "name=reqlab",
    )
    assert run.returncode == 0, run.stderr
    code = out.read_text()
    compile(code, str(out), "exec")
    assert "'X-Trace': '1'" in code and 'b\'{"name":"reqlab"}\'' in code and "FastHttpUser" in code
