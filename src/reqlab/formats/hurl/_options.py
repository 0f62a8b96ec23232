"""The [Options] section: per-request settings (Hurl's command-line options).

Each option has a value type.  reqlab runs the ones in ``SUPPORTED``; the
others are recognised and reported as unsupported at their position, so a
file never runs with an option silently ignored.
"""

from __future__ import annotations

import re

from reqlab.formats.hurl import _strings
from reqlab.formats.hurl._ast import Expr, Literal, OptionSpec, Pos
from reqlab.formats.hurl._cursor import Cursor, HurlSyntaxError

BOOL = {
    "compressed", "http1.0", "http1.1", "http2", "http3", "insecure", "ipv4", "ipv6",
    "location", "location-trusted", "netrc", "netrc-optional", "path-as-is", "skip",
    "verbose", "very-verbose", "ntlm", "digest", "negotiate",
}  # fmt: skip
INT = {"max-redirs", "repeat", "retry", "limit-rate"}
# duration options and their unit when none is written
DURATION = {"delay": "ms", "retry-interval": "ms", "connect-timeout": "s", "max-time": "s"}
TEXT = {
    "cacert", "cert", "key", "connect-to", "resolve", "proxy", "output", "user",
    "aws-sigv4", "unix-socket", "netrc-file", "pinnedpubkey", "header",
}  # fmt: skip
SUPPORTED = {
    "compressed", "http1.0", "http1.1", "http2", "http3", "insecure", "location", "max-redirs",
    "repeat", "retry", "retry-interval", "delay", "skip", "verbose", "very-verbose",
    "variable", "connect-timeout", "max-time", "user", "header", "cacert", "cert", "key",
    "proxy", "digest", "aws-sigv4", "resolve", "connect-to", "ipv4", "ipv6", "path-as-is",
    "output", "netrc", "netrc-file", "netrc-optional",
}  # fmt: skip

_NAME = re.compile(r"[a-z0-9][a-z0-9.\-]*")
_DURATION = re.compile(r"(\d+)(ms|s|m)?(?![\w.])")
_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_MS = {"ms": 1, "s": 1000, "m": 60_000}


def option_line(cur: Cursor) -> OptionSpec:
    cur.sp()
    start = cur.i
    pos = cur.pos()
    m = cur.match(_NAME)
    name = m.group() if m else ""
    known = name in BOOL or name in INT or name in DURATION or name in TEXT or name == "variable"
    if not known:
        raise cur.error(f"unknown option {name!r}" if name else "expected an option", start)
    if name not in SUPPORTED:
        raise cur.unsupported(f"option {name!r}", start)
    cur.sp()
    cur.expect(":", f"':' after option {name}")
    cur.sp()
    spec = _value(cur, name, pos)
    cur.lt()
    return spec


def _variable_value(cur: Cursor) -> Literal:
    """A typed literal (``n=1``, ``s="x"``) or, as Hurl allows, bare text."""
    start = cur.i
    try:
        value = _strings.literal(cur)
        if cur.at_lt():
            return value
    except HurlSyntaxError:
        pass
    cur.i = start
    return _strings.value_string(cur)


def _value(cur: Cursor, name: str, pos: Pos) -> OptionSpec:
    if name == "variable":
        m = cur.match(_VAR_NAME)
        if m is None or not cur.eat("="):
            raise cur.error("expected name=value")
        return OptionSpec(name, _variable_value(cur), pos, key=m.group())
    if cur.at("{{"):
        value = _strings.literal(cur)
        assert isinstance(value, Expr)
        return OptionSpec(name, value, pos)
    if name in BOOL:
        value = _strings.literal(cur)
        if not isinstance(value, bool):
            raise cur.error(f"option {name} takes true or false")
        return OptionSpec(name, value, pos)
    if name in INT:
        value = _strings.literal(cur)
        if not isinstance(value, int) or isinstance(value, bool):
            raise cur.error(f"option {name} takes an integer")
        return OptionSpec(name, value, pos)
    if name in DURATION:
        m = cur.match(_DURATION)
        if m is None:
            raise cur.error(f"option {name} takes a duration (like 500ms, 2s)")
        unit = m.group(2) or DURATION[name]
        return OptionSpec(name, int(m.group(1)) * _MS[unit], pos)
    return OptionSpec(name, _strings.value_string(cur), pos)
