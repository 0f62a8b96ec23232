"""Runner discovery: every ``runners/<family>.py`` exposes ``RUNNERS``.

``RUNNERS: dict[str, Runner]`` maps target ids to the runner that executes
them; one runner object may serve several targets (its ``run`` then gets
all their cases in one batch).  A target with no runner anywhere is
reported as not executed.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from fidelity.harness import Runner


@cache
def discover() -> dict[str, Runner]:
    runners: dict[str, Runner] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for target_id, runner in getattr(module, "RUNNERS", {}).items():
            if target_id in runners:
                raise RuntimeError(f"two runners claim {target_id!r} (second in {info.name}.py)")
            runners[target_id] = runner
    return runners
