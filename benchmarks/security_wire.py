"""The wire attacks of issue 15, measured: what each costs the echo server or the client.

    PYTHONPATH=src python benchmarks/security_wire.py

The echo server runs as ``reqlab echo`` in its own process; its CPU time and
RSS are read from /proc around each attack, and a plain ``GET /echo`` on
another connection is timed while the attack runs.  Client-side attacks run
``reqlab send`` in a child process and report its peak RSS.  The attacks are
the ones in tests/security (shared through tests/security/_wire.py).
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.security._wire import (  # noqa: E402
    MIB,
    PING,
    SETTINGS,
    Process,
    echo_process,
    flood,
    frame,
    gzip_bomb,
    rapid_reset_burst,
    send_peak_rss,
    stream_answer,
    timed_get,
    tiny_server,
    trailer_flood,
)

NAMES = {11: "GOAWAY ENHANCE_YOUR_CALM", None: "no GOAWAY"}


def h2_attack(server: Process, label: str, burst: bytes, rounds: int = 1) -> None:
    rss0, cpu0 = server.rss_mib(), server.cpu_seconds()
    for n in range(rounds):
        code, elapsed, latencies = flood(server, burst)
        print(
            f"{label} (round {n + 1}): {NAMES.get(code, code)} after {elapsed:.2f} s, "
            f"GET /echo meanwhile at most {max(latencies) * 1000:.0f} ms"
        )
    print(
        f"{label}: server CPU {server.cpu_seconds() - cpu0:.2f} s, "
        f"RSS {rss0:.0f} -> {server.rss_mib():.0f} MiB ({len(burst) / MIB:.1f} MiB sent per round)"
    )


def trailers(server: Process) -> None:
    rss0 = server.rss_mib()
    results: list[tuple[int, int]] = []
    threads = [
        threading.Thread(target=lambda: results.append(trailer_flood(server.port, 50 * MIB)))
        for _ in range(6)
    ]
    for t in threads:
        t.start()
    latency = timed_get(server.port)
    for t in threads:
        t.join(60)
    print(
        f"six 50 MB trailers at once: answers {sorted(s for s, _ in results)}, "
        f"GET /echo meanwhile {latency * 1000:.0f} ms, RSS {rss0:.0f} -> {server.rss_mib():.0f} MiB"
    )


def client_attacks() -> None:
    def small(sock, head):  # type: ignore[no-untyped-def]
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")

    def huge_header(sock, head):  # type: ignore[no-untyped-def]
        stream_answer(sock, b"HTTP/1.1 200 OK\r\nX-Big: ", b"a" * 65536, 50 * MIB)

    def many_headers(sock, head):  # type: ignore[no-untyped-def]
        stream_answer(sock, b"HTTP/1.1 200 OK\r\n", b"X-H: 1\r\n" * 1000, 100_000 * 8)

    first, piece = gzip_bomb()
    header = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nConnection: close\r\n\r\n"

    def bomb(sock, head):  # type: ignore[no-untyped-def]
        stream_answer(sock, header + first, piece, 10 * 1024 * len(piece))

    for label, answer in [
        ("a 2-byte answer (baseline)", small),
        ("a 50 MB header", huge_header),
        ("100,000 headers", many_headers),
        ("a 10 GiB gzip bomb (cap 100 MiB)", bomb),
    ]:
        with tiny_server(answer) as port:
            code, err, peak = send_peak_rss(f"http://127.0.0.1:{port}/")
        said = err.strip().split(": ", 2)[-1] if err.strip() else "ok"
        print(f"reqlab send, {label}: exit {code}, peak RSS {peak:.0f} MiB ({said})")


def main() -> None:
    with echo_process() as server:
        timed_get(server.port)
        h2_attack(server, "100,000 open-then-reset streams", rapid_reset_burst(100_000), rounds=4)
        h2_attack(server, "2,000,000 PINGs", frame(PING, 0, 0, os.urandom(8)) * 2_000_000)
        settings = frame(SETTINGS, 0, 0, (4).to_bytes(2, "big") + (65535).to_bytes(4, "big"))
        h2_attack(server, "100,000 SETTINGS", settings * 100_000)
        trailers(server)
    client_attacks()


if __name__ == "__main__":
    main()
