"""64 concurrent requests against ``reqlab echo``: AsyncClient, aiohttp, httpx.

Used by ``benchmarks/client.py`` (same run as the sequential table).  Each
client sends ``n`` GETs from ``CONCURRENCY`` tasks at once, over HTTP/1.1
(up to 64 connections) and over HTTP/2 (h2c with prior knowledge: one
connection, multiplexed).  aiohttp speaks no HTTP/2, so it has no h2 row.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable

CONCURRENCY = 64
PATH = "/get"


def start_echo() -> tuple[subprocess.Popen[bytes], str]:
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
    for _ in range(500):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.02)
    return proc, f"http://127.0.0.1:{port}{PATH}"


async def _spread(n: int, one: Callable[[], Awaitable[None]]) -> None:
    async def worker(count: int) -> None:
        for _ in range(count):
            await one()

    share, extra = divmod(n, CONCURRENCY)
    await asyncio.gather(*(worker(share + (i < extra)) for i in range(CONCURRENCY)))


async def reqlab_run(url: str, n: int, h2: bool, record: bool = True) -> None:
    import reqlab

    version = "HTTP/2" if h2 else "HTTP/1.1"
    async with reqlab.AsyncClient(http_version=version, cookies=False) as client:
        client.sizes.record = record

        async def one() -> None:
            r = await client.get(url)
            assert r.status_code == 200 and r.http_version == version

        await _spread(n, one)


async def aiohttp_run(url: str, n: int, h2: bool) -> None:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one() -> None:
            async with session.get(url) as r:
                await r.read()
                assert r.status == 200

        await _spread(n, one)


async def httpx_run(url: str, n: int, h2: bool) -> None:
    import httpx

    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(http1=not h2, http2=h2, limits=limits) as client:

        async def one() -> None:
            r = await client.get(url)
            assert r.status_code == 200 and r.http_version == ("HTTP/2" if h2 else "HTTP/1.1")

        await _spread(n, one)


async def reqlab_bare(url: str, n: int, h2: bool) -> None:
    await reqlab_run(url, n, h2, record=False)


CLIENTS: dict[str, Callable[[str, int, bool], Awaitable[None]]] = {
    "reqlab.AsyncClient": reqlab_run,
    "reqlab.AsyncClient/no-record": reqlab_bare,
    "aiohttp": aiohttp_run,
    "httpx.AsyncClient": httpx_run,
}


def measure(name: str, url: str, n: int, h2: bool) -> tuple[float, float]:
    """(requests per second, client CPU microseconds per request) for ``n``
    requests, 64 at a time, after a warm-up.  CPU is this process only: the
    server's share of a busy machine does not count."""
    run = CLIENTS[name]
    asyncio.run(run(url, CONCURRENCY, h2))
    t, cpu = time.perf_counter(), time.process_time()
    asyncio.run(run(url, n, h2))
    return n / (time.perf_counter() - t), (time.process_time() - cpu) / n * 1e6
