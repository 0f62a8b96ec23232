"""Any text gets a clear answer from the Hurl parser: a parsed file or a
HurlSyntaxError naming file:line:col, never another exception."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reqlab.formats.hurl import HurlSyntaxError, parse

FILES = sorted((Path(__file__).parent / "hurl_files").glob("*.hurl"))
# pieces of real files, recombined: reaches deep into the grammar
PIECES = [line for f in FILES for line in f.read_text().splitlines()]
ALPHABET = st.sampled_from(list('GETPOSHTP 200[]{}"`#\\:/$.*@,;<>=!\n\t') + ["{{", "}}", "```"])


# no per-example deadline: on a loaded machine a parse may take longer than
# Hypothesis's 200 ms default, which would fail the test for the wrong reason
RELAXED = settings(deadline=None)


def _answer(text: str) -> None:
    try:
        parse(text, "f.hurl")
    except HurlSyntaxError as exc:
        assert str(exc).startswith("f.hurl:")
        line, col = exc.pos.line, exc.pos.column
        assert 1 <= line <= text.count("\n") + 1 and col >= 1


@RELAXED
@given(st.lists(st.sampled_from(PIECES), max_size=12))
def test_recombined_lines(lines: list[str]) -> None:
    _answer("\n".join(lines) + "\n")


@RELAXED
@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_arbitrary_text(text: str) -> None:
    _answer(text)


@RELAXED
@given(st.text(max_size=80))
def test_any_unicode(text: str) -> None:
    _answer("GET http://h\nHTTP 200\n[Asserts]\n" + text)
