"""Cold start of one request: ``reqlab send`` beside HTTPie and curl.

    python benchmarks/send_startup.py [--runs N] [--source]

Byte-compiles reqlab first, as an install does (``_bytecode``; ``--source``
removes its caches and measures a checkout that compiles them on every start).
Starts ``reqlab echo`` on a free port, then runs hyperfine once with the
three commands fetching the same URL (stdout to /dev/null, stdin ignored by
both Python tools), and prints each median wall time, the mean CPU time
(user + system: steadier on a busy machine) and reqlab's ratios to HTTPie.
The issue's target: reqlab at most a third of HTTPie's wall time.
Needs hyperfine (apt-get install hyperfine) and HTTPie (the test extra).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _bytecode import compile_reqlab

BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if found is None:
        sys.exit(f"send_startup: {name} is not installed")
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--source", action="store_true", help="remove reqlab's bytecode caches first"
    )
    args = parser.parse_args()
    runs = args.runs
    print(compile_reqlab(source=args.source))
    hyperfine, http, reqlab, curl = (tool(n) for n in ("hyperfine", "http", "reqlab", "curl"))
    echo = subprocess.Popen(
        [reqlab, "echo", "--port", "0"], stdout=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL
    )
    try:
        assert echo.stdout is not None
        url = echo.stdout.readline().split("listening on", 1)[1].split()[0] + "/get"
        commands = {
            "httpie": f"{http} --ignore-stdin {url}",
            "reqlab": f"{reqlab} send --ignore-stdin {url}",
            "curl": f"{curl} -s {url}",
        }
        with tempfile.TemporaryDirectory() as tmp:
            export = Path(tmp) / "out.json"
            subprocess.run(
                [
                    hyperfine,
                    "-N",
                    "--warmup",
                    "3",
                    "--runs",
                    str(runs),
                    "--export-json",
                    str(export),
                ]
                + [arg for name, cmd in commands.items() for arg in ("-n", name, cmd)],
                check=True,
            )
            results = {r["command"]: r for r in json.loads(export.read_text())["results"]}
    finally:
        echo.terminate()
        echo.wait(timeout=10)
    wall = {name: results[name]["median"] * 1000 for name in commands}
    cpu = {name: (results[name]["user"] + results[name]["system"]) * 1000 for name in commands}
    print(f"{'':8} {'wall median':>12} {'cpu mean':>10}")
    for name in commands:
        print(f"{name:8} {wall[name]:9.1f} ms {cpu[name]:7.1f} ms")
    print(
        f"reqlab / httpie: wall {wall['reqlab'] / wall['httpie']:.2f}, "
        f"cpu {cpu['reqlab'] / cpu['httpie']:.2f} (target <= 0.33)"
    )


if __name__ == "__main__":
    main()
