"""Benchmark ``reqlab echo`` against uvicorn (raw ASGI) and nginx, in one run.

    python benchmarks/echo.py [--duration 5] [--runs 3] [--connections 64]

* HTTP/1.1 keep-alive throughput: wrk -t1 -cN on CPU 0, each server alone on
  CPU 1 (taskset), servers measured in turn within each round, median of the
  rounds.  reqlab answers /echo with the full JSON reflection; uvicorn
  (httptools, uvloop) runs benchmarks/_asgi_echo.py, a minimal raw ASGI echo;
  nginx answers ``return 200``.
* The same wrk runs as requests per second of *server CPU time* (user+sys
  from /proc): what one core would serve if it were the server's alone.
  This figure holds up when other work shares the machine; the wall-clock
  figure does not.
* The same against reqlab and uvicorn with every request different (a wrk
  Lua script changes the query and an X-Request-Id header per request), per
  server CPU second: no cache of a repeated request can help there.
* Latency: wrk -t1 -c1 --latency, p99 per server (median of the rounds).
* Memory: RSS of reqlab echo holding 10,000 idle keep-alive connections.
* HTTP/2: h2load -c10 -m10 -nN (h2c prior knowledge) against reqlab and
  hypercorn (the same raw ASGI app), req/s, median of the rounds.

Needs wrk, h2load, nginx, taskset (scripts/setup.d/20-echo.sh) and hypercorn.
Every figure is measured here, now; nothing is hard-coded.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
SERVER_CPU = "1"
CLIENT_CPU = "0"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port: int, proc: subprocess.Popen, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early: {proc.args}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"server did not listen on port {port}")


@contextlib.contextmanager
def running(cmd: list[str], port: int, cwd: Path | None = None) -> Iterator[subprocess.Popen]:
    proc = subprocess.Popen(
        ["taskset", "-c", SERVER_CPU, *cmd],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_listening(port, proc)
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def reqlab_cmd(port: int) -> list[str]:
    # keep-alive-max and timeout raised so that, like uvicorn, connections are never recycled
    return [sys.executable, "-m", "reqlab", "echo", "--port", str(port),
            "--keep-alive-max", "1000000000", "--keep-alive-timeout", "300"]  # fmt: skip


def uvicorn_cmd(port: int) -> list[str]:
    return [sys.executable, "-m", "uvicorn", "_asgi_echo:app", "--port", str(port),
            "--http", "httptools", "--loop", "uvloop", "--no-access-log", "--log-level", "warning",
            "--timeout-keep-alive", "300"]  # fmt: skip


def hypercorn_cmd(port: int, tmp: Path) -> list[str]:
    # hypercorn closes a connection after 1,000 requests by default; lift that like the others
    conf = tmp / "hypercorn.toml"
    conf.write_text("keep_alive_max_requests = 1000000000\nkeep_alive_timeout = 300\n")
    return [sys.executable, "-m", "hypercorn", "_asgi_echo:app", "--bind", f"127.0.0.1:{port}",
            "--worker-class", "uvloop", "--log-level", "warning", "--config", str(conf)]  # fmt: skip


def nginx_cmd(port: int, tmp: Path) -> list[str]:
    conf = tmp / "nginx.conf"
    conf.write_text(
        f"""
daemon off; worker_processes 1; pid {tmp}/nginx.pid; error_log {tmp}/error.log;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {tmp}; proxy_temp_path {tmp}; fastcgi_temp_path {tmp};
  uwsgi_temp_path {tmp}; scgi_temp_path {tmp};
  keepalive_requests 1000000000; keepalive_timeout 300;
  server {{ listen 127.0.0.1:{port}; location / {{ return 200 "ok"; }} }}
}}
"""
    )
    return [shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(tmp), "-c", str(conf)]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# Every request different: a query and an X-Request-Id header that change per request
# (the servers' caches, if any, cannot serve a request seen before).
VARYING_LUA = """
counter = 0
request = function()
  counter = counter + 1
  wrk.headers["X-Request-Id"] = string.format("%08x", (counter * 2654435761) % 4294967296)
  return wrk.format(nil, "/echo?n=" .. counter .. "&page=" .. (counter % 7))
