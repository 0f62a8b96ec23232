"""Write docs/codegen-matrix.md from the outcomes of a fidelity run."""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from pathlib import Path

SYMBOL = {"exact": "✔", "warned": "W", "xfail": "X", "fail": "✘", "not executed": "–"}
ORDER = ("exact", "warned", "xfail", "fail", "not executed")
UNSEEN = "unseen_"  # fixtures drawn at random (unseen.py), counted apart


def write_matrix(outcomes: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_matrix(outcomes), encoding="utf-8")


def render_matrix(all_outcomes: list[dict]) -> str:
    from fidelity.fixtures import FIXTURES
    from fidelity.session import families

    outcomes = [o for o in all_outcomes if o.get("style", "exact") == "exact"]
    idiomatic = _idiomatic(all_outcomes, outcomes)
    cells = {(o["target"], o["fixture"]): o for o in outcomes}
    targets = [t for t in families() if any(k[0] == t for k in cells)]
    fixtures = [f for f in FIXTURES if any(k[1] == f for k in cells)]
    curated = [o for o in outcomes if not o["fixture"].startswith(UNSEEN)]
    drawn = [o for o in outcomes if o["fixture"].startswith(UNSEEN)]
    counts = Counter(o["status"] for o in curated)
    executed = sum(counts[s] for s in ("exact", "warned", "xfail", "fail"))
    lines = [
        "# Code generation fidelity matrix",
        "",
        "Written by the fidelity tests (`./scripts/test tests/fidelity`); do not edit by hand.",
        "Every cell is one snippet, generated for one request, run with the real runtime",
        "against `reqlab echo` on 127.0.0.1, and judged by what the server received",
        "(see [codegen.md](codegen.md#how-it-is-proven)).",
        "",
        "Legend: ✔ exact · W sent with a difference the snippet's warnings declare ·"
        " X expected failure (explained below) · ✘ fail · – not executed (golden file only)",
        "",
        f"**{counts['exact']} of {executed} executed snippets sent exactly the modelled request"
        f" ({_pct(counts['exact'], executed)}); with the {counts['warned']} whose every difference"
        f" the snippet's warnings declare, {_pct(counts['exact'] + counts['warned'], executed)};"
        f" {counts['xfail']} expected failures, {counts['fail']} failures;"
        f" {counts['not executed']} not executed.**",
        "",
        *_unseen_summary(drawn),
        *_idiomatic_summary(idiomatic),
        "## Summary by target (the written fixtures)",
        "",
        "| target | " + " | ".join(ORDER) + " |",
        "|---|" + "---:|" * len(ORDER),
    ]
    by_target: dict[str, Counter] = defaultdict(Counter)
    for o in curated:  # the written fixtures: the drawn ones change with the seed
        by_target[o["target"]][o["status"]] += 1
    for t in targets:
        lines.append(f"| {t} | " + " | ".join(str(by_target[t][s]) for s in ORDER) + " |")
    lines += ["", "## Targets x fixtures", ""]
    lines.append("| target | " + " | ".join(str(i + 1) for i in range(len(fixtures))) + " |")
    lines.append("|---|" + ":-:|" * len(fixtures))
    for t in targets:
        row = [
            SYMBOL.get(cells[(t, f)]["status"], "?") if (t, f) in cells else " " for f in fixtures
        ]
        lines.append(f"| {t} | " + " | ".join(row) + " |")
    lines += ["", "Fixtures:", ""]
    lines += [f"{i + 1}. `{f}`: {FIXTURES[f].about}" for i, f in enumerate(fixtures)]
    lines += ["", "## Everything that is not exact", ""]
    for t in targets:
        for f in fixtures:
            o = cells.get((t, f))
            if o is None or o["status"] == "exact":
                continue
            lines.append(f"- **{t}** × `{f}`: {o['status']}. {_why(o)}")
    lines += _idiomatic_section(idiomatic, targets, fixtures)
    return "\n".join(lines).rstrip() + "\n"


