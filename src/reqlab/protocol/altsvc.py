"""``Alt-Svc`` (RFC 7838): which alternative services an origin advertises.

Pure parsing: ``h3=":443"; ma=86400, h3-29=":443"`` becomes a list of
:class:`AltService`.  Which of them a client uses, and for how long it
remembers them, is the client's business.
"""

from __future__ import annotations

from reqlab._records import record

DEFAULT_MAX_AGE = 86400  # RFC 7838 section 3.1: 24 hours when ma is absent


@record(frozen=True, slots=True)
class AltService:
    protocol: str  # the ALPN id: "h3", "h2", ...
    host: str  # "" means the origin's host
    port: int
    max_age: int  # seconds


def parse_alt_svc(value: str) -> list[AltService] | None:
    """The services in one header value; None for ``clear``; bad entries skipped."""
    if value.strip().lower() == "clear":
        return None
    found: list[AltService] = []
    for entry in _split(value, ","):
        parts = _split(entry, ";")
        if not parts or "=" not in parts[0]:
            continue
        protocol, _, authority = parts[0].partition("=")
        host, _, port = authority.strip().strip('"').rpartition(":")
        if not port.isdigit() or not 0 < int(port) < 65536:
            continue
        max_age = DEFAULT_MAX_AGE
        for param in parts[1:]:
            name, _, raw = param.partition("=")
            if name.strip().lower() == "ma" and raw.strip().strip('"').isdigit():
                max_age = int(raw.strip().strip('"'))
        found.append(AltService(protocol.strip(), host, int(port), max_age))
    return found


def _split(text: str, sep: str) -> list[str]:
    """Split on ``sep`` outside double quotes."""
    out: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == sep and not quoted:
            out.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    tail = "".join(current).strip()
    if tail:
        out.append(tail)
    return [p for p in out if p]
