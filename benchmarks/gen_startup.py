"""How long `reqlab gen curl` takes, wall clock, next to bare interpreter start.

    python benchmarks/gen_startup.py [RUNS]

Runs each command RUNS times (default 30), interleaved so machine load hits
all alike, and prints the median and the best wall time, and the median CPU time (user +
system, which machine load disturbs less than wall time).  The target is
`reqlab gen curl` under 150 ms; the `python -c pass` line shows how much of
that is the interpreter itself.
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

COMMAND = (
    "curl -X POST https://api.example.test/v1/items -H 'Content-Type: application/json' "
    '-H \'Authorization: Bearer t0k3n\' -d \'{"name":"widget","tags":["a","b"]}\'\n'
)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    bindir = Path(sys.executable).parent
    reqlab = bindir / "reqlab"
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp, "req.curl")
        source.write_text(COMMAND)
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "reqlab --version": [str(reqlab), "--version"],
            "reqlab gen curl": [str(reqlab), "gen", "curl", str(source)],
            "reqlab gen http": [str(reqlab), "gen", "http", str(source)],
            "reqlab gen har": [str(reqlab), "gen", "har", str(source)],
        }
        # As an installed package runs: with a bytecode cache (kept in a temp
        # dir; this dev environment sets PYTHONDONTWRITEBYTECODE, which makes
        # every start compile reqlab from source - measured as "cold").
        warm = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        warm["PYTHONPYCACHEPREFIX"] = str(Path(tmp, "pycache"))
        cold = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        envs = {name: warm for name in commands}
        commands["reqlab gen curl (cold)"] = commands["reqlab gen curl"]
        envs["reqlab gen curl (cold)"] = cold
        for name, argv in commands.items():  # fill the bytecode cache
            subprocess.run(argv, stdout=subprocess.DEVNULL, check=True, env=envs[name])
        times: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, argv in commands.items():
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                subprocess.run(argv, stdout=subprocess.DEVNULL, check=True, env=envs[name])
                times[name].append(time.perf_counter() - start)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu[name].append(
                    after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
                )
    load = os.getloadavg()[0]
    print(
        f"{'command':<24} {'median ms':>10} {'best ms':>9} {'cpu ms':>8}  ({runs} runs, load {load:.1f})"
    )
    for name, samples in times.items():
        print(
            f"{name:<24} {statistics.median(samples) * 1000:>10.1f} {min(samples) * 1000:>9.1f}"
            f" {statistics.median(cpu[name]) * 1000:>8.1f}"
        )


if __name__ == "__main__":
    main()
