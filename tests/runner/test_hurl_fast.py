"""The Hurl parser's fast path (formats/hurl/_fast.py) builds exactly the
trees the general path builds, and never changes an error or its position:
every file of the corpus, recombined lines of it, and near-misses of the
simple shape, parsed both ways."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reqlab.formats.hurl import HurlSyntaxError, _fast, parse
from reqlab.formats.hurl._ast import HurlFile
from reqlab.formats.hurl._cursor import Cursor

FILES = sorted((Path(__file__).parent / "hurl_files").glob("*.hurl"))
PIECES = [line for f in FILES for line in f.read_text().splitlines()]
SIMPLE = 'GET {{base}}/echo\nHTTP 200\n[Asserts]\njsonpath "$.method" == "GET"\n'
# lines of the simple shape and the near-misses the fast path must leave
# to the general parser (or read the same way)
SHAPES = [
    "GET {{base}}/echo",
    "POST http://127.0.0.1:8000/a{{x}}{{ y }}b?q=1",
    "GET http://h/{{a}}",
    "GET  http://h/",
    "GET http://h/ # comment",
    "GET http://h/\\{",
    "GET http://h/{x",
    "get http://h/",
    "HTTP 200",
    "HTTP/1.1 404",
    "HTTP/2 201",
    "HTTP/3 200",
    "HTTP *",
    "HTTP 20",
    "HTTP 2000",
    "HTTP/1.1  200",
    "[Asserts]",
    "[Captures]",
    "[Asserts] # c",
    'jsonpath "$.method" == "GET"',
    'jsonpath "$.n" == 3',
    'jsonpath "$.n" == -3',
    'jsonpath "$.n" == 3.5',
    'jsonpath "$.s" == ""',
    'jsonpath "$.s" exists',
    'jsonpath "$.s" count == 1',
    'jsonpath "$.s" not exists',
    'jsonpath "$.s" matches "a.*"',
    'header "Content-Type" contains "json"',
    "status == 200",
    "status == 200 # c",
    "status  == 200",
    'status == "x"',
    'body == "{{x}}"',
    "bytes == hex,00;",
    "connection reused == true",
    "status exists 1",
    'regex "a" == "b"',
    'nosuch "a" == "b"',
    "status nosuch 1",
    "Accept: */*",
    "x: y",
    "GET : x",
    "",
    "# comment",
    "   ",
    '{"a": 1}',
    "`text`",
]


def _both(text: str) -> tuple[HurlFile | str, HurlFile | str]:
    out: list[HurlFile | str] = []
    for fast in (True, False):
        try:
            out.append(parse(text, "f.hurl", fast=fast))
        except HurlSyntaxError as exc:
            out.append(str(exc))
    return out[0], out[1]


def test_corpus_files_parse_the_same_both_ways() -> None:
    assert len(FILES) > 100
    for f in FILES:
        fast, general = _both(f.read_text())
        assert fast == general, f.name


def test_the_simple_entry_takes_the_fast_path_and_matches() -> None:
    assert _fast.entry(Cursor(SIMPLE, "f.hurl"), 1) is not None  # the shortcut is taken
    assert _fast.entry(Cursor("GET http://h\nAccept: */*\n", "f.hurl"), 1) is None
    text = SIMPLE * 3 + "\n" + SIMPLE.replace("GET", "PUT")
    fast, general = _both(text)
    assert isinstance(fast, HurlFile) and fast == general
    assert [e.index for e in fast.entries] == [1, 2, 3, 4]
    assert fast.entries[3].request.method == "PUT"
    expr = fast.entries[1].request.url.parts[0]
    assert str(expr.pos) == "5:5"  # type: ignore[union-attr]
    assert str(fast.entries[1].response.asserts[0].predicate.pos) == "8:21"  # type: ignore[union-attr]


def test_an_error_after_a_simple_entry_keeps_its_position() -> None:
    fast, general = _both(SIMPLE + "\nGET http://h\nHTTP 200\n[Asserts]\nstatus == nope\n")
    assert fast == general
    assert isinstance(fast, str) and fast.startswith("f.hurl:9:")


RELAXED = settings(deadline=None)


@RELAXED
@given(st.lists(st.sampled_from(SHAPES), max_size=14), st.sampled_from(["\n", "", "\r\n"]))
def test_shapes_and_near_misses_parse_the_same(lines: list[str], end: str) -> None:
    fast, general = _both("\n".join(lines) + end)
    assert fast == general


@RELAXED
@given(st.lists(st.sampled_from(PIECES + SHAPES), max_size=12))
def test_recombined_corpus_lines_parse_the_same(lines: list[str]) -> None:
    fast, general = _both("\n".join(lines) + "\n")
    assert fast == general
