"""The README's scripts work inside the project-local .venv only."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted([*ROOT.glob("scripts/*"), *ROOT.glob("scripts/setup.d/*.sh")])


def test_no_script_runs_pip_outside_the_venv() -> None:
    offenders = []
    for script in SCRIPTS:
        if not script.is_file():
            continue
        for number, line in enumerate(script.read_text().splitlines(), 1):
            code = line.split("#", 1)[0]
            if re.match(r"\s*log\b", code):  # a message, not a command
                continue
            # pip is reached only through the venv's interpreter ($PY -m pip,
            # "$VENV/bin/python" -m pip) or the vpip helper built on it.
            if re.search(r"\bpip3?\s+install\b", code) and not re.search(
                r'(\$PY|\$\{?VENV\}?/bin/python)"?\s+-m\s+pip', code
            ):
                offenders.append(f"{script.relative_to(ROOT)}:{number}: {line.strip()}")
            if re.search(r"\bpython3?\s+-m\s+pip\b", code):
                offenders.append(f"{script.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, offenders


def test_test_and_serve_use_the_project_venv() -> None:
    for name in ("setup", "serve"):
        assert ". scripts/_venv.sh" in (ROOT / "scripts" / name).read_text()
    assert "PY=.venv/bin/python" in (ROOT / "scripts" / "test").read_text()
