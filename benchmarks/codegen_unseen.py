"""Code generation on requests nobody tuned the generators for.

    python benchmarks/codegen_unseen.py [--seeds N | --seed S ...] [--count 25]
    python benchmarks/codegen_unseen.py --outcomes FILE   # summarise a finished run


For each seed (fresh random seeds unless given), draws COUNT requests with
``tests/fidelity/unseen.py``, runs every target's snippet for each with its
real runtime against ``reqlab echo`` (the fidelity suite, as `./scripts/test`
runs it), and reports per seed and in total:

* exact: the echo server received exactly the modelled request;
* declared: it differed only where the snippet's own warnings say so
  (a header a browser forbids, a version the library cannot choose, ...);
* failures: anything else (a snippet that crashed or sent something wrong).

Both styles are run: the exact style judged by bytes, the idiomatic style
(the default) by meaning (``tests/fidelity/compare.py``); a target whose
code is the same in both styles counts its exact outcome for both.  Then a
table per target: exact share (exact style), semantic share (idiomatic
style), and the undeclared differences of each, which must be 0.
``--outcomes`` reads the JSON a fidelity run wrote (``REQLAB_FIDELITY_JSON``)
instead, e.g. the written fixtures of a full ``./scripts/test`` run.
Executed snippets only:
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


def by_style(outcomes: list[dict]) -> dict[str, list[dict]]:
    """exact -> the exact style's outcomes; idiomatic -> the idiomatic ones,
    with the exact outcome standing in where a target writes the same code."""
    exact = [o for o in outcomes if o.get("style", "exact") == "exact"]
    own = [o for o in outcomes if o.get("style") == "idiomatic"]
    distinct = {o["target"] for o in own}
    return {"exact": exact, "idiomatic": own + [o for o in exact if o["target"] not in distinct]}


def shares(outcomes: list[dict]) -> tuple[int, int, int, int]:
    counts = Counter(o["status"] for o in outcomes)
    executed = sum(counts[s] for s in EXECUTED)
    return executed, counts["exact"], counts["warned"], counts["fail"]


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "  n/a"


def row(label: str, outcomes: list[dict]) -> str:
    executed, exact, warned, fail = shares(outcomes)
    return (
        f"{label:>18} {executed:>9} {pct(exact, executed):>7} {pct(warned, executed):>9}"
        f" {pct(exact + warned, executed):>11} {fail:>11}"
    )


def report(everything: list[dict], per_seed: dict[int, list[dict]]) -> None:
    head = f"{'seed / style':>18} {'executed':>9} {'same':>7} {'declared':>9} {'same+decl':>11}"
    print(head + f" {'undeclared':>11}")
    for seed, outcomes in per_seed.items():
        for style, part in by_style(outcomes).items():
            print(row(f"{seed} {style}", part))
    for style, part in by_style(everything).items():
        print(row(f"all {style}", part))
        others = [o for o in part if not o["target"].startswith("javascript-")]
        print(row(f"no js-* {style}", others))
    styles = by_style(everything)
    exact_by = defaultdict(list)
    idiom_by = defaultdict(list)
    for o in styles["exact"]:
        exact_by[o["target"]].append(o)
    for o in styles["idiomatic"]:
        idiom_by[o["target"]].append(o)
    distinct = {o["target"] for o in everything if o.get("style") == "idiomatic"}
    print(
        f"\n{'target':<28} {'code':>9} {'exact':>7} {'undecl':>6}"
        f" {'semantic':>9} {'undecl':>6}  (exact style by bytes, idiomatic by meaning)"
    )
    for target in exact_by:
        n, e, _w, f = shares(exact_by[target])
        n2, e2, _w2, f2 = shares(idiom_by[target])
        if n:
            kind = "idiomatic" if target in distinct else "same"
            print(f"{target:<28} {kind:>9} {pct(e, n):>7} {f:>6} {pct(e2, n2):>9} {f2:>6}")
    failures = [o for o in everything if o["status"] == "fail"]
    for o in failures[:20]:
        print(
            f"FAIL {o['target']} x {o['fixture']} ({o.get('style', 'exact')}):"
            f" {' '.join(o['message'].split())[:300]}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=3, help="how many fresh random seeds")
    parser.add_argument("--seed", type=int, action="append", help="a given seed (repeatable)")
    parser.add_argument("--count", type=int, default=25, help="requests drawn per seed")
    parser.add_argument("--outcomes", type=Path, help="summarise this run's JSON instead")
    args = parser.parse_args()
    if args.outcomes:
        outcomes = json.loads(args.outcomes.read_text())
        written = [o for o in outcomes if not o["fixture"].startswith("unseen_")]
        drawn = [o for o in outcomes if o["fixture"].startswith("unseen_")]
        for label, part in (("written fixtures", written), ("drawn requests", drawn)):
            if part:
                print(f"== {label} ({args.outcomes})")
                report(part, {})
                print()
        return
    seeds = args.seed or [secrets.randbelow(10**6) for _ in range(args.seeds)]
    per_seed = {seed: run_seed(seed, args.count) for seed in seeds}
    report([o for part in per_seed.values() for o in part], per_seed)


if __name__ == "__main__":
    main()
