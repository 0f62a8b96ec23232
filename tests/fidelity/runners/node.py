"""Node targets: each snippet runs as an ES module with Node 20.

Node resolves ``import axios from "axios"`` by walking up from the file's
directory (``NODE_PATH`` does not apply to ES modules), so each case's
workdir gets a ``node_modules`` symlink to the npm packages installed once
by scripts/setup in the cache.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from fidelity.harness import Case, Result, Runner, Unavailable, require_tools, run_commands
from fidelity.runners._npm import npm_file
from reqlab.codegen.node import FETCH_ADDS as _ADDS

FETCH_ADDS = frozenset(name.lower() for name in _ADDS)


class NodeRunner(Runner):
    runtime = "node"

    def prepare(self, cache_dir: Path) -> None:
        self.node = require_tools("node")["node"]
        major = subprocess.run(
            [self.node, "-p", "process.versions.node.split('.')[0]"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        if not major.isdigit() or int(major) < 20:
            raise Unavailable(f"Node 20 or later needed, found {major or 'nothing'}")
        self.modules = npm_file("axios", "package.json").parents[1]

    def extra_headers(self, target: str) -> frozenset[str]:
        # undici writes these on every fetch (Fetch standard defaults).
        return FETCH_ADDS if target == "node-fetch" else frozenset()

    def run(self, cases: Sequence[Case]) -> dict[str, Result]:
        for case in cases:
            link = case.workdir / "node_modules"
            if not link.exists():
                link.symlink_to(self.modules, target_is_directory=True)
        return run_commands((c, [self.node, c.filename]) for c in cases)


_NODE = NodeRunner()
RUNNERS: dict[str, Runner] = {"node-fetch": _NODE, "node-axios": _NODE, "node-http": _NODE}
