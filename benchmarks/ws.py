"""Benchmark the echo server's WebSocket relay against the websockets library's echo server.

    python benchmarks/ws.py [--duration 5] [--rounds 3] [--connections 64] [--size 16]

* Each server alone on CPU 1 (taskset), the load generator on CPU 0; servers
  measured in turn within each round, median of the rounds.
* reqlab: ``reqlab echo`` and ``/ws?reflect=0`` (plain echo, no greeting);
  websockets: benchmarks/_ws_peer.py, the library's documented echo server.
* Load: N connections, each in a closed loop (send one small text message,
  wait for its echo, send the next) for the duration.  The generator is
  written on raw asyncio protocols (uvloop) with one pre-masked frame per
  connection, so that it is not the bottleneck: it never parses more than
  the echoed frame's length, and neither server is offered compression.
* Figures: messages echoed per second of wall time, and per second of
  server CPU time (user+sys from /proc) - the figure that holds when other
  work shares the machine.

Needs taskset, uvloop and websockets (scripts/setup.d/45-ws.sh).  Every
figure is measured here, now.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
SERVER_CPU = "1"
CLIENT_CPU = "0"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def running(cmd: list[str], port: int) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(
        ["taskset", "-c", SERVER_CPU, *cmd],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start: {cmd}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            time.sleep(0.05)
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def servers(port: int) -> dict[str, tuple[list[str], str]]:
    return {
        "reqlab": (
            [sys.executable, "-m", "reqlab", "echo", "--port", str(port)],
            "/ws?reflect=0",
        ),
        "websockets": ([sys.executable, str(HERE / "_ws_peer.py"), str(port)], "/"),
    }


def load(port: int, path: str, connections: int, duration: float, size: int) -> int:
    """Run the load generator on CLIENT_CPU; the number of echoes it counted."""
    out = subprocess.run(
        [
            "taskset",
            "-c",
            CLIENT_CPU,
            sys.executable,
            __file__,
            "--load",
            str(port),
            path,
            str(connections),
            str(duration),
            str(size),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip())


# -- the load generator (runs in its own process) ------------------------------


class _Client:
    """One connection in a closed loop: write the frame, wait for the echo, repeat."""

    def __init__(self, frame: bytes, echo_len: int, stop: float, done: asyncio.Future[int]) -> None:
        self.frame, self.echo_len, self.stop, self.done = frame, echo_len, stop, done
        self.buf = b""
        self.upgraded = False
        self.pending = 0
        self.count = 0
        self.loop = asyncio.get_running_loop()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        if not self.upgraded:
            self.buf += data
            end = self.buf.find(b"\r\n\r\n")
            if end == -1:
                return
            assert self.buf.startswith(b"HTTP/1.1 101"), self.buf[:60]
            self.upgraded = True
            data, self.buf = self.buf[end + 4 :], b""
            self._send()
        self.pending += len(data)
        while self.pending >= self.echo_len:
            self.pending -= self.echo_len
            self.count += 1
            if self.loop.time() >= self.stop:
                if not self.done.done():
                    self.done.set_result(self.count)
                return
            self._send()

    def _send(self) -> None:
        assert self.transport is not None
        self.transport.write(self.frame)

    def eof_received(self) -> bool:
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.done.done():
            self.done.set_result(self.count)

    def pause_writing(self) -> None: ...
    def resume_writing(self) -> None: ...


async def _generate(port: int, path: str, connections: int, duration: float, size: int) -> int:
    payload = b"x" * size
    mask = b"\x01\x02\x03\x04"
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    frame = bytes([0x81, 0x80 | size]) + mask + masked
    key = base64.b64encode(os.urandom(16)).decode()
    head = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    ).encode()
    loop = asyncio.get_running_loop()
    stop = loop.time() + 3600
    clients: list[_Client] = []
    futures: list[asyncio.Future[int]] = []
    for _ in range(connections):
        fut: asyncio.Future[int] = loop.create_future()
        tr, proto = await loop.create_connection(
            lambda f=fut: _Client(frame, 2 + size, stop, f),  # type: ignore[misc]
            "127.0.0.1",
            port,
        )
        clients.append(proto)
        futures.append(fut)
    start = loop.time()
    for c in clients:
        c.stop = start + duration
        assert c.transport is not None
        c.transport.write(head)
    counts = await asyncio.gather(*futures)
    for c in clients:
        if c.transport is not None:
            c.transport.abort()
    return sum(counts)


def _load_main(argv: list[str]) -> None:
    import uvloop

    port, path, connections, duration, size = argv
    n = uvloop.run(_generate(int(port), path, int(connections), float(duration), int(size)))
    print(n)


# -- the benchmark -------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--duration", type=float, default=5.0)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--size", type=int, default=16, help="message bytes (< 126)")
    args = ap.parse_args()
    wall: dict[str, list[float]] = {}
    per_cpu: dict[str, list[float]] = {}
    for r in range(args.rounds):
        for name in ("reqlab", "websockets"):
            port = free_port()
            cmd, path = servers(port)[name]
            with running(cmd, port) as proc:
                before = cpu_seconds(proc.pid)
                t0 = time.monotonic()
                n = load(port, path, args.connections, args.duration, args.size)
                elapsed = time.monotonic() - t0
                cpu = cpu_seconds(proc.pid) - before
            wall.setdefault(name, []).append(n / args.duration)
            per_cpu.setdefault(name, []).append(n / cpu if cpu else 0.0)
            print(
                f"round {r + 1} {name:<10} {n / args.duration:>9,.0f} msg/s wall  "
                f"{n / cpu if cpu else 0:>9,.0f} msg/s per server CPU s  "
                f"(cpu {cpu:.2f} s in {elapsed:.1f} s)",
                flush=True,
            )
    print(
        f"\nmedian of {args.rounds} rounds, {args.connections} connections, {args.size}-byte text:"
    )
    for name in ("reqlab", "websockets"):
        print(
            f"  {name:<10} {statistics.median(wall[name]):>9,.0f} msg/s wall  "
            f"{statistics.median(per_cpu[name]):>9,.0f} msg/s per server CPU second"
        )
    ratio_wall = statistics.median(wall["reqlab"]) / statistics.median(wall["websockets"])
    ratio_cpu = statistics.median(per_cpu["reqlab"]) / statistics.median(per_cpu["websockets"])
    print(f"  reqlab / websockets: {ratio_wall:.2f}x wall, {ratio_cpu:.2f}x per server CPU second")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--load":
        _load_main(sys.argv[2:])
    else:
        main()
