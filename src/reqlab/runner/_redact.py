"""Keep secrets out of reports: credential headers (Authorization,
Proxy-Authorization, Cookie) are masked, and the values of captures marked
``redact`` are replaced by ``***`` wherever they appear (a token captured
from a login response and echoed back in a later one is hidden there too),
as Hurl does in its logs."""

from __future__ import annotations

import json
from typing import Any

from reqlab.runner._values import render

MASK = "***"
CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})


def secrets_of(values: list[Any]) -> list[str]:
    """The text forms to hide, longest first (so a secret inside another goes too)."""
    out = {render(v) for v in values}
    return sorted((s for s in out if s), key=len, reverse=True)


def text(value: str, secrets: list[str]) -> str:
    for s in secrets:
        value = value.replace(s, MASK)
    return value


def html_text(value: str, secrets: list[str]) -> str:
    """For an HTML page: secrets appear there escaped."""
    import html  # only the HTML report needs it

    for s in secrets:
        value = value.replace(html.escape(s), MASK)
    return value


def json_text(value: str, secrets: list[str]) -> str:
    """For JSON text: secrets appear there JSON-escaped."""
    for s in secrets:
        value = value.replace(json.dumps(s, ensure_ascii=False)[1:-1], MASK)
    return value


def header(name: str, value: str) -> str:
    return MASK if name.lower() in CREDENTIAL_HEADERS else value


def raw_request(raw: str | None) -> str | None:
    """The request head as sent, credential header values masked."""
    if raw is None:
        return None
    lines = raw.split("\r\n")
    for n, line in enumerate(lines):
        name, sep, _ = line.partition(":")
        if sep and name.strip().lower() in CREDENTIAL_HEADERS:
            lines[n] = f"{name}: {MASK}"
    return "\r\n".join(lines)
