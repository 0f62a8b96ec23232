"""The HTML report: one static page per run (``index.html``).

Per file and entry: the request, the response, each assert's verdict and a
timing waterfall that shows whether the connection was reused.  Safe to
open: every piece of request or response text goes through ``html.escape``,
and the page carries no script at all (a Content-Security-Policy meta tag
forbids any), so nothing a server sends can run in the reader's browser.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from reqlab.client import Exchange
from reqlab.runner import _redact
from reqlab.runner._results import EntryResult, FileResult, RunResult

_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.4em} h2{font-size:1.15em;margin-top:2em}
.ok{color:#1a7f37} .fail{color:#cf222e}
pre{background:#f6f8fa;padding:.6em;overflow:auto;max-height:20em;white-space:pre-wrap}
table{border-collapse:collapse} td,th{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:left}
.bar{display:flex;height:12px;width:400px;background:#eee}
.dns{background:#8250df}.connect{background:#bf8700}.tls{background:#cf222e}
.send{background:#0969da}.wait{background:#1a7f37}.receive{background:#57606a}
details{margin:.5em 0}
"""
_CSP = "default-src 'none'; style-src 'unsafe-inline'"
_BODY_LIMIT = 16 * 1024
PHASES = ("dns", "connect", "tls", "send", "wait", "receive")  # fields of Exchange.timings


def write_html(run: RunResult, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "index.html"
    path.write_text(render(run), encoding="utf-8")
    return path


def render(run: RunResult) -> str:
    ok = sum(1 for f in run.files if f.ok)
    rows = "".join(_file_row(f) for f in run.files)
    files = "".join(_file_section(n, f) for n, f in enumerate(run.files))
    return (
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        f"<title>reqlab run report</title><style>{_CSS}</style></head><body>"
        f"<h1>reqlab run: {ok} of {len(run.files)} files passed ({run.time_ms:.0f} ms)</h1>"
        "<table><tr><th>file</th><th>result</th><th>requests</th><th>reused</th>"
        f"<th>time</th></tr>{rows}</table>{files}</body></html>"
    )


def _verdict(ok: bool) -> str:
    return '<span class="ok">pass</span>' if ok else '<span class="fail">FAIL</span>'


def _file_row(f: FileResult) -> str:
    return (
        f"<tr><td>{escape(f.filename)}</td><td>{_verdict(f.ok)}</td><td>{f.requests}</td>"
        f"<td>{f.reused}</td><td>{f.time_ms:.1f} ms</td></tr>"
    )


def _file_section(n: int, f: FileResult) -> str:
    head = f"<h2>{escape(f.filename)} {_verdict(f.ok)}</h2>"
    if f.parse_error is not None:
        return head + f"<pre>{escape(f.parse_error)}</pre>"
    notes = "".join(f"<p>warning: {escape(w)}</p>" for w in f.warnings)
    section = head + notes + "".join(_entry(e) for e in f.entries)
    return _redact.html_text(section, _redact.secrets_of(f.secrets))


def _entry(e: EntryResult) -> str:
    out = [
        f"<h3>entry {e.index} (line {e.line}): {escape(e.method)} {escape(e.url)} {_verdict(e.ok)}</h3>"
    ]
    if e.error:
        out.append(f'<p class="fail">{escape(e.error_pos or "")} {escape(e.error)}</p>')
    if e.asserts:
        out.append("<table><tr><th>assert</th><th>result</th><th>actual</th><th>expected</th></tr>")
        for a in e.asserts:
            detail = escape(a.error) if a.error else escape(a.actual)
            out.append(
                f"<tr><td>{a.pos.line}: {escape(a.text)}</td><td>{_verdict(a.ok)}</td>"
                f"<td>{detail}</td><td>{escape(a.expected)}</td></tr>"
            )
        out.append("</table>")
    for ex in e.exchanges:
        out.append(_exchange(ex))
    return "".join(out)


def _exchange(ex: Exchange) -> str:
    conn = ex.connection
    reuse = ""
    if conn is not None:
        reuse = f"connection #{conn.id} {'reused' if conn.reused else 'new'}, {escape(conn.remote)}"
    request = f"{ex.method} {ex.url} {ex.version}\n" + "".join(
        f"{n}: {_redact.header(n, v)}\n" for n, v in ex.request_headers
    )
    response = f"{ex.response_version} {ex.status} {ex.reason}\n" + "".join(
        f"{n}: {v}\n" for n, v in ex.response_headers
    )
    body = ex.body[:_BODY_LIMIT].decode("utf-8", errors="replace")
    return (
        f"<p>{reuse}</p>{_waterfall(ex)}"
        f"<details><summary>request</summary><pre>{escape(request)}</pre></details>"
        f"<details><summary>response</summary><pre>{escape(response)}\n{escape(body)}</pre></details>"
    )


def _waterfall(ex: Exchange) -> str:
    t = ex.timings
    total = max(t.total, 0.001)
    spans = "".join(
        f'<div class="{p}" style="width:{100 * getattr(t, p) / total:.2f}%" '
        f'title="{p} {getattr(t, p):.2f} ms"></div>'
        for p in PHASES
    )
    legend = " ".join(f"{p} {getattr(t, p):.2f}" for p in PHASES)
    return f'<div class="bar">{spans}</div><small>{legend} = {t.total:.2f} ms</small>'