def _idiomatic(all_outcomes: list[dict], exact: list[dict]) -> list[dict]:
    """The idiomatic style's outcomes: a target without idiomatic code of its
    own writes the exact code, so its exact outcome stands for both."""
    own = [o for o in all_outcomes if o.get("style") == "idiomatic"]
    distinct = {o["target"] for o in own}
    same = [{**o, "same_code": True} for o in exact if o["target"] not in distinct]
    return own + same


def _rates(outcomes: list[dict]) -> tuple[Counter, int]:
    counts = Counter(o["status"] for o in outcomes)
    return counts, sum(counts[s] for s in ("exact", "warned", "xfail", "fail"))


def _idiomatic_summary(idiomatic: list[dict]) -> list[str]:
    lines = []
    for label, part in (
        ("written fixtures", [o for o in idiomatic if not o["fixture"].startswith(UNSEEN)]),
        ("unseen requests", [o for o in idiomatic if o["fixture"].startswith(UNSEEN)]),
    ):
        counts, executed = _rates(part)
        if not executed:
            continue
        lines += [
            f"**Idiomatic style ({label}), judged by meaning: {counts['exact']} of {executed}"
            f" executed snippets sent the same request ({_pct(counts['exact'], executed)});"
            f" with the {counts['warned']} whose differences their warnings declare,"
            f" {_pct(counts['exact'] + counts['warned'], executed)};"
            f" {counts['xfail']} expected failures, {counts['fail']} undeclared differences.**",
            "",
        ]
    return lines


def _idiomatic_section(idiomatic: list[dict], targets: list[str], fixtures: list[str]) -> list[str]:
    lines = [
        "",
        "## The idiomatic style (the default), judged by meaning",
        "",
        "Same method, path and query pairs, header names and values, JSON by value,",
        "forms by pairs, multipart by parts (`compare.py`, semantic).  *same code*: the",
        "target writes one form for both styles, so its exact outcome above stands.",
        "",
        "| target | code | " + " | ".join(ORDER) + " |",
        "|---|---|" + "---:|" * len(ORDER),
    ]
    by_target: dict[str, Counter] = defaultdict(Counter)
    same: set[str] = set()
    for o in idiomatic:
        if not o["fixture"].startswith(UNSEEN):
            by_target[o["target"]][o["status"]] += 1
        if o.get("same_code"):
            same.add(o["target"])
    for t in targets:
        kind = "same code" if t in same else "idiomatic"
        lines.append(f"| {t} | {kind} | " + " | ".join(str(by_target[t][s]) for s in ORDER) + " |")
    lines += ["", "Not the same by meaning (idiomatic code only):", ""]
    cells = {(o["target"], o["fixture"]): o for o in idiomatic if not o.get("same_code")}
    for t in targets:
        for f in fixtures:
            o = cells.get((t, f))
            if o is not None and o["status"] != "exact":
                lines.append(f"- **{t}** × `{f}`: {o['status']}. {_why(o)}")
    return lines


def _unseen_summary(drawn: list[dict]) -> list[str]:
    """The line for the randomly drawn requests, when the run had some."""
    if not drawn:
        return []
    counts = Counter(o["status"] for o in drawn)
    executed = sum(counts[s] for s in ("exact", "warned", "xfail", "fail"))
    fixtures = {o["fixture"] for o in drawn}
    return [
        f"**Unseen requests ({len(fixtures)} drawn at random by `tests/fidelity/unseen.py`,"
        f" seed {os.environ.get('REQLAB_FIDELITY_SEED') or 1}): {counts['exact']} of {executed}"
        f" executed snippets exact ({_pct(counts['exact'], executed)}); with the"
        f" {counts['warned']} declared in warnings,"
        f" {_pct(counts['exact'] + counts['warned'], executed)};"
        f" {counts['fail']} failures.**",
        "",
    ]


def _why(o: dict) -> str:
    if o["status"] == "xfail":
        text = o["expected_failure"]
    elif o["status"] == "warned":
        text = "Declared: " + "; ".join(o["warnings"])
    else:
        text = o["message"].split("\n(snippet")[0]
    return " ".join(str(text).split())[:400]


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"
