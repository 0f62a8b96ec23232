"""Evaluate string literals in the real Node, PHP and Ruby, for the escaping
tests of the javascript/node, php and ruby families.

Each runtime gets one small program that prints every literal's UTF-8
bytes in hex, one per line, so any character the literal got wrong shows.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

NASTY = [
    "plain",
    "",
    "double \" single ' backtick ` backslash \\ end\\",
    "$HOME ${HOME} $(id) `id` #{1 + 1} #$x #@x %d %s %n {{x}} \\n \\u0041 \\x41",
    "line\nbreak\r\nwindows\ttab\x0bvt\x0cff\x1besc\x7fdel",
    "nul \x00 inside",
    "Zürich ünïcödé 日本 😀 \u2028 \u2029 \ufeff",
    "</script><!-- */ ?> <?php echo 1; ?> '; DROP TABLE x; --",
    "trailing backslash \\",
    "'",
    '"',
    "\\'",
    '\\"',
]

# runtime -> (file suffix, program around the literals, how to run it)
_PROGRAMS: dict[str, tuple[str, Callable[[list[str]], str], list[str]]] = {
    "node": (
        ".mjs",
        lambda lits: (
            "const items = [\n"
            + "".join(f"  {lit},\n" for lit in lits)
            + "];\nfor (const s of items) console.log(Buffer.from(s).toString('hex'));\n"
        ),
        ["node"],
    ),
    "php": (
        ".php",
        lambda lits: (
            "<?php\n$items = [\n"
            + "".join(f"    {lit},\n" for lit in lits)
            + '];\nforeach ($items as $s) { echo bin2hex($s), "\\n"; }\n'
        ),
        ["php", "-n"],
    ),
    "ruby": (
        ".rb",
        lambda lits: (
            "items = [\n"
            + "".join(f"  {lit},\n" for lit in lits)
            + "]\nitems.each { |s| puts s.unpack1('H*') }\n"
        ),
        ["ruby"],
    ),
}


def evaluate_bytes(runtime: str, literals: Sequence[str], tmp_path: Path) -> list[bytes]:
    """The bytes of what ``literals`` (source code: strings, or Node Buffers)
    evaluate to in ``runtime``."""
    if shutil.which(runtime) is None:
        pytest.skip(f"{runtime} not installed (scripts/setup installs it)")
    suffix, program, argv = _PROGRAMS[runtime]
    path = tmp_path / f"literals{suffix}"
    path.write_text(program(list(literals)), encoding="utf-8")
    done = subprocess.run(
        [*argv, str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    return [bytes.fromhex(line) for line in done.stdout.splitlines()]


def evaluate(runtime: str, literals: Sequence[str], tmp_path: Path) -> list[str]:
    """The strings ``literals`` (source code) evaluate to in ``runtime``."""
    return [b.decode("utf-8") for b in evaluate_bytes(runtime, literals, tmp_path)]
