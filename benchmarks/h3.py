"""HTTP/3 figures: reqlab's client (HTTP/3 vs its own HTTP/2) and echo server.

    python benchmarks/h3.py                 # 1,000 requests x 3 rounds
    python benchmarks/h3.py -n 300 -r 2     # quicker

1. Client: Caddy (Debian's, started here with ``tls internal``) answers
   ``/hello`` itself on one port over TCP (HTTP/2) and UDP (HTTP/3).  N
   sequential GETs on one connection with reqlab.Client and
   reqlab.AsyncClient, HTTP/2 then HTTP/3; the goal is HTTP/3 >= 0.5x HTTP/2.
   Then one HTTP/3 run under cProfile: where the time goes, by package.
2. Echo server: ``reqlab echo``'s HTTP/3 listener against aioquic's own
   example server (``--aioquic-examples DIR``: its examples/ directory from a
   checkout, as it is not in the wheel; http3_server.py with demo.py's POST
   /echo) and a bare aioquic server answering a fixed body, each in its own
   process, loaded by the same client: C concurrent streams on one
   connection (reqlab.AsyncClient), N requests.  All servers run at once
   and each round loads every one of them in turn (interleaved, so the
   machine's load changes hit them alike).  The load generator is the limit
   of req/s, so the comparison is by the server's CPU per request (user +
   system, from /proc).  Goal: >= 1.5x.
Medians of the rounds are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.h3.caddy import run_caddy  # noqa: E402

import reqlab  # noqa: E402
import reqlab.errors  # noqa: E402

now = time.perf_counter


def sync_rate(url: str, version: str, n: int) -> float:
    with reqlab.Client(verify=False, http_version=version) as client:
        client.get(url)  # the connection is open before the clock starts
        t0 = now()
        for _ in range(n):
            client.get(url)
        return n / (now() - t0)


def async_rate(url: str, version: str, n: int) -> float:
    async def main() -> float:
        async with reqlab.AsyncClient(verify=False, http_version=version) as client:
            await client.get(url)
            t0 = now()
            for _ in range(n):
                await client.get(url)
            return n / (now() - t0)

    return asyncio.run(main())


def concurrent_rate(url: str, n: int, concurrency: int, body: bytes | None = None) -> float:
    async def main() -> float:
        async with reqlab.AsyncClient(verify=False, http_version="HTTP/3") as client:
            await client.get(url)
            left = iter(range(n))

            async def worker() -> None:
                while next(left, None) is not None:
                    if body is None:
                        response = await client.get(url)
                    else:
                        response = await client.post(url, content=body)
                    assert response.status_code == 200

            t0 = now()
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            return n / (now() - t0)

    return asyncio.run(main())


def where_time_goes(url: str, n: int) -> list[tuple[str, float]]:
    profile = cProfile.Profile()
    profile.runcall(sync_rate, url, "HTTP/3", n)
    stats = pstats.Stats(profile)
    by_package: dict[str, float] = {}
    total = 0.0
    for (filename, _line, _name), row in stats.stats.items():  # type: ignore[attr-defined]
        tottime = row[2]
        total += tottime
        for mark, label in (
            ("aioquic/quic/", "aioquic QUIC (packets, ACKs, recovery)"),
            ("aioquic/h3/", "aioquic HTTP/3 + QPACK"),
            ("aioquic/", "aioquic other (TLS, buffers)"),
            ("cryptography", "cryptography (AEAD)"),
            ("reqlab/", "reqlab"),
            ("selectors", "socket I/O and waiting"),
        ):
            if mark in filename:
                by_package[label] = by_package.get(label, 0.0) + tottime
                break
        else:
            by_package[_builtin(str(_name))] = by_package.get(_builtin(str(_name)), 0.0) + tottime
    return sorted(((k, v / total * 100) for k, v in by_package.items()), key=lambda kv: -kv[1])


def _builtin(name: str) -> str:
    """Where a C function's time belongs (cProfile names no file for them)."""
    if "_crypto" in name or "crypt" in name or "protect" in name:
        return "AEAD + header protection (aioquic's C)"
    if "_buffer" in name or "Buffer" in name:
        return "aioquic buffers (C)"
    if any(word in name for word in ("select", "recv", "send", "socket")):
        return "socket I/O and waiting"
    return "other (stdlib, builtins)"


