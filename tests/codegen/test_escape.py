"""The shared string-literal writers (``codegen/_escape.py``), evaluated by
the real runtimes with nasty strings and a random corpus.

Each language gets one program holding every literal (so one compile or
start per language); it prints each value's UTF-8 bytes, which must be the
text's.  The family tests check their own literals with a fixed list; this
adds a seeded random corpus of quotes, backslashes, ``$``, backticks,
``#{}``, ``%``, control characters, NUL, non-ASCII and astral characters.
"""

from __future__ import annotations

import random
import subprocess

import pytest
from tests.codegen import _compiled, _scripting

from fidelity.fixtures import NASTY as FIXTURE_NASTY
from reqlab.codegen import _escape

pytestmark = pytest.mark.xdist_group("codegen-escape")

_PIECES = [
    *"\"'`\\$#%{}()[]<>|&;*?!~^@=+,. \t\n\r",
    "\x00",
    "\x01",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x7f",
    "\x85",
    "${HOME}",
    "$(id)",
    "#{1+1}",
    "%d",
    "%s",
    "%n",
    "{{x}}",
    "\\n",
    "\\u0041",
    "\\x41",
    "\\0",
    "é",
    "ü",
    "日本",
    "😀",
    "👍🏽",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u200b",
    "\ud7ff",
    "\ue000",
    "*/",
    "/*",
    "-->",
    "?>",
    "<?php",
    "EOF",
    "'''",
    '"""',
    "\\\\",
    '\\"',
    "\\'",
]


def corpus(n: int = 120, seed: int = 5) -> list[str]:
    """Fixed nasty strings plus ``n`` seeded random ones (the same every run)."""
    rng = random.Random(seed)
    made = ["".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 12))) for _ in range(n)]
    return [*_scripting.NASTY, FIXTURE_NASTY, *made]


def without_nul(texts: list[str]) -> list[str]:
    return [t for t in texts if "\x00" not in t]


def test_python_literals_evaluate_to_the_text() -> None:
    from reqlab.codegen._pysrc import s

    for text in corpus(400):
        assert eval(_escape.python_str(text)) == text  # noqa: S307 - our own literal
        assert eval(s(text)) == text  # noqa: S307 - the double-quote-preferring variant


def test_shell_words_survive_bash(tmp_path) -> None:
    # A shell word cannot hold NUL (C strings); every other text must survive.
    texts = without_nul(corpus())
    script = "".join(
        f"printf '%s' {_escape.shell_str(t)} | od -An -v -tx1 | tr -d ' \\n'; echo\n" for t in texts
    )
    (tmp_path / "words.sh").write_text(script, encoding="utf-8")
    done = subprocess.run(
        ["bash", "words.sh"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    got = [bytes.fromhex(line).decode() for line in done.stdout.splitlines()]
    assert got == texts


@pytest.mark.parametrize(
    "runtime, literal",
    [
        ("node", _escape.double_quoted_js),
        ("php", _escape.php_str),
        ("ruby", _escape.ruby_str),
    ],
)
def test_scripting_literals(runtime, literal, tmp_path) -> None:
    texts = corpus()
    assert _scripting.evaluate(runtime, [literal(t) for t in texts], tmp_path) == texts


@pytest.mark.parametrize(
    "language, literal",
    [("go", _escape.go_str), ("java", _escape.java_str)],
)
def test_compiled_literals(language, literal, tmp_path) -> None:
    texts = corpus()
    got = _compiled.evaluate(language, [literal(t) for t in texts], tmp_path)
    assert [b.decode() for b in got] == texts


def test_powershell_single_quotes_are_the_only_escape() -> None:
    # No PowerShell here to run; check the rule: inside '...' only quotes are
    # special, and PowerShell treats the typographic ones as quotes too.
    for text in corpus():
        literal = _escape.powershell_str(text)
        inner = literal[1:-1]
        assert literal[0] == literal[-1] == "'"
        undoubled = inner
        for quote in "'\u2018\u2019\u201a\u201b":
            undoubled = undoubled.replace(quote * 2, "\0q")
            assert quote not in undoubled
        assert len(inner) - len(text) == sum(text.count(q) for q in "'\u2018\u2019\u201a\u201b")


def test_comment_safe_never_breaks_a_line() -> None:
    for text in corpus():
        assert "\n" not in _escape.comment_safe(text) and "\r" not in _escape.comment_safe(text)
