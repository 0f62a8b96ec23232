"""Code generation on requests nobody tuned the generators for.

    python benchmarks/codegen_unseen.py [--seeds N | --seed S ...] [--count 25]

For each seed (fresh random seeds unless given), draws COUNT requests with
``tests/fidelity/unseen.py``, runs every target's snippet for each with its
real runtime against ``reqlab echo`` (the fidelity suite, as `./scripts/test`
runs it), and reports per seed and in total:

* exact: the echo server received exactly the modelled request;
* declared: it differed only where the snippet's own warnings say so
  (a header a browser forbids, a version the library cannot choose, ...);
* failures: anything else (a snippet that crashed or sent something wrong).

Then the targets with the lowest exact share.  Executed snippets only:
PowerShell and Swift have no runtime here.  Nothing is hard-coded: every
figure comes from the runs just made.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXECUTED = ("exact", "warned", "xfail", "fail")


def run_seed(seed: int, count: int) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "outcomes.json"
        env = dict(
            os.environ,
            REQLAB_FIDELITY_UNSEEN=str(count),
            REQLAB_FIDELITY_SEED=str(seed),
            REQLAB_FIDELITY_JSON=str(out),
            REQLAB_MATRIX_PATH=str(Path(tmp) / "matrix.md"),
        )
        command = [
            sys.executable, "-m", "pytest", "-q", "-n", "2", "--dist", "loadgroup",
            "-p", "no:cacheprovider", "tests/fidelity/test_fidelity.py",
            "-k", "unseen and not golden",
        ]  # fmt: skip
        subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False)
        if not out.exists():
            raise SystemExit(f"seed {seed}: the fidelity run wrote no outcomes")
        return [o for o in json.loads(out.read_text()) if o["fixture"].startswith("unseen_")]


def shares(outcomes: list[dict]) -> tuple[int, int, int, int]:
    counts = Counter(o["status"] for o in outcomes)
    executed = sum(counts[s] for s in EXECUTED)
    return executed, counts["exact"], counts["warned"], counts["fail"]


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "  n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=3, help="how many fresh random seeds")
    parser.add_argument("--seed", type=int, action="append", help="a given seed (repeatable)")
    parser.add_argument("--count", type=int, default=25, help="requests drawn per seed")
    args = parser.parse_args()
    seeds = args.seed or [secrets.randbelow(10**6) for _ in range(args.seeds)]
    everything: list[dict] = []
    print(
        f"{'seed':>8} {'executed':>9} {'exact':>7} {'declared':>9} {'exact+decl':>11} {'fail':>5}"
    )
    for seed in seeds:
        outcomes = run_seed(seed, args.count)
        everything += outcomes
        executed, exact, warned, fail = shares(outcomes)
        print(
            f"{seed:>8} {executed:>9} {pct(exact, executed):>7} {pct(warned, executed):>9}"
            f" {pct(exact + warned, executed):>11} {fail:>5}"
        )
    executed, exact, warned, fail = shares(everything)
    print(
        f"{'all':>8} {executed:>9} {pct(exact, executed):>7} {pct(warned, executed):>9}"
        f" {pct(exact + warned, executed):>11} {fail:>5}"
    )
    # The browser targets can never send what a page is forbidden to set
    # (Cookie, Referer, User-Agent, ...): the share without them, apart.
    others = [o for o in everything if not o["target"].startswith("javascript-")]
    executed, exact, warned, fail = shares(others)
    print(
        f"{'no js-*':>8} {executed:>9} {pct(exact, executed):>7} {pct(warned, executed):>9}"
        f" {pct(exact + warned, executed):>11} {fail:>5}   (without the 3 browser targets)"
    )
    by_target: dict[str, list[dict]] = defaultdict(list)
    for o in everything:
        by_target[o["target"]].append(o)
    print("\nexact share by target (lowest first):")
    rows = []
    for target, outcomes in by_target.items():
        n, e, w, f = shares(outcomes)
        if n:
            rows.append((e / n, target, n, e, w, f))
    for _share, target, n, e, w, f in sorted(rows)[:12]:
        print(f"  {target:<28} {pct(e, n)} exact, {pct(w, n)} declared, {f} failures ({n} runs)")
    failures = [o for o in everything if o["status"] == "fail"]
    for o in failures[:20]:
        print(f"FAIL {o['target']} x {o['fixture']}: {' '.join(o['message'].split())[:300]}")


if __name__ == "__main__":
    main()
