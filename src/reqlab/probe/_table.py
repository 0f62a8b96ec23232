"""The seed page's keep-alive table, filled in with what one server does.

The seed compares how HTTP/1.0, HTTP/1.1 and HTTP/2 keep a connection;
HTTP/3 is its next row.  Each row has the rule (what the protocol says:
how the connection is kept, for how long, what ends it) and, beside each
rule, what this server was seen to do: the probe's per-version checks, its
TCP idle timeout and its HTTP/3 idle timeout measurements, within the
probe's budgets.  Used by the web page's "Versions" panel.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from reqlab.model import Request
from reqlab.probe._h3 import check_http3
from reqlab.probe._h3idle import measure_h3_idle
from reqlab.probe._probe import (
    ProbeSettings,
    Progress,
    Step,
    check_http2,
    check_http10,
    check_http11,
    measure_idle_timeout,
    measure_max_requests,
    probe,
)
from reqlab.probe._report import ProbeReport

STEPS: list[Step] = [
    ("HTTP/1.1", check_http11),
    ("HTTP/1.0", check_http10),
    ("HTTP/2", check_http2),
    ("HTTP/3", check_http3),
    ("HTTP/3 idle timeout", measure_h3_idle),
    ("idle timeout", measure_idle_timeout),
    ("max requests", measure_max_requests),
]

# (version, how it is kept, for how long, what ends it): the rules.
RULES = {
    "HTTP/1.0": (
        "only with Connection: keep-alive (otherwise closed after each response)",
        "Keep-Alive: timeout=T, max=N from the server (advisory)",
        "the server closes: after the response without keep-alive, or when idle",
    ),
    "HTTP/1.1": (
        "persistent unless either side sends Connection: close",
        "Keep-Alive: timeout=T, max=N from the server (advisory), else its own idle timeout",
        "Connection: close, or the server closing an idle connection (FIN or RST)",
    ),
    "HTTP/2": (
        "one TCP connection, many streams; Connection and Keep-Alive are forbidden",
        "not announced: the server's idle timeout",
        "GOAWAY, then close",
    ),
    "HTTP/3": (
        "one QUIC connection over UDP, many streams; no Connection or Keep-Alive",
        "max_idle_timeout transport parameter: the smaller of both sides'",
        "silence past the idle timeout (no CONNECTION_CLOSE), or CONNECTION_CLOSE",
    ),
}


@dataclass
class VersionRow:
    version: str
    speaks: bool | None  # None: not checked (HTTP/2 and 3 need https://)
    kept: str
    how_long: str
    ends: str
    rule_kept: str
    rule_how_long: str
    rule_ends: str


@dataclass
class VersionsTable:
    url: str
    rows: list[VersionRow]
    report: ProbeReport

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "rows": [asdict(r) for r in self.rows],
            "requests_used": self.report.requests_used,
            "elapsed": round(self.report.elapsed, 3),
            "checks": [asdict(c) for c in self.report.checks],
        }


async def versions_table(
    request: Request, settings: ProbeSettings | None = None, progress: Progress | None = None
) -> VersionsTable:
    report = await probe(request, settings, progress, steps=STEPS)
    rows = [_h10(report), _h11(report), _h2(report, request), _h3(report, request)]
    return VersionsTable(request.url, rows, report)


def _row(version: str, speaks: bool | None, kept: str, how_long: str, ends: str) -> VersionRow:
    rule = RULES[version]
    return VersionRow(version, speaks, kept, how_long, ends, *rule)


def _summary(report: ProbeReport, name: str) -> str | None:
    return next((c.summary for c in report.checks if c.name == name), None)


def _tcp_idle(report: ProbeReport) -> str:
    advertised = report.advertised.get("timeout")
    said = f"Keep-Alive: timeout={advertised}; " if advertised is not None else ""
    if report.idle_timeout is None:
        return said + "idle close not seen within the probe's budget"
    return said + f"closes idle connections after {report.idle_timeout:.2f} s (measured)"


def _tcp_ends(report: ProbeReport) -> str:
    parts = []
    if report.idle_timeout is not None:
        kind = "RST" if report.close_kind == "reset" else "FIN"
        parts.append(f"idle close ({kind})")
    if report.max_requests is not None:
        parts.append(f"Connection: close after {report.max_requests} requests")
    return ", ".join(parts) or "nothing seen within the probe's budget"


def _h10(report: ProbeReport) -> VersionRow:
    plain = _summary(report, "HTTP/1.0")
    if plain is None or plain.startswith("no response"):
        return _row("HTTP/1.0", False, plain or "not checked", "", "")
    kept = (
        "Connection: keep-alive honoured (a second request answered on the connection)"
        if report.http10_keep_alive
        else "Connection: keep-alive ignored: closed after one response"
    )
    closes = "closes after the response" in plain
    ends = "closes after the response without keep-alive" if closes else "kept open without it"
    return _row("HTTP/1.0", True, kept, _tcp_idle(report), f"{ends}; {_tcp_ends(report)}")


def _h11(report: ProbeReport) -> VersionRow:
    if report.persistent_11 is None:
        return _row("HTTP/1.1", False, "no answer", "", "")
    kept = (
        "persistent: a second request answered on the same connection"
        if report.persistent_11
        else "not persistent: closed after the first response"
    )
    return _row("HTTP/1.1", True, kept, _tcp_idle(report), _tcp_ends(report))


def _h2(report: ProbeReport, request: Request) -> VersionRow:
    if request.scheme != "https":
        return _row("HTTP/2", None, "not checked: needs https://", "", "")
    if not report.http2:
        said = next((c.summary for c in report.checks if c.name.startswith("HTTP/2")), "")
        return _row("HTTP/2", False, said or "not offered", "", "")
    headers = _summary(report, "HTTP/2 connection headers") or ""
    kept = "offered by ALPN; connection-specific headers in responses: " + headers
    return _row(
        "HTTP/2",
        True,
        kept,
        "not announced (no header may say); not measured over HTTP/2",
        "GOAWAY (not provoked by the probe)",
    )


def _h3(report: ProbeReport, request: Request) -> VersionRow:
    found = report.http3
    if request.scheme != "https" or found is None:
        return _row("HTTP/3", None, "not checked: needs https://", "", "")
    if not found.get("answers"):
        return _row("HTTP/3", False, _summary(report, "HTTP/3") or "no answer", "", "")
    how = "advertised by Alt-Svc" if found.get("advertised") else "answered, not advertised"
    zero = "accepted" if found.get("zero_rtt_accepted") else "not accepted"
    kept = f"{found.get('quic_version')}, {how}; up to {found.get('max_streams')} streams; 0-RTT {zero}"
    announced = found.get("idle_timeout")
    how_long = (
        f"max_idle_timeout {announced:g} s (announced)" if announced else "no max_idle_timeout"
    )
    measured = found.get("idle_timeout_measured")
    if measured is not None:
        how_long += f"; stops answering after {measured:.2f} s idle (measured)"
    elif "idle_how" in found:
        how_long += "; " + (_summary(report, "HTTP/3 idle timeout") or "not measured")
    close = found.get("idle_close")
    ends = {
        "silent": "ends silently past the idle timeout (no CONNECTION_CLOSE)",
        "CONNECTION_CLOSE": "CONNECTION_CLOSE when idle",
    }.get(close or "", "idle end not seen within the probe's budget")
    return _row("HTTP/3", True, kept, how_long, ends)