end
"""


def wrk(
    url: str,
    connections: int,
    duration: float,
    pid: int | None = None,
    script: Path | None = None,
) -> dict[str, float]:
    cpu_before = cpu_seconds(pid) if pid else 0.0
    out = subprocess.run(
        [
            "taskset",
            "-c",
            CLIENT_CPU,
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{duration:g}s",
            "--latency",
            *(["-s", str(script)] if script else []),
            url,
        ],  # fmt: skip
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    cpu = cpu_seconds(pid) - cpu_before if pid else 0.0
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 1e-3, "ms": 1.0, "s": 1e3}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)", out)
    return {
        "rps": rps,
        "p99_ms": float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan"),
        "errors": 1.0 if errors else 0.0,
        # requests per second of server CPU: what one core would do if it were the
        # server's alone; robust when other work shares the machine
        "per_cpu_s": total / cpu if cpu > 0 else float("nan"),
    }


def h2load(url: str, requests: int) -> float:
    # A request count, not -D: h2load's timed mode reported a fraction of the rate here.
    out = subprocess.run(
        ["taskset", "-c", CLIENT_CPU, "h2load", "-c", "10", "-m", "10", "-n", str(requests), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    m = re.search(r"finished in [\d.]+\w+, ([\d.]+) req/s", out)
    if not m or re.search(r"requests: .* (\d+) failed", out) is None:
        raise RuntimeError("h2load output not understood:\n" + out)
    failed = int(re.search(r"(\d+) failed", out).group(1))  # type: ignore[union-attr]
    if failed:
        raise RuntimeError(f"h2load: {failed} requests failed\n{out}")
    return float(m.group(1))


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def server_pid(proc: subprocess.Popen) -> int:
    return proc.pid  # taskset execs the server: same pid


def idle_connections_rss(count: int) -> tuple[float, float]:
    """(RSS MiB before, RSS MiB with ``count`` idle keep-alive connections)."""
    port = free_port()
    socks: list[socket.socket] = []
    with running(reqlab_cmd(port), port) as proc:
        pid = server_pid(proc)
        before = rss_kib(pid)
        request = b"GET /echo HTTP/1.1\r\nHost: bench\r\n\r\n"
        try:
            for _ in range(count):
                s = socket.create_connection(("127.0.0.1", port))
                s.sendall(request)
                data = b""
                while b"\r\n\r\n" not in data:
                    data += s.recv(65536)
                if b"Keep-Alive:" not in data:
                    raise RuntimeError("connection not kept alive")
                socks.append(s)
            time.sleep(0.5)
            after = rss_kib(pid)
        finally:
            for s in socks:
                s.close()
    return before / 1024, after / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--duration", type=float, default=5.0)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--h2-requests", type=int, default=30_000)
    ap.add_argument("--idle", type=int, default=10_000, help="idle connections for the RSS figure")
    ap.add_argument("--skip", action="append", default=[], choices=["h1", "latency", "rss", "h2"])
    args = ap.parse_args()
    for tool in ("wrk", "h2load", "taskset", "nginx"):
        if not shutil.which(tool) and not (tool == "nginx" and Path("/usr/sbin/nginx").exists()):
            sys.exit(f"benchmarks/echo.py: {tool} is missing: run scripts/setup")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # inherited by the servers
    print(f"# {os.cpu_count()} CPUs; servers on CPU {SERVER_CPU}, load generator on CPU {CLIENT_CPU};"
          f" load average {os.getloadavg()[0]:.2f}")  # fmt: skip

    tmp = Path(tempfile.mkdtemp(prefix="reqlab-bench-"))
    varying_lua = tmp / "varying.lua"
    varying_lua.write_text(VARYING_LUA)
    ports = {
        name: free_port()
        for name in ("reqlab", "uvicorn", "nginx", "reqlab-fixed", "hypercorn", "reqlab-h2")
    }
    servers = {
        "reqlab": (reqlab_cmd(ports["reqlab"]), None),
        "uvicorn": (uvicorn_cmd(ports["uvicorn"]), HERE),
        "nginx": (nginx_cmd(ports["nginx"], tmp), None),
        # the connection layer alone, answering a fixed body instead of the reflection
        "reqlab-fixed": (
            [sys.executable, str(HERE / "_fixed_echo.py"), str(ports["reqlab-fixed"])],
            None,
        ),
    }
    h1: dict[str, list[float]] = {n: [] for n in servers}
    h1_cpu: dict[str, list[float]] = {n: [] for n in servers}
    p99: dict[str, list[float]] = {n: [] for n in servers}
    varying: dict[str, list[float]] = {"reqlab": [], "uvicorn": []}  # per server CPU second
    h2: dict[str, list[float]] = {"reqlab": [], "hypercorn": []}
    for rnd in range(args.runs):
        for name, (cmd, cwd) in servers.items():
            if "h1" in args.skip and "latency" in args.skip:
                break
            port = ports[name]
            with running(cmd, port, cwd) as proc:
                url = f"http://127.0.0.1:{port}/echo"
                wrk(url, args.connections, 1.0)  # warm-up
                if "h1" not in args.skip:
                    result = wrk(url, args.connections, args.duration, proc.pid)
                    h1[name].append(result["rps"])
                    h1_cpu[name].append(result["per_cpu_s"])
                    if name in varying:
                        result = wrk(url, args.connections, args.duration, proc.pid, varying_lua)
                        varying[name].append(result["per_cpu_s"])
                if "latency" not in args.skip:
                    p99[name].append(wrk(url, 1, args.duration)["p99_ms"])
        if "h2" not in args.skip:
            for name, cmd, cwd in (
                ("reqlab", reqlab_cmd(ports["reqlab-h2"]), None),
                ("hypercorn", hypercorn_cmd(ports["hypercorn"], tmp), HERE),
            ):
                port = ports["reqlab-h2" if name == "reqlab" else "hypercorn"]
                with running(cmd, port, cwd):
                    h2load(f"http://127.0.0.1:{port}/echo", 1000)  # warm-up
                    h2[name].append(h2load(f"http://127.0.0.1:{port}/echo", args.h2_requests))
        print(f"# round {rnd + 1}/{args.runs} done", file=sys.stderr)

    med = statistics.median
    if "h1" not in args.skip:
        print(f"\nHTTP/1.1 keep-alive, wrk -t1 -c{args.connections} -d{args.duration:g}s, "
              f"median of {args.runs} (req/s)")  # fmt: skip
        for name in servers:
            print(
                f"  {name:12} {med(h1[name]):>10,.0f}   runs: {', '.join(f'{x:,.0f}' for x in h1[name])}"
            )
        print(
            f"  reqlab / uvicorn-raw = {med(h1['reqlab']) / med(h1['uvicorn']):.2f}x   (goal >= 2x)"
        )
        print(f"  reqlab / nginx       = {med(h1['reqlab']) / med(h1['nginx']):.2f}x")
        print("\nThe same runs as requests per second of server CPU time (user+sys of the server)")
        for name in ("reqlab", "uvicorn", "reqlab-fixed"):  # nginx: a child we do not time
            values = h1_cpu[name]
            print(
                f"  {name:12} {med(values):>10,.0f}   runs: {', '.join(f'{x:,.0f}' for x in values)}"
            )
        ratio = med(h1_cpu["reqlab"]) / med(h1_cpu["uvicorn"])
        print(f"  reqlab / uvicorn-raw = {ratio:.2f}x   (goal >= 2x)")
        fixed = med(h1_cpu["reqlab-fixed"]) / med(h1_cpu["uvicorn"])
        print(f"  reqlab connection layer alone (fixed answer) / uvicorn-raw = {fixed:.2f}x")
        # The servers take turns within a round, so a round's ratio compares them
        # under the same load; its median shrugs off a round disturbed by other work.
        rounds = [a / b for a, b in zip(h1_cpu["reqlab"], h1_cpu["uvicorn"], strict=True)]
        print(f"  reqlab / uvicorn-raw, median of the per-round ratios = {med(rounds):.2f}x"
              f"   rounds: {', '.join(f'{x:.2f}' for x in rounds)}")  # fmt: skip
        print("\nEvery request different (wrk Lua: the query and an X-Request-Id header change"
              " per request), requests per second of server CPU time")  # fmt: skip
        for name, values in varying.items():
            print(
                f"  {name:12} {med(values):>10,.0f}   runs: {', '.join(f'{x:,.0f}' for x in values)}"
            )
        rounds = [a / b for a, b in zip(varying["reqlab"], varying["uvicorn"], strict=True)]
        print(f"  reqlab / uvicorn-raw, median of the per-round ratios = {med(rounds):.2f}x"
              f"   rounds: {', '.join(f'{x:.2f}' for x in rounds)}")  # fmt: skip
    if "latency" not in args.skip:
        print(f"\nLatency p99 at -c1 (ms), median of {args.runs}")
        for name in servers:
            print(
                f"  {name:12} {med(p99[name]):>8.3f}   runs: {', '.join(f'{x:.3f}' for x in p99[name])}"
            )
        verdict = "ok" if med(p99["reqlab"]) <= med(p99["uvicorn"]) else "WORSE than uvicorn"
        print(f"  reqlab vs uvicorn: {verdict}")
    if "h2" not in args.skip:
        print(
            f"\nHTTP/2 (h2c), h2load -c10 -m10 -n{args.h2_requests}, median of {args.runs} (req/s)"
        )
        for name, values in h2.items():
            print(
                f"  {name:9} {med(values):>10,.0f}   runs: {', '.join(f'{x:,.0f}' for x in values)}"
            )
        print(f"  reqlab / hypercorn = {med(h2['reqlab']) / med(h2['hypercorn']):.2f}x")
    if "rss" not in args.skip:
        before, after = idle_connections_rss(args.idle)
        print(f"\nRSS of reqlab echo: {before:.1f} MiB idle, {after:.1f} MiB with "
              f"{args.idle:,} idle keep-alive connections (goal < 150 MB)")  # fmt: skip
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
