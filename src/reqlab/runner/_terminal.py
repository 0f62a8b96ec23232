"""The terminal report: a line per file, and for each failure the assert,
expected and actual values, its position and an excerpt of the exchange."""

from __future__ import annotations

from reqlab.client import Exchange
from reqlab.runner import _redact
from reqlab.runner._evaluate import AssertOutcome
from reqlab.runner._results import EntryResult, FileResult, RunResult

_EXCERPT = 240


def file_line(f: FileResult) -> str:
    mark = "PASS" if f.ok else "FAIL"
    if f.parse_error is not None:
        return f"{mark} {f.filename}  (parse error)"
    return (
        f"{mark} {f.filename}  {f.requests} request{'s' * (f.requests != 1)}, "
        f"{f.reused} reused on {f.connections} connection{'s' * (f.connections != 1)}, "
        f"{f.time_ms:.1f} ms"
    )


def failures(f: FileResult) -> list[str]:
    """The failure blocks of a file, its secrets masked."""
    return [masked(f, block) for block in _failures(f)]


def _failures(f: FileResult) -> list[str]:
    if f.parse_error is not None:
        return [f"error: parsing\n  --> {f.parse_error}"]
    out = []
    for e in f.entries:
        if e.error is not None:
            where = e.error_pos or str(e.line)
            out.append(_block(f, e, "Runtime error", where, e.error.splitlines()))
        for a in e.failed_asserts:
            detail = (
                a.error.splitlines()
                if a.error
                else [f"actual:   {a.actual}", f"expected: {a.expected}"]
            )
            out.append(_block(f, e, "Assert failure", str(a.pos), detail, a))
    return out


def _block(
    f: FileResult,
    e: EntryResult,
    title: str,
    pos: str,
    detail: list[str],
    outcome: AssertOutcome | None = None,
) -> str:
    line_no = int(pos.split(":")[0])
    lines = [f"error: {title}", f"  --> {f.filename}:{pos}", "   |"]
    if line_no != e.line:
        lines.append(f"   | {_source(f, e.line)}")
        if line_no - e.line > 1:
            lines.append("   | ...")
    lines.append(f"{line_no:>2} | {_source(f, line_no)}")
    lines += [f"   |   {d}" for d in detail]
    ex = e.exchange
    if ex is not None:
        lines += ["   |", *(f"   | {x}" for x in excerpt(ex))]
    lines.append("   |")
    return "\n".join(lines)


def _source(f: FileResult, line: int) -> str:
    return f.lines[line - 1] if 0 < line <= len(f.lines) else ""


def excerpt(ex: Exchange) -> list[str]:
    conn = ex.connection
    how = ""
    if conn is not None:
        how = f"  (connection #{conn.id} {'reused' if conn.reused else 'new'})"
    body = ex.body[:_EXCERPT].decode("utf-8", errors="replace")
    if len(ex.body) > _EXCERPT:
        body += f"... ({len(ex.body)} bytes)"
    ctype = ex.header("content-type") or "-"
    return [
        f"request:  {ex.method} {ex.url}{how}",
        f"response: {ex.response_version} {ex.status} {ex.reason}  content-type: {ctype}",
        f"body:     {body!r}"[:400],
    ]


def masked(f: FileResult, text: str) -> str:
    """``text`` with the file's secrets (``--secret``, ``redact`` captures) masked."""
    return _redact.text(text, _redact.secrets_of(f.secrets))


def verbose(f: FileResult, bodies: bool = False) -> str:
    """Hurl's ``--verbose`` log of a file, secrets masked: per entry, each
    exchange's request and response heads (``>`` sent, ``<`` received, ``*``
    reqlab's notes), and with ``bodies`` (``--very-verbose``) the bodies."""
    lines: list[str] = []
    for e in f.entries:
        lines.append(f"* {f.filename}:{e.line}: entry {e.index}")
        if e.skipped:
            lines.append("* skipped")
        for ex in e.exchanges:
            lines += exchange_lines(ex, bodies)
        if e.error is not None:
            lines.append(f"* error: {e.error}")
    return masked(f, "\n".join(lines))


def failing(f: FileResult) -> FileResult:
    """The file with only its failing entries (``--error-format long`` shows their exchanges)."""
    entries = [e for e in f.entries if not e.ok]
    return FileResult(f.filename, entries, f.parse_error, f.time_ms, f.lines)


def exchange_lines(ex: Exchange, bodies: bool) -> list[str]:
    """One exchange as ``*``/``>``/``<`` lines (Hurl's and curl's verbose style)."""
    conn = ex.connection
    lines = []
    if conn is not None:
        lines.append(
            f"* connection #{conn.id} {'reused' if conn.reused else 'new'} to {conn.remote}"
        )
    lines.append(f"> {ex.method} {ex.url} {ex.version}")
    lines += [f"> {name}: {value}" for name, value in ex.request_headers]
    lines.append(">")
    if bodies and ex.request_body:
        lines += ["", *_body_lines(ex.request_body), ""]
    lines.append(f"< {ex.response_version} {ex.status} {ex.reason}".rstrip())
    lines += [f"< {name}: {value}" for name, value in ex.response_headers]
    lines.append("<")
    if bodies and ex.body:
        lines += ["", *_body_lines(ex.body), ""]
    return lines


def _body_lines(data: bytes) -> list[str]:
    try:
        return data.decode().splitlines()
    except UnicodeDecodeError:
        return [f"({len(data)} bytes of binary data)"]


def summary(run: RunResult) -> str:
    total = len(run.files)
    ok = sum(1 for f in run.files if f.ok)
    requests = sum(f.requests for f in run.files)
    reused = sum(f.reused for f in run.files)
    skipped = f", {run.not_run} not run (--fail-fast)" if run.not_run else ""
    return (
        f"Executed files: {total}, succeeded: {ok} ({100 * ok / total if total else 100:.1f}%), "
        f"failed: {total - ok}{skipped}; {requests} request{'' if requests == 1 else 's'}, "
        f"{reused} on a reused connection; "
        f"{run.time_ms:.0f} ms"
    )
