"""Code generation speed: all targets for one request, and `reqlab gen` start-up.

    python benchmarks/codegen.py [RUNS]

1. In process: generate every target (28) for each of five requests (a short
   GET, the seed's HTTP/1.0 keep-alive request, nested JSON, a form, binary),
   RUNS times (default 300) after a warm-up; prints the median time for all
   targets per request (the goal: under 5 ms), and the slowest targets.
2. Start-up: `reqlab gen TARGET req.curl` as a fresh process, next to
   `python -c pass` and `reqlab --version`, interleaved so machine load hits
   all alike (RUNS // 10 rounds, at least 15); median and best wall time and
   median CPU time (user + system).  The goal: under 150 ms.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fidelity.fixtures import FIXTURES  # noqa: E402
from reqlab.codegen import generate, targets  # noqa: E402

# (Requests naming a file are left out: the raw `http` target needs the bytes.)
REQUESTS = ("get_short", "seed_http10_keepalive", "json_nested", "form_special", "binary_inline")
CURL = (
    "curl -X POST 'http://127.0.0.1:8081/echo?x=1' -H 'Content-Type: application/json' "
    '-H \'X-Dup: 1\' -H \'X-Dup: 2\' -d \'{"name":"widget","tags":["a","b"]}\'\n'
)


def in_process(runs: int) -> None:
    ids = [t.id for t in targets()]
    print(f"generate() for all {len(ids)} targets, one request ({runs} runs, median):")
    per_target: dict[str, list[float]] = {t: [] for t in ids}
    for name in REQUESTS:
        request = FIXTURES[name].build("http://127.0.0.1:8081")
        for target in ids:  # warm-up: imports, caches
            generate(request, target)
        totals = []
        for _ in range(runs):
            start = time.perf_counter()
            for target in ids:
                t0 = time.perf_counter()
                generate(request, target)
                per_target[target].append(time.perf_counter() - t0)
            totals.append(time.perf_counter() - start)
        print(
            f"  {name:<24} {statistics.median(totals) * 1000:6.2f} ms  (best {min(totals) * 1000:.2f})"
        )
    slowest = sorted(per_target, key=lambda t: statistics.median(per_target[t]), reverse=True)[:5]
    shown = ", ".join(f"{t} {statistics.median(per_target[t]) * 1e6:.0f} us" for t in slowest)
    print(f"  slowest targets (median over all requests): {shown}")


def start_up(rounds: int) -> None:
    reqlab = str(Path(sys.executable).parent / "reqlab")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp, "req.curl")
        source.write_text(CURL)
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "reqlab --version": [reqlab, "--version"],
            "reqlab gen python-requests": [reqlab, "gen", "python-requests", str(source)],
            "reqlab gen shell-curl": [reqlab, "gen", "shell-curl", str(source)],
            "reqlab gen go-nethttp": [reqlab, "gen", "go-nethttp", str(source)],
            "reqlab gen --list": [reqlab, "gen", "--list"],
        }
        wall: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(rounds):
            for name, argv in commands.items():
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                subprocess.run(argv, stdout=subprocess.DEVNULL, check=True, env=os.environ)
                wall[name].append(time.perf_counter() - start)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu[name].append(
                    after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
                )
    print(f"\nstart-up ({rounds} rounds, load average {os.getloadavg()[0]:.1f}):")
    print(f"  {'command':<28} {'median ms':>9} {'best ms':>8} {'cpu ms':>7}")
    for name in commands:
        print(
            f"  {name:<28} {statistics.median(wall[name]) * 1000:9.1f}"
            f" {min(wall[name]) * 1000:8.1f} {statistics.median(cpu[name]) * 1000:7.1f}"
        )


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    in_process(runs)
    start_up(max(15, runs // 10))


if __name__ == "__main__":
    main()
