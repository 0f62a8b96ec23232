"""Hurl files (``.hurl``): read into :mod:`reqlab.formats.hurl._ast` nodes.

    from reqlab.formats.hurl import parse
    hurl = parse(text, "api.hurl")   # HurlSyntaxError names file:line:col
    checks_at(text, "api.http", [("assert", 120)])  # one assert line in other text

Pure: no I/O.  Running the entries is the runner's job (``reqlab run``).
"""

from __future__ import annotations

from reqlab.formats.hurl import _ast as ast
from reqlab.formats.hurl._checks import checks_at
from reqlab.formats.hurl._cursor import HurlSyntaxError
from reqlab.formats.hurl._parse import parse

__all__ = ["HurlSyntaxError", "ast", "checks_at", "parse"]
