"""reqlab run against Hurl 8.0.1: one file of N GET entries, each with a
JSONPath assert, against a local ``reqlab echo``, same parallelism (one file,
entries in order on one connection), in one run; then the same N entries
split into F files run J at a time (``--jobs J``) by both.

    python benchmarks/run.py              # 1,000 entries x 5 rounds; 4 files, --jobs 2
    python benchmarks/run.py -n 200 -r 3 --files 8 --jobs 4
    python benchmarks/run.py --source     # reqlab's bytecode caches removed first
    python benchmarks/run.py --instructions   # also instruction counts (valgrind)

reqlab is byte-compiled first, as an install does (see ``_bytecode``).

Prints, per round and as medians, wall and CPU milliseconds of: Hurl
(``hurl --test``, a process), ``reqlab run --test`` as a process (Python
start-up included), ``reqlab.run()`` in-process, both tools on the split
files with ``--jobs``, and, to show where the time goes, the same file as a
workspace ``.http`` file (``# @assert`` lines, variables by the workspace's
rules), the same GETs through reqlab's blocking client alone (the engine
``reqlab run`` uses), the same GETs on a bare socket (the floor: system
calls and the server's time), the same GETs by the least a Python process
can do (``_python_floor.py``: start-up, click and httptools imported, each
response parsed and its JSON checked: the floor under any runner written in
CPython), ``reqlab run`` on an empty file (start-up and imports), and both
tools on n/5 entries against an answer that takes the server ``--slow-ms``
(5 ms: an API rather than a local echo); then the per-entry CPU cost of reqlab's own work without the
network: parsing, resolving variables into a request, and evaluating the
asserts over a recorded exchange.  The load average is printed before and
after: the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _bytecode import compile_reqlab

now = time.perf_counter
FLOOR = str(Path(__file__).with_name("_python_floor.py"))
HURL = Path(os.environ.get("REQLAB_HURL", Path.home() / ".cache/reqlab/hurl/bin/hurl"))
ENTRY = 'GET {{base}}/echo\nHTTP 200\n[Asserts]\njsonpath "$.method" == "GET"\n\n'
# an API that takes a few milliseconds per answer (the echo server sleeps)
SLOW_ENTRY = (
    'GET {{base}}/delay/{seconds}\nHTTP 200\n[Asserts]\njsonpath "$.origin" == "127.0.0.1"\n\n'
)
# the same entry as a workspace .http request (status asserted too, as above)
HTTP_ENTRY = (
    '###\nGET {{base}}/echo\n# @assert status == 200\n# @assert jsonpath "$.method" == "GET"\n\n'
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_echo() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "reqlab", "echo", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(500):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.01)
    return proc, f"http://127.0.0.1:{port}"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU milliseconds of a command (CPU: user + system of the
    child, the figure the machine's other load disturbs least)."""
    cpu = _children_cpu()
    started = now()
    proc = subprocess.run(cmd, capture_output=True)
    elapsed = (now() - started) * 1000
    if proc.returncode != 0:
        sys.exit(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr.decode()[-500:]}")
    return elapsed, (_children_cpu() - cpu) * 1000


def in_process(path: str, base: str) -> tuple[float, float]:
    from reqlab.runner import run

    cpu = time.process_time()
    started = now()
    result = run(path, variables={"base": base})
    elapsed = (now() - started) * 1000
    assert result.ok, result.exit_code
    return elapsed, (time.process_time() - cpu) * 1000


def instructions(cmd: list[str]) -> int:
    """User-space instructions the command executes (valgrind's callgrind):
    a count other processes on the machine do not disturb."""
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
        capture_output=True,
        text=True,
    )
    found = [line for line in proc.stderr.splitlines() if "Collected :" in line]
    if proc.returncode != 0 or not found:
        sys.exit(f"valgrind {cmd[0]} failed ({proc.returncode}): {proc.stderr[-500:]}")
    return int(found[-1].split(":")[-1])


def best_of(repeats: int, work: Callable[[], object]) -> float:
    """CPU seconds of the fastest of ``repeats`` runs (the machine is shared:
    the minimum is the figure least disturbed by other processes)."""
    times = []
    for _ in range(repeats):
        started = time.process_time()
        work()
        times.append(time.process_time() - started)
    return min(times)


def client_only(base: str, n: int) -> tuple[float, float]:
    """The same N GETs through reqlab's blocking client alone (no parsing,
    no asserts): the share of the run that is the engine's."""
    from reqlab.client import Client
    from reqlab.model import Request

    request = Request("GET", base + "/echo", headers=(("Accept", "*/*"),))
    cpu = time.process_time()
    started = now()
    with Client(timeout=None) as client:
        for _ in range(n):
            client.send(request)
    return (now() - started) * 1000, (time.process_time() - cpu) * 1000


