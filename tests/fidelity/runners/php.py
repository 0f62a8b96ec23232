"""PHP targets: php-cli with ext-curl, and Debian's Guzzle for php-guzzle."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from fidelity.harness import Case, Result, Runner, Unavailable, require_tools, run_commands

GUZZLE = Path("/usr/share/php/GuzzleHttp/autoload.php")


class PhpRunner(Runner):
    runtime = "php"

    def prepare(self, cache_dir: Path) -> None:
        self.php = require_tools("php")["php"]
        modules = subprocess.run([self.php, "-m"], capture_output=True, text=True, check=False)
        if "curl" not in modules.stdout.split():
            raise Unavailable("php has no curl extension (scripts/setup installs php-curl)")
        if not GUZZLE.exists():
            raise Unavailable(f"{GUZZLE} missing (scripts/setup installs php-guzzlehttp-guzzle)")

    def run(self, cases: Sequence[Case]) -> dict[str, Result]:
        return run_commands((c, [self.php, c.filename]) for c in cases)


_PHP = PhpRunner()
RUNNERS: dict[str, Runner] = {"php-curl": _PHP, "php-guzzle": _PHP}
