"""The fidelity session: one recording echo server, a cache dir, the matrix.

* ``fidelity`` (session): the :class:`FidelitySession` every test asks for
  its outcome; under pytest-xdist each worker has its own server and only
  runs the families (``xdist_group``) it was given.
* cache dir for built dependencies (npm packages, cargo target, jars):
  ``$REQLAB_FIDELITY_CACHE`` or ``~/.cache/reqlab/fidelity``, outside the repo.
* the matrix: each test attaches its outcome to its report; the controller
  collects them and, when the whole matrix ran, writes docs/codegen-matrix.md
  (a partial run writes ``codegen-matrix.partial.md`` in the cache dir).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from fidelity.matrix import write_matrix
from fidelity.server import RecordingEchoServer
from fidelity.session import FidelitySession

REPO = Path(__file__).resolve().parents[2]


def cache_dir() -> Path:
    path = Path(os.environ.get("REQLAB_FIDELITY_CACHE") or Path.home() / ".cache/reqlab/fidelity")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _selected(session: pytest.Session) -> list[tuple[str, str, str]]:
    keys = []
    for item in session.items:
        spec = getattr(item, "callspec", None)
        if item.originalname == "test_fidelity" and spec is not None:
            p = spec.params
            keys.append((p["target"], p["fixture"], p["style"]))
    return keys


@pytest.fixture(scope="session")
def fidelity(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[FidelitySession]:
    server = RecordingEchoServer()
    try:
        yield FidelitySession(
            server, cache_dir(), tmp_path_factory.mktemp("fidelity"), _selected(request.session)
        )
    finally:
        server.close()


# ------------------------------------------------------------------ matrix
_OUTCOMES: dict[tuple[str, str, str], dict] = {}
_SECONDS: dict[str, float] = {}  # family -> seconds its batch took (generate, run, judge)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    # Every phase's report carries the properties; keep one per test.
    for name, value in report.user_properties:
        if name == "fidelity":
            outcome = json.loads(value)
            key = (outcome["target"], outcome["fixture"], outcome["style"])
            _OUTCOMES[key] = outcome
        elif name == "fidelity-seconds":
            family, seconds = json.loads(value)
            if seconds is not None:
                _SECONDS[family] = seconds


def pytest_sessionfinish(session: pytest.Session) -> None:
    if hasattr(session.config, "workerinput") or not _OUTCOMES:
        return  # a worker: the controller writes the matrix
    from fidelity.fixtures import FIXTURES
    from fidelity.session import families, has_idiomatic

    styles = sum(2 if has_idiomatic(t) else 1 for t in families())
    full = len(_OUTCOMES) == styles * len(FIXTURES)
    full = full and not os.environ.get("REQLAB_FIDELITY_FAMILIES")
    path = REPO / "docs/codegen-matrix.md" if full else cache_dir() / "codegen-matrix.partial.md"
    if os.environ.get("REQLAB_MATRIX_PATH"):
        path = Path(os.environ["REQLAB_MATRIX_PATH"])
    write_matrix(list(_OUTCOMES.values()), path)
    if os.environ.get("REQLAB_FIDELITY_JSON"):  # for benchmarks/codegen_unseen.py
        Path(os.environ["REQLAB_FIDELITY_JSON"]).write_text(json.dumps(list(_OUTCOMES.values())))
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"codegen matrix written to {path}")
        times = ", ".join(f"{f} {s:.0f}s" for f, s in sorted(_SECONDS.items(), key=lambda x: -x[1]))
        reporter.write_line(f"fidelity batches: {times}")
