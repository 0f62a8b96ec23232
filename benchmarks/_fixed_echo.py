"""reqlab's connection layer with a fixed answer instead of the reflection.

benchmarks/echo.py runs it to separate the cost of the connection layer
(parsing, persistence, framing, timers) from the cost of the endpoints.
"""

from __future__ import annotations

import asyncio
import sys

from reqlab.echo._types import EchoRequest, EchoResponse
from reqlab.echo.server import EchoOptions, EchoServer, new_event_loop

BODY = b'{"method": "GET", "path": "/echo"}'
HEADERS = [("Content-Type", "application/json")]


async def fixed(request: EchoRequest) -> EchoResponse:
    return EchoResponse(200, HEADERS, BODY)


def main() -> None:
    loop = new_event_loop()
    asyncio.set_event_loop(loop)
    options = EchoOptions(port=int(sys.argv[1]), keep_alive_max=10**9, keep_alive_timeout=300)
    options.handler = fixed
    server = EchoServer(options)
    loop.run_until_complete(server.start())
    loop.run_until_complete(server.serve_until_signalled())


if __name__ == "__main__":
    main()
