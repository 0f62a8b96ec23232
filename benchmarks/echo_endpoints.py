"""In-process cost of the echo endpoints: microseconds per handle() call.

    python benchmarks/echo_endpoints.py [--calls 20000] [--runs 5]

No sockets: this measures only what the endpoints add on top of the
connection layer (benchmarks/echo.py measures the server as a whole).  For
scale, the connection layer's built-in fallback reflection runs the same
requests.  Prints the median of several runs.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from reqlab.echo._fallback import handle as fallback_handle
from reqlab.echo._types import ConnectionInfo, EchoRequest, KeepAliveInfo
from reqlab.echo.endpoints import handle

HEADERS = [("Host", "127.0.0.1:8081"), ("User-Agent", "wrk"), ("Accept", "*/*")]
MULTIPART = (
    b'--B\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n'
    b'--B\r\nContent-Disposition: form-data; name="f"; filename="x.bin"\r\n'
    b"Content-Type: application/octet-stream\r\n\r\n" + bytes(range(256)) * 16 + b"\r\n--B--\r\n"
)

CASES = {
    "GET /echo": ("GET", "/echo", [], b""),
    "POST /echo json": (
        "POST",
        "/echo",
        [("Content-Type", "application/json")],
        b'{"a": [1, 2, 3]}',
    ),
    "POST /echo multipart 4KiB": (
        "POST",
        "/echo",
        [("Content-Type", "multipart/form-data; boundary=B")],
        MULTIPART,
    ),
    "GET /get": ("GET", "/get?a=1", [], b""),
    "GET /status/204": ("GET", "/status/204", [], b""),
}


def request(method: str, target: str, extra: list[tuple[str, str]], body: bytes) -> EchoRequest:
    headers = HEADERS + extra
    head = f"{method} {target} HTTP/1.1\r\n" + "".join(f"{n}: {v}\r\n" for n, v in headers)
    return EchoRequest(
        method=method,
        target=target,
        http_version="HTTP/1.1",
        headers=headers,
        body=body,
        connection=ConnectionInfo(1, 1, "127.0.0.1:40000", 8081, "http"),
        keep_alive=KeepAliveInfo(True, 5.0, 99),
        raw_head=(head + "\r\n").encode(),
    )


async def per_call(handler, req: EchoRequest, calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        await handler(req)
    return (time.perf_counter() - start) / calls * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"{'case':28} {'endpoints us':>13} {'fallback us':>12}")
    for name, case in CASES.items():
        req = request(*case)
        ours = statistics.median(
            asyncio.run(per_call(handle, req, args.calls)) for _ in range(args.runs)
        )
        base = statistics.median(
            asyncio.run(per_call(fallback_handle, req, args.calls)) for _ in range(args.runs)
        )
        print(f"{name:28} {ours:13.1f} {base:12.1f}")


if __name__ == "__main__":
    main()