# ------------------------------------------------------------------ servers
def serve_peer(port_file: str) -> None:
    """Run a bare aioquic HTTP/3 server (200, a fixed JSON body) until killed."""
    from aioquic.asyncio.protocol import QuicConnectionProtocol
    from aioquic.asyncio.server import serve
    from aioquic.h3.connection import H3_ALPN, H3Connection
    from aioquic.h3.events import HeadersReceived
    from aioquic.quic.configuration import QuicConfiguration
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    from reqlab.echo.server import new_event_loop
    from reqlab.echo.tls import self_signed_pem

    body = b'{"hello": "world"}\n'

    class Answer(QuicConnectionProtocol):
        def __init__(self, *args: Any, **kw: Any) -> None:
            super().__init__(*args, **kw)
            self.h3 = H3Connection(self._quic)

        def quic_event_received(self, event: Any) -> None:
            for ev in self.h3.handle_event(event):
                if isinstance(ev, HeadersReceived) and ev.stream_ended:
                    headers = [(b":status", b"200"), (b"content-length", b"%d" % len(body))]
                    self.h3.send_headers(ev.stream_id, headers)
                    self.h3.send_data(ev.stream_id, body, end_stream=True)
                    self.transmit()

    cert, key = self_signed_pem()
    config = QuicConfiguration(is_client=False, alpn_protocols=H3_ALPN)
    config.certificate = x509.load_pem_x509_certificate(cert)
    config.private_key = load_pem_private_key(key, None)  # type: ignore[assignment]
    loop = new_event_loop()  # the loop the echo server gets (uvloop when installed)
    server = loop.run_until_complete(
        serve("127.0.0.1", 0, configuration=config, create_protocol=Answer)
    )
    Path(port_file).write_text(str(server._transport.get_extra_info("sockname")[1]))  # type: ignore[union-attr]
    loop.run_forever()


@contextmanager
def child(
    argv: list[str], port_of: Callable[[], int | None], cwd: Path | None = None
) -> Iterator[tuple[int, int]]:
    """A server in its own process (the client must not share its GIL)."""
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
    try:
        deadline = time.monotonic() + 20
        while (port := port_of()) is None:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"{argv[0]} did not start")
            time.sleep(0.05)  # waiting for another process: nothing to await
        yield port, proc.pid
    finally:
        proc.terminate()
        proc.wait(10)


def cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_round(
    url: str, pid: int, n: int, c: int, body: bytes | None = None
) -> tuple[float, float, float]:
    """One round: (req/s, wall seconds, server CPU microseconds per request)."""
    before = cpu_seconds(pid)
    t0 = now()
    rate = concurrent_rate(url, n, c, body)
    return rate, now() - t0, (cpu_seconds(pid) - before) / n * 1e6


def _read_port(path: Path) -> int | None:
    text = path.read_text() if path.exists() else ""
    return int(text) if text.strip().isdigit() else None


def _udp_answers(port: int) -> int | None:
    """The port once reqlab echo answers HTTP/3 on it."""
    try:
        with reqlab.Client(verify=False, http_version="HTTP/3", timeout=0.3) as client:
            client.get(f"https://127.0.0.1:{port}/echo")
        return port
    except reqlab.errors.ReqlabError:
        return None


BODY = b'{"hello": "world"}'


def example_server(examples: Path, tmp: Path) -> tuple[list[str], Callable[[], int | None]]:
    """aioquic's examples/http3_server.py serving examples/demo.py (from a checkout)."""
    from reqlab.echo.tls import self_signed_pem

    cert, key = self_signed_pem()
    (tmp / "cert.pem").write_bytes(cert)
    (tmp / "key.pem").write_bytes(key)
    port = _free_port()
    cmd = [
        sys.executable,
        str(examples / "http3_server.py"),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "-c",
        str(tmp / "cert.pem"),
        "-k",
        str(tmp / "key.pem"),
        "demo:app",
    ]

    def answers() -> int | None:
        try:
            with reqlab.Client(verify=False, http_version="HTTP/3", timeout=0.3) as client:
                client.post(f"https://127.0.0.1:{port}/echo", content=BODY)
            return port
        except reqlab.errors.ReqlabError:
            return None

    return cmd, answers


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.bind(("127.0.0.1", 0))
        return int(udp.getsockname()[1])


def median_of(rounds: int, run: Callable[[], float]) -> float:
    return statistics.median(run() for _ in range(rounds))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("-r", "--rounds", type=int, default=3)
    parser.add_argument("-c", "--concurrency", type=int, default=16)
    parser.add_argument("--servers-only", action="store_true", help="skip part 1 (the client)")
    parser.add_argument("--serve-peer", metavar="PORT_FILE", help=argparse.SUPPRESS)
    parser.add_argument(
        "--aioquic-examples",
        metavar="DIR",
        help="aioquic's examples/ directory (a checkout): also run its http3_server.py",
    )
    args = parser.parse_args()
    if args.serve_peer:
        serve_peer(args.serve_peer)
        return
    n, rounds = args.n, args.rounds

    if not args.servers_only:
        client_figures(n, rounds)
    server_figures(args, n, rounds)


