"""``reqlab bench`` numbers are consistent with what the server saw."""

from __future__ import annotations

import asyncio

from reqlab.echo._types import EchoRequest
from reqlab.echo.endpoints import handle
from reqlab.echo.testing import start_echo_server
from reqlab.model import Request
from reqlab.probe import BenchSettings, bench


def counting_server():
    seen: set[int] = set()

    async def handler(request: EchoRequest):
        seen.add(request.connection.id)
        return await handle(request)

    return seen, start_echo_server(handler=handler)


def test_reuse_opens_one_connection_per_worker_and_no_reuse_one_per_request():
    seen, server = counting_server()
    with server as echo:
        result = asyncio.run(
            bench(Request("GET", echo.url + "/echo"), BenchSettings(requests=60, concurrency=3))
        )
    assert result.reuse.completed == 60 and result.fresh.completed == 60
    assert result.reuse.errors == 0 and result.fresh.errors == 0
    assert result.reuse.connections == 3
    assert result.fresh.connections == 60
    assert len(seen) == 63  # the server saw exactly the connections the records say
    data = result.to_json()
    assert data["saving"]["connections_saved"] == 57
    for mode in ("reuse", "no_reuse"):
        lat = data[mode]["latency_ms"]
        assert 0 < lat["p50"] <= lat["p90"] <= lat["p99"] <= lat["max"]
        assert data[mode]["throughput_rps"] > 0


def test_the_server_limit_shows_in_connections_opened():
    with start_echo_server(keep_alive_max=10) as echo:
        result = asyncio.run(
            bench(Request("GET", echo.url + "/echo"), BenchSettings(requests=40, concurrency=1))
        )
    assert result.reuse.connections == 4  # 40 requests, 10 per connection
    assert result.fresh.connections == 40


def test_duration_mode_runs_for_the_time_given():
    with start_echo_server() as echo:
        result = asyncio.run(
            bench(Request("GET", echo.url + "/echo"), BenchSettings(duration=0.3, concurrency=2))
        )
    assert 0.3 <= result.reuse.elapsed < 1.5
    assert result.reuse.completed > 0 and result.fresh.completed > 0


def test_errors_are_counted_not_raised():
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens here now
    result = asyncio.run(
        bench(Request("GET", f"http://127.0.0.1:{port}/"), BenchSettings(requests=4, concurrency=2))
    )
    assert result.reuse.errors == 4 and result.reuse.completed == 0
    assert result.reuse.error_kinds == {"ConnectError": 4}
    assert result.to_json()["reuse"]["latency_ms"]["p50"] is None
