"""64 concurrent requests against ``reqlab echo``: AsyncClient, aiohttp, httpx.

Used by ``benchmarks/client.py`` (same run as the sequential table).  Each
client sends ``n`` GETs from ``CONCURRENCY`` tasks at once, over HTTP/1.1
(up to 64 connections) and over HTTP/2 (h2c with prior knowledge: one
connection, multiplexed).  aiohttp speaks no HTTP/2, so it has no h2 row.

Fairness on a small shared machine:

* the echo server is a separate process; with two or more CPUs it is pinned
  to the last one and this (client) process to the others, so that client
  and server do not take turns on one core;
* every client runs on the same event loop implementation (asyncio's by
  default, ``uvloop`` on request) and sends the same request headers
  (``HEADERS``), so the echo's reflected answers are the same size too;
* the caller interleaves the clients round by round, rotating who goes
  first, and reports medians;
* besides requests per second (which the machine's other work moves), each
  client's own CPU time (user + system, this process only) per request is
  measured: what else runs moves it far less than the wall-clock rate,
  so it is the figure to compare when the machine is loaded.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

CONCURRENCY = 64
PATH = "/get"
# Every client sends these (plus Host) and no others, so that each request
# and each reflected answer is the same size whoever sends it.
HEADERS = {"Accept": "*/*", "Accept-Encoding": "identity", "User-Agent": "reqlab-bench/1"}


def cpus() -> list[int]:
    return sorted(os.sched_getaffinity(0))


def start_echo(pin: bool) -> tuple[subprocess.Popen[bytes], str, str]:
    """Start ``reqlab echo`` on a free port: (process, URL, where it runs)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "reqlab",
            "echo",
            "--port",
            str(port),
            "--tls-port",
            "0",
            "--keep-alive-max",
            "1000000",
        ],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    placement = "server and client unpinned"
    mine = cpus()
    if pin and len(mine) >= 2:
        os.sched_setaffinity(proc.pid, {mine[-1]})
        os.sched_setaffinity(0, set(mine[:-1]))
        placement = (
            f"server pinned to CPU {mine[-1]}, client to CPU {','.join(map(str, mine[:-1]))}"
        )
    for _ in range(500):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.02)
    return proc, f"http://127.0.0.1:{port}{PATH}", placement


def loop_factory(name: str) -> Callable[[], asyncio.AbstractEventLoop]:
    if name == "uvloop":
        import uvloop

        return uvloop.new_event_loop
    return asyncio.new_event_loop


async def _spread(n: int, one: Callable[[], Awaitable[None]]) -> None:
    async def worker(count: int) -> None:
        for _ in range(count):
            await one()

    share, extra = divmod(n, CONCURRENCY)
    await asyncio.gather(*(worker(share + (i < extra)) for i in range(CONCURRENCY)))


async def reqlab_run(url: str, n: int, h2: bool, record: bool = True) -> None:
    import reqlab

    version = "HTTP/2" if h2 else "HTTP/1.1"
    async with reqlab.AsyncClient(http_version=version, cookies=False, headers=HEADERS) as client:
        client.sizes.record = record

        async def one() -> None:
            r = await client.get(url)
            assert r.status_code == 200 and r.http_version == version
            assert r.content

        await _spread(n, one)


async def aiohttp_run(url: str, n: int, h2: bool) -> None:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(connector=connector, headers=HEADERS) as session:

        async def one() -> None:
            async with session.get(url) as r:
                assert await r.read()
                assert r.status == 200

        await _spread(n, one)


async def httpx_run(url: str, n: int, h2: bool) -> None:
    import httpx

    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(http1=not h2, http2=h2, limits=limits, headers=HEADERS) as client:
        client.headers.pop("Connection", None)  # its default; keep-alive is HTTP/1.1's own

        async def one() -> None:
            r = await client.get(url)
            assert r.status_code == 200 and r.http_version == ("HTTP/2" if h2 else "HTTP/1.1")
            assert r.content

        await _spread(n, one)


async def reqlab_bare(url: str, n: int, h2: bool) -> None:
    await reqlab_run(url, n, h2, record=False)


CLIENTS: dict[str, Callable[[str, int, bool], Awaitable[None]]] = {
    "reqlab.AsyncClient": reqlab_run,
    "reqlab.AsyncClient/no-record": reqlab_bare,
    "aiohttp": aiohttp_run,
    "httpx.AsyncClient": httpx_run,
}


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) that process ``pid`` has used so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(
    name: str, url: str, n: int, h2: bool, loop: str = "asyncio", server: int | None = None
) -> tuple[float, float, float]:
    """(requests per second, client CPU microseconds per request, server CPU
    microseconds per request) for ``n`` requests, 64 at a time, after a
    warm-up.  Client CPU is this process only (user + system): the rest of
    a busy machine does not count in it.  The server's (``server`` is its
    pid) is read from /proc, to 10 ms ticks."""
    run = CLIENTS[name]
    factory: Any = loop_factory(loop)
    with asyncio.Runner(loop_factory=factory) as runner:
        runner.run(run(url, CONCURRENCY * 2, h2))
        served = process_cpu(server) if server else 0.0
        t, cpu = time.perf_counter(), time.process_time()
        runner.run(run(url, n, h2))
        wall, cpu = time.perf_counter() - t, time.process_time() - cpu
        served = (process_cpu(server) - served) if server else 0.0
    return n / wall, cpu / n * 1e6, served / n * 1e6