def bare_socket(base: str, n: int) -> tuple[float, float]:
    """The same N GETs written and read on a bare socket (a fixed request,
    the response read up to its Content-Length): what any client pays in
    system calls and waiting for the server, the floor under both tools."""
    host, port = base.removeprefix("http://").rsplit(":", 1)
    raw = f"GET /echo HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: */*\r\n\r\n".encode()
    cpu = time.process_time()
    started = now()
    sock: socket.socket | None = None
    for i in range(n):
        if sock is None or i % 100 == 0:  # reqlab echo closes after 100 (Keep-Alive max)
            if sock is not None:
                sock.close()
            sock = socket.create_connection((host, int(port)))
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.sendall(raw)
        data = b""
        while True:
            data += sock.recv(65536)
            head, sep, rest = data.partition(b"\r\n\r\n")
            if sep:
                length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
                if len(rest) >= length:
                    break
    if sock is not None:
        sock.close()
    return (now() - started) * 1000, (time.process_time() - cpu) * 1000


def per_entry_costs(text: str, n: int, base: str, repeats: int = 5) -> dict[str, float]:
    """CPU microseconds per entry of reqlab's own work, no network: parse;
    resolve variables into a Request; evaluate the asserts on an exchange."""
    from pathlib import Path as P

    from reqlab.client import Client
    from reqlab.formats.hurl import parse
    from reqlab.runner import _build
    from reqlab.runner._queries import Context
    from reqlab.runner._results import EntryResult
    from reqlab.runner._verify import verify

    hurl = parse(text, "bench.hurl")
    parse_us = best_of(repeats, lambda: parse(text, "bench.hurl")) * 1e6 / n

    variables = {"base": base}
    root = P(".")
    base_settings = _build.EntrySettings()

    def resolve() -> list[object]:
        out = []
        for entry in hurl.entries:
            s = _build.settings(entry.request, base_settings, variables, root)
            out.append(_build.request(entry.request, s, variables, root))
        return out

    requests = resolve()
    resolve_us = best_of(repeats, resolve) * 1e6 / n

    with Client() as client:
        exchange = client.send(requests[0]).exchange  # type: ignore[arg-type]

    def check_all() -> None:
        for entry in hurl.entries:
            spec = entry.response
            assert spec is not None
            ctx = Context(exchange, [], variables)  # type: ignore[arg-type]
            result = EntryResult(entry.index, entry.request.pos.line, "GET", "")
            verify(spec, ctx, root, result)
            assert result.ok

    assert_us = best_of(repeats, check_all) * 1e6 / n
    return {"parse": parse_us, "resolve": resolve_us, "assert": assert_us}


