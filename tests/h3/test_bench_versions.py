"""``reqlab bench --compare-versions`` against the echo server."""

from __future__ import annotations

import json

from click.testing import CliRunner

from reqlab.cli.bench import bench
from reqlab.echo.testing import start_echo_server


def test_each_version_with_and_without_reuse() -> None:
    with start_echo_server(tls=True, http3=True) as echo:
        args = ["-k", "-n", "6", "-c", "2", "--compare-versions", "--output", "json"]
        result = CliRunner().invoke(bench, [*args, f"{echo.tls_url}/echo"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output.strip().splitlines()[-1])
    assert set(data["versions"]) == {"HTTP/1.1", "HTTP/2", "HTTP/3"}
    h3 = data["versions"]["HTTP/3"]
    assert h3["reuse"]["requests"] == 6 and h3["reuse"]["errors"] == 0
    assert h3["reuse"]["connections_opened"] == 2  # one per worker
    assert h3["no_reuse"]["connections_opened"] == 6


def test_plain_http_runs_http11_only() -> None:
    with start_echo_server() as echo:
        args = ["-n", "4", "-c", "1", "--compare-versions", "--output", "json"]
        result = CliRunner().invoke(bench, [*args, f"{echo.url}/echo"])
    data = json.loads(result.output.strip().splitlines()[-1])
    assert list(data["versions"]) == ["HTTP/1.1"]
    assert data["skipped"] == {"HTTP/2": "needs https://", "HTTP/3": "needs https://"}
