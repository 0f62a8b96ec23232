"""A tiny HTTP/1.x server of the tests' own, with the habits real servers
have that the echo server does not: it can ignore HTTP/1.0 keep-alive, and
it can drop idle connections with a reset instead of a clean close."""

from __future__ import annotations

import asyncio
import socket
import struct
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest


@dataclass
class Habits:
    honour_http10_keep_alive: bool = True
    idle_close_after: float | None = None  # seconds; None: never close idle connections
    reset_on_idle_close: bool = False


class TinyServer:
    def __init__(self, habits: Habits) -> None:
        self.habits = habits
        self.requests = 0
        self.connections = 0
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(ready,), daemon=True)
        self.thread.start()
        ready.wait(10)
        self.url = f"http://127.0.0.1:{self.port}"

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        self.server = self.loop.run_until_complete(
            asyncio.start_server(self._serve, "127.0.0.1", 0)
        )
        self.port = self.server.sockets[0].getsockname()[1]
        ready.set()
        self.loop.run_forever()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                try:
                    head = await asyncio.wait_for(
                        reader.readuntil(b"\r\n\r\n"), self.habits.idle_close_after
                    )
                except TimeoutError:
                    if self.habits.reset_on_idle_close:
                        sock = writer.get_extra_info("socket")
                        sock.setsockopt(
                            socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                        )
                    writer.close()
                    return
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                if lines[0].startswith("PRI * HTTP/2.0"):
                    writer.write(
                        b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    )
                    return  # an HTTP/2 preface: this server speaks HTTP/1.x only
                self.requests += 1
                version = lines[0].rsplit(" ", 1)[-1]
                connection = " ".join(
                    line.split(":", 1)[1].lower()
                    for line in lines[1:]
                    if line.lower().startswith("connection:")
                )
                if version == "HTTP/1.0":
                    persist = "keep-alive" in connection and self.habits.honour_http10_keep_alive
                else:
                    persist = "close" not in connection
                say = "keep-alive" if persist else "close"
                writer.write(
                    f"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: {say}\r\n\r\nok".encode()
                )
                await writer.drain()
                if not persist:
                    writer.close()
                    return
        finally:
            writer.close()

    def close(self) -> None:
        async def stop() -> None:
            self.server.close()
            serving = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in serving:
                task.cancel()
            await asyncio.gather(*serving, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


@pytest.fixture
def tiny_server() -> Iterator[type[TinyServer]]:
    servers: list[TinyServer] = []

    def start(**habits: object) -> TinyServer:
        server = TinyServer(Habits(**habits))  # type: ignore[arg-type]
        servers.append(server)
        return server

    yield start  # type: ignore[misc]
    for server in servers:
        server.close()