def http_per_entry_costs(path: str, n: int, base: str, repeats: int = 5) -> dict[str, float]:
    """The same for a ``.http`` file: read it (the .http parser, then its
    check lines through the Hurl parser); bind it to its workspace (which
    reads the file again); resolve each request by the workspace's rules."""
    from reqlab.runner import _build
    from reqlab.runner._execute import RunConfig
    from reqlab.runner._httpfiles import read

    text = Path(path).read_text()
    read_us = best_of(repeats, lambda: read(text, path)) * 1e6 / n
    file = read(text, path)
    bind_us = best_of(repeats, lambda: file.bind(RunConfig())) * 1e6 / n
    maker = file.bind(RunConfig())
    settings, variables = _build.EntrySettings(), {"base": base}
    resolve_us = (
        best_of(repeats, lambda: [maker.request(e, settings, variables) for e in file.entries])
        * 1e6
        / n
    )
    return {"read": read_us, "bind": bind_us, "resolve": resolve_us}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=1000, help="entries in the file")
    ap.add_argument("-r", "--rounds", type=int, default=5)
    ap.add_argument("--files", type=int, default=4, help="files the entries are split into")
    ap.add_argument("--jobs", type=int, default=2, help="files run at once, on the split files")
    ap.add_argument(
        "--slow-ms",
        type=float,
        default=5.0,
        help="the server's time per answer in the 'slow server' rows (n/5 entries)",
    )
    ap.add_argument("--source", action="store_true", help="remove reqlab's bytecode caches first")
    ap.add_argument(
        "--instructions",
        action="store_true",
        help="also count instructions under valgrind (steady on a loaded machine)",
    )
    args = ap.parse_args()
    print(compile_reqlab(source=args.source))
    if not HURL.exists():
        sys.exit(f"Hurl is not built at {HURL}: run scripts/setup.d/45-hurl.sh")
    reqlab = shutil.which("reqlab") or sys.exit("reqlab is not on PATH")
    text = ENTRY * args.n
    echo, base = start_echo()
    port = base.rsplit(":", 1)[1]
    try:
        with tempfile.TemporaryDirectory() as d:
            path = str(Path(d) / "bench.hurl")
            Path(path).write_text(text)
            var = f"--variable=base={base}"
            http_path = str(Path(d) / "bench.http")
            Path(http_path).write_text(HTTP_ENTRY * args.n)
            slow = str(Path(d) / "slow.hurl")
            seconds = f"{args.slow_ms / 1000:g}"
            Path(slow).write_text(SLOW_ENTRY.replace("{seconds}", seconds) * (args.n // 5))
            slowly = f"{args.n // 5} entries, server {args.slow_ms:g} ms"
            empty = str(Path(d) / "empty.hurl")
            Path(empty).write_text("# no entry\n")
            split = []
            for i in range(args.files):
                part = str(Path(d) / f"part{i + 1}.hurl")
                Path(part).write_text(ENTRY * (args.n // args.files))
                split.append(part)
            jobs = f"--jobs={args.jobs}"
            many = f"{args.files} files --jobs {args.jobs}"
            rows: dict[str, list[tuple[float, float]]] = {
                "hurl": [],
                "reqlab run": [],
                "reqlab.run()": [],
                f"hurl {many}": [],
                f"reqlab run {many}": [],
                "reqlab run .http": [],
                "client only": [],
                "bare socket": [],
                "python floor": [],
                "reqlab run, empty file": [],
                f"hurl {slowly}": [],
                f"reqlab run {slowly}": [],
            }
            print(f"{args.n} entries (GET + JSONPath assert), one file, against reqlab echo")
            print("wall ms / CPU ms of the runner (the echo server's CPU not included)")
            print("load average before: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
            for r in range(args.rounds):
                rows["hurl"].append(timed([str(HURL), "--test", "--jobs", "1", var, path]))
                rows["reqlab run"].append(
                    timed([reqlab, "run", "--test", "--jobs", "1", var, path])
                )
                rows["reqlab.run()"].append(in_process(path, base))
                rows[f"hurl {many}"].append(timed([str(HURL), "--test", jobs, var, *split]))
                rows[f"reqlab run {many}"].append(
                    timed([reqlab, "run", "--test", jobs, var, *split])
                )
                rows["reqlab run .http"].append(
                    timed([reqlab, "run", "--test", "--jobs", "1", var, http_path])
                )
                rows["client only"].append(client_only(base, args.n))
                rows["bare socket"].append(bare_socket(base, args.n))
                rows["python floor"].append(timed([sys.executable, FLOOR, port, str(args.n)]))
                rows["reqlab run, empty file"].append(timed([reqlab, "run", "--test", empty]))
                rows[f"hurl {slowly}"].append(timed([str(HURL), "--test", var, slow]))
                rows[f"reqlab run {slowly}"].append(timed([reqlab, "run", "--test", var, slow]))
                shown = [f"{k} {v[-1][0]:.0f}/{v[-1][1]:.0f}" for k, v in rows.items()]
                print(f"round {r + 1}: " + "  ".join(shown))
            medians = [
                f"{k} {statistics.median(w for w, _ in v):.0f}/"
                f"{statistics.median(c for _, c in v):.0f}"
                for k, v in rows.items()
            ]
            print("median: " + "  ".join(medians))
            print("load average after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
            if args.instructions:
                counts = {
                    "hurl": instructions([str(HURL), "--test", var, path]),
                    "reqlab run": instructions([reqlab, "run", "--test", var, path]),
                    "hurl, empty file": instructions([str(HURL), "--test", empty]),
                    "reqlab run, empty file": instructions([reqlab, "run", "--test", empty]),
                }
                print(
                    "instructions (millions, user space): "
                    + "  ".join(f"{k} {v / 1e6:.0f}" for k, v in counts.items())
                )
            costs = per_entry_costs(text, args.n, base)
            total = sum(costs.values())
            print(
                "reqlab CPU per entry (no network, best of 5): "
                + "  ".join(f"{k} {v:.1f} us" for k, v in costs.items())
                + f"  = {total:.1f} us"
            )
            costs = http_per_entry_costs(http_path, args.n, base)
            print(
                "reqlab CPU per .http entry before the asserts (best of 5): "
                + "  ".join(f"{k} {v:.1f} us" for k, v in costs.items())
                + f"  = {sum(costs.values()):.1f} us"
            )
    finally:
        echo.terminate()
        echo.wait()


if __name__ == "__main__":
    main()
