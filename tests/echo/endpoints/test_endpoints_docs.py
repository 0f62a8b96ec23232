"""docs/echo-endpoints.md documents every registered route, each with a curl example."""

from __future__ import annotations

import re
from pathlib import Path

from reqlab.echo.endpoints._router import _fixed, _patterns
from reqlab.echo.endpoints.reqbin import ANSWERS

DOC = Path(__file__).resolve().parents[3] / "docs" / "echo-endpoints.md"


def _norm(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path).replace("/...", "/{}")


def documented() -> set[str]:
    """Endpoint paths in the first column of the doc's tables (optional parts expanded)."""
    out: set[str] = set()
    for line in DOC.read_text().splitlines():
        if not line.startswith("| `/"):
            continue
        first = line.split("|")[1]
        for token in re.findall(r"`([^`]+)`", first):
            token = token.split("?")[0]
            out.add(_norm(re.sub(r"\[[^\]]*\]", "", token)))
            out.add(_norm(token.replace("[", "").replace("]", "")))
    return out


def test_every_route_is_documented():
    routes = {_norm(p) for p in _fixed} | {_norm(r.pattern) for r in _patterns} | set(ANSWERS)
    routes |= {"/echo", "/echo/raw"}
    assert routes - documented() == set()


def test_every_table_row_has_a_curl_example():
    rows = [ln for ln in DOC.read_text().splitlines() if ln.startswith("| `/")]
    assert rows and all("`curl " in row for row in rows)
