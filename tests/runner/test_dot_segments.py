"""Dot segments in a Hurl file's URL are removed as curl removes them
(RFC 3986 section 5.2.4) unless ``path-as-is``; tests/runner/hurl_files/
path_dot_segments.hurl checks the same against Hurl itself."""

from __future__ import annotations

import itertools
from urllib.parse import urljoin, urlsplit

import pytest

from reqlab.runner._build import remove_dot_segments, squash_dots


def test_the_rfcs_own_examples() -> None:
    assert remove_dot_segments("/a/b/c/./../../g") == "/a/g"
    assert remove_dot_segments("mid/content=5/../6") == "mid/6"


def test_agrees_with_the_standard_library_on_every_short_path() -> None:
    """Every path of up to 6 segments from a, ., .., b.c, .x (19,530 paths):
    urljoin resolves a reference by the same algorithm.  (Paths with empty
    segments are left out: urljoin reads '//a' as an authority.)"""
    segments = ["a", ".", "..", "b.c", ".x"]
    for n in range(1, 7):
        for combo in itertools.product(segments, repeat=n):
            path = "/" + "/".join(combo)
            assert remove_dot_segments(path) == urlsplit(urljoin("http://h/", path)).path, path


@pytest.mark.parametrize(
    ("url", "sent"),
    [
        ("http://h:8/a/../b?x=/../y#/./f", "http://h:8/b?x=/../y#/./f"),
        ("http://h/.well-known/x", "http://h/.well-known/x"),
        ("http://h", "http://h"),
        ("http://h/..", "http://h/"),
        ("http://h/a/./", "http://h/a/"),
    ],
)
def test_only_the_path_changes(url: str, sent: str) -> None:
    assert squash_dots(url) == sent