def client_figures(n: int, rounds: int) -> None:
    print(f"1. client, {n} sequential GETs on one connection, Caddy /hello, median of {rounds}")
    with tempfile.TemporaryDirectory() as tmp, run_caddy(Path(tmp), "127.0.0.1:9") as caddy:
        url = f"{caddy.url}/hello"
        for engine, rate in (("Client", sync_rate), ("AsyncClient", async_rate)):
            h2 = median_of(rounds, lambda rate=rate: rate(url, "HTTP/2", n))
            h3 = median_of(rounds, lambda rate=rate: rate(url, "HTTP/3", n))
            print(
                f"   reqlab.{engine:<12} HTTP/2 {h2:8.0f} req/s  HTTP/3 {h3:8.0f} req/s  "
                f"HTTP/3/HTTP/2 = {h3 / h2:.2f}x (goal >= 0.5x)"
            )
        print("   where an HTTP/3 run's CPU goes (cProfile, share of own time):")
        for label, share in where_time_goes(url, max(n // 2, 100)):
            print(f"     {share:5.1f}%  {label}")


def server_figures(args: argparse.Namespace, n: int, rounds: int) -> None:
    c = args.concurrency
    print(
        f"2. echo server, {n} requests, {c} concurrent streams on one QUIC connection, "
        f"servers side by side, rounds interleaved, median of {rounds}"
    )
    print(f"   load average before: {_loadavg()}")
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        port_file = Path(tmp) / "port"
        tls_port = _free_port()
        echo_cmd = [
            sys.executable,
            "-m",
            "reqlab",
            "echo",
            "--port",
            "0",
            "--tls-self-signed",
            "--tls-port",
            str(tls_port),
        ]
        peer_cmd = [sys.executable, str(Path(__file__).resolve()), "--serve-peer", str(port_file)]
        port, pid = stack.enter_context(child(echo_cmd, lambda: _udp_answers(tls_port)))
        base = f"https://127.0.0.1:{port}"
        # (label, url, pid, body): each round runs every one of these once
        runs: list[tuple[str, str, int, bytes | None]] = [
            ("reqlab echo, GET /echo", f"{base}/echo", pid, None),
            ("reqlab echo, POST /echo", f"{base}/echo", pid, BODY),
            # an answer as small as the bare server's (the reflection is ~700 bytes)
            ("reqlab echo, GET /bytes/18", f"{base}/bytes/18", pid, None),
        ]
        if args.aioquic_examples:
            cmd, port_of = example_server(Path(args.aioquic_examples), Path(tmp))
            port, pid = stack.enter_context(child(cmd, port_of, Path(args.aioquic_examples)))
            runs.append(
                ("aioquic example, POST /echo", f"https://127.0.0.1:{port}/echo", pid, BODY)
            )
        port, pid = stack.enter_context(child(peer_cmd, lambda: _read_port(port_file)))
        runs.append(("bare aioquic server (fixed)", f"https://127.0.0.1:{port}/", pid, None))
        seen: dict[str, list[tuple[float, float, float]]] = {label: [] for label, *_ in runs}
        for _ in range(rounds):
            for label, url, pid, body in runs:
                seen[label].append(server_round(url, pid, n, c, body))
    print(f"   load average after: {_loadavg()}")
    rows = []
    for label, got in seen.items():
        rate, wall, cpu = (statistics.median(x[i] for x in got) for i in range(3))
        rows.append((label, rate, cpu))
        print(
            f"   {label:<30} {rate:7.0f} req/s  wall {wall:5.2f} s  "
            f"server CPU {cpu:6.0f} us/req  (rounds: {', '.join(f'{x[2]:.0f}' for x in got)})"
        )
    ours = {label: cpu for label, _, cpu in rows}
    pairs = (
        ("reqlab echo, POST /echo", "aioquic example, POST /echo"),
        ("reqlab echo, GET /bytes/18", "bare aioquic server (fixed)"),
    )
    for mine, peer in pairs:
        if peer in ours:
            ratio = ours[peer] / ours[mine]
            print(f"   {mine} vs {peer}: {ratio:.2f}x by server CPU per request (goal >= 1.5x)")
    print("   (req/s is bounded by the single Python load generator; CPU per request is not)")


def _loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


if __name__ == "__main__":
    main()
