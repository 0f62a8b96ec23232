"""The websockets library's own echo server, for benchmarks/ws.py.

    python benchmarks/_ws_peer.py PORT

As its documentation writes it (``async for message in websocket: await
websocket.send(message)``), on uvloop like reqlab echo; compression is left
at its default (the load generator does not offer it, so none is used).
"""

from __future__ import annotations

import asyncio
import sys

import uvloop
from websockets.asyncio.server import ServerConnection, serve


async def echo(websocket: ServerConnection) -> None:
    async for message in websocket:
        await websocket.send(message)


async def main(port: int) -> None:
    async with serve(echo, "127.0.0.1", port, max_size=1 << 20):
        await asyncio.get_running_loop().create_future()


if __name__ == "__main__":
    uvloop.run(main(int(sys.argv[1])))
