"""The echo server's per-request Python cost, in process (no sockets, no event-loop I/O).

    python benchmarks/echo_hotpath.py [--requests 50000] [--runs 5]

Feeds whole keep-alive requests to one ``EchoProtocol`` whose transport only
collects what is written, and reports the CPU time per request (best of the
runs: the least disturbed by other work on the machine) for ``GET /echo``,
a curl-like ``GET /echo`` whose query and headers differ in every request
(nothing repeats byte for byte), and a small JSON ``POST /echo``, through
the real handler.  This is the
part of benchmarks/echo.py's figure that Python code decides; the rest is
the event loop and the system calls.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

from reqlab.echo.connection import EchoProtocol
from reqlab.echo.server import EchoOptions, EchoServer, new_event_loop

REQUESTS: dict[str, bytes | list[bytes]] = {
    "GET /echo": b"GET /echo HTTP/1.1\r\nHost: 127.0.0.1:8081\r\n\r\n",
    "GET /echo?n=... (varying)": [
        b"GET /echo?n=%d&page=%d HTTP/1.1\r\nHost: 127.0.0.1:8081\r\nUser-Agent: curl/8.5.0\r\n"
        b"Accept: */*\r\nX-Request-Id: %08x\r\n\r\n" % (i, i % 7, i * 2654435761 % 2**32)
        for i in range(1000)
    ],
    "POST /echo (JSON)": b"POST /echo HTTP/1.1\r\nHost: 127.0.0.1:8081\r\n"
    b'Content-Type: application/json\r\nContent-Length: 13\r\n\r\n{"a": [1, 2]}',
}


class _Transport:
    """Just enough of an asyncio transport for EchoProtocol."""

    def __init__(self) -> None:
        self.written = 0

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 50000), "sockname": ("127.0.0.1", 8081)}.get(
            name, default
        )

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        pass

    def write(self, data: bytes) -> None:
        self.written += 1


async def measure(request: bytes | list[bytes], count: int, runs: int) -> float:
    server = EchoServer(EchoOptions(keep_alive_max=10**9, keep_alive_timeout=300))
    server.loop = asyncio.get_running_loop()
    proto = EchoProtocol(server, "http")
    transport = _Transport()
    proto.connection_made(transport)  # type: ignore[arg-type]
    pool = request if isinstance(request, list) else [request]
    feed = [pool[i % len(pool)] for i in range(count)]
    for data in feed[:1000]:  # warm up (and the first request, which takes the general path)
        proto.data_received(data)
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        for data in feed:
            proto.data_received(data)
        best = min(best, time.process_time() - start)
    if transport.written != min(1000, count) + runs * count:
        raise RuntimeError("not every request was answered")
    return best / count


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--requests", type=int, default=50_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    loop = new_event_loop()
    try:
        for name, request in REQUESTS.items():
            seconds = loop.run_until_complete(measure(request, args.requests, args.runs))
            print(f"{name:26} {seconds * 1e6:6.2f} us of CPU per request (best of {args.runs})")
    finally:
        loop.close()


if __name__ == "__main__":
    main()
