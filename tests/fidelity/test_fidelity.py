"""Every target x fixture: generated, run with the real runtime, judged by what arrived.

See ``compare.py`` for what "exact" means and ``docs/codegen.md`` for how
to read the matrix this writes.
"""

from __future__ import annotations

import json
import os

import pytest

from fidelity.fixtures import FIXTURES
from fidelity.harness import Result
from fidelity.session import GOLDEN_BASE, families, golden_runner, has_idiomatic, render

GOLDEN = os.path.join(os.path.dirname(__file__), "golden")


def _params() -> list:
    """Every target x fixture in the exact style (judged by bytes), and again
    in the idiomatic style (judged by meaning) for the targets whose
    idiomatic code differs; the others write the same code in both."""
    return [
        pytest.param(
            target,
            fixture,
            style,
            marks=pytest.mark.xdist_group(family),
            id=f"{target}:{fixture}" + (":idiomatic" if style == "idiomatic" else ""),
        )
        for style in ("exact", "idiomatic")
        for target, family in families().items()
        if style == "exact" or has_idiomatic(target)
        for fixture in FIXTURES
    ]


@pytest.mark.parametrize("target, fixture, style", _params())
def test_fidelity(target: str, fixture: str, style: str, fidelity, record_property) -> None:
    outcome = fidelity.outcome(target, fixture, style)
    family = families()[target]
    record_property("fidelity", json.dumps(outcome.as_dict()))
    record_property("fidelity-seconds", json.dumps([family, fidelity.timings.get(family)]))
    if outcome.status == "not executed":
        pytest.skip(f"not executed: {outcome.message}")
    if outcome.expected_failure:
        if outcome.status == "xfail":
            pytest.xfail(outcome.expected_failure)
        pytest.fail(
            f"expected to fail ({outcome.expected_failure}) but it passed: remove the entry"
        )
    assert outcome.status in ("exact", "warned"), outcome.message


def _golden_params() -> list:
    return [
        pytest.param(
            target,
            fixture,
            style,
            id=f"{target}:{fixture}" + (":idiomatic" if style == "idiomatic" else ""),
        )
        for style in ("exact", "idiomatic")
        for target in families()
        if golden_runner(target) is not None and (style == "exact" or has_idiomatic(target))
        for fixture in FIXTURES
    ]


@pytest.mark.parametrize("target, fixture, style", _golden_params())
def test_golden(target: str, fixture: str, style: str, tmp_path) -> None:
    """Targets whose runtime is not installable here: the code must match the
    reviewed golden file (regenerate with REQLAB_UPDATE_GOLDEN=1) and parse;
    the idiomatic style's files are ``<fixture>.idiomatic.<ext>``."""
    runner = golden_runner(target)
    assert runner is not None
    code = render(FIXTURES[fixture].build(GOLDEN_BASE), target, style=style).code  # type: ignore[arg-type]
    suffix = ".idiomatic" if style == "idiomatic" else ""
    if not fixture.startswith("unseen_"):  # a drawn request has no reviewed golden file
        name = f"{fixture}{suffix}.{runner.extension}"
        _same_as_golden(code, os.path.join(GOLDEN, target, name))
    if runner.syntax_check is not None:
        file = tmp_path / f"snippet.{runner.extension}"
        file.write_text(code, encoding="utf-8")
        result: Result = runner.syntax_check(file)
        assert result.returncode == 0, result.tail()


def _same_as_golden(code: str, path: str) -> None:
    if os.environ.get("REQLAB_UPDATE_GOLDEN") == "1":
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(code)
    assert os.path.exists(path), f"no golden file {path}; run with REQLAB_UPDATE_GOLDEN=1"
    with open(path, encoding="utf-8", newline="") as f:
        assert code == f.read(), f"the output changed; review and update {path}"
