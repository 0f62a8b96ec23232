"""Machine-readable reports: JUnit XML (GitLab, Jenkins), JSON and TAP.
The HTML report is in ``_html``."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from reqlab.client import Exchange
from reqlab.runner import _redact, _terminal
from reqlab.runner._results import FileResult, RunResult
from reqlab.runner._values import NONE, Nodeset, render

BODY_LIMIT = 64 * 1024


def jsonable(value: Any) -> Any:
    if value is NONE:
        return None
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, bytes):
        return {"hex": value.hex()}
    if isinstance(value, Nodeset):
        return list(value.items)
    return render(value)


def to_json(run: RunResult) -> dict[str, Any]:
    return {
        "ok": run.ok,
        "exit_code": run.exit_code,
        "time_ms": round(run.time_ms, 3),
        "files": [_file_json(f) for f in run.files],
    }


def file_json_line(f: FileResult) -> str:
    """One file's result as one line of JSON, secrets masked (``--json``)."""
    doc = json.dumps(_file_json(f), ensure_ascii=False, separators=(",", ":"))
    return _redact.json_text(doc, _redact.secrets_of(f.secrets))


def _file_json(f: FileResult) -> dict[str, Any]:
    return {
        "filename": f.filename,
        "success": f.ok,
        "exit_code": f.exit_code,
        "parse_error": f.parse_error,
        "warnings": f.warnings,
        "time_ms": round(f.time_ms, 3),
        "requests": f.requests,
        "reused": f.reused,
        "connections": f.connections,
        "entries": [
            {
                "index": e.index,
                "line": e.line,
                "method": e.method,
                "url": e.url,
                "success": e.ok,
                "skipped": e.skipped,
                "error": e.error,
                "error_position": e.error_pos,
                "retries": e.retries,
                "time_ms": round(e.time_ms, 3),
                "captures": {k: jsonable(v) for k, v in e.captures.items()},
                "asserts": [
                    {
                        "assert": a.text,
                        "line": a.pos.line,
                        "column": a.pos.column,
                        "success": a.ok,
                        "actual": a.actual,
                        "expected": a.expected,
                        "error": a.error,
                        "implicit": a.implicit,
                    }
                    for a in e.asserts
                ],
                "exchanges": [_exchange_json(x) for x in e.exchanges],
            }
            for e in f.entries
        ],
    }


def _exchange_json(x: Exchange) -> dict[str, Any]:
    doc = x.to_json(body_limit=BODY_LIMIT)
    request = doc["request"]
    request["headers"] = [[n, _redact.header(n, v)] for n, v in request["headers"]]
    request["raw"] = _redact.raw_request(request["raw"])
    return doc


def junit_xml(run: RunResult) -> bytes:
    """<testsuites><testsuite><testcase> with <failure> (asserts) or <error>
    (parse and runtime errors), as GitLab's and Jenkins' JUnit views read."""
    suites = ET.Element("testsuites")
    suite = ET.SubElement(suites, "testsuite", name="reqlab run")
    failures = errors = 0
    for f in run.files:
        case = ET.SubElement(
            suite,
            "testcase",
            name=f.filename,
            classname="reqlab.run",
            time=f"{f.time_ms / 1000:.3f}",
        )
        if f.warnings:  # scripts of a .http file that were not run
            ET.SubElement(case, "system-err").text = "\n".join(f.warnings)
        if f.ok:
            continue
        text = "\n\n".join(_terminal.failures(f))
        code = f.exit_code
        if code == 4:
            failures += 1
            first = next(a for e in f.entries for a in e.failed_asserts)
            node = ET.SubElement(
                case,
                "failure",
                type="AssertFailure",
                message=f"{f.filename}:{first.pos}: {first.text}",
            )
        else:
            errors += 1
            node = ET.SubElement(
                case,
                "error",
                type="ParseError" if code == 2 else "RuntimeError",
                message=_first_line(f),
            )
        node.text = text
    counts = {
        "tests": str(len(run.files)),
        "failures": str(failures),
        "errors": str(errors),
        "time": f"{run.time_ms / 1000:.3f}",
    }
    suite.attrib.update(counts)
    suites.attrib.update(counts)
    return bytes(ET.tostring(suites, encoding="utf-8", xml_declaration=True))


def _first_line(f: FileResult) -> str:
    if f.parse_error is not None:
        return f.parse_error
    e = next(e for e in f.entries if e.error is not None)
    return f"{f.filename}:{e.error_pos}: {e.error}"


def tap_text(run: RunResult) -> str:
    lines = ["TAP version 13", f"1..{len(run.files)}"]
    for n, f in enumerate(run.files, 1):
        lines.append(f"{'ok' if f.ok else 'not ok'} {n} - {f.filename}")
        for block in _terminal.failures(f):
            lines += ["  # " + line for line in block.splitlines()]
    return "\n".join(lines) + "\n"


def _file(path: str) -> Path:
    """A report's file, its folders made as Hurl makes them."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def write_all(
    run: RunResult,
    *,
    junit: str | None = None,
    json_path: str | None = None,
    tap: str | None = None,
    html_dir: str | None = None,
) -> None:
    if junit:
        _file(junit).write_bytes(junit_xml(run))
    if json_path:
        doc = json.dumps(to_json(run), indent=1, ensure_ascii=False)
        secrets = _redact.secrets_of([s for f in run.files for s in f.secrets])
        target = Path(json_path)
        if target.is_dir() or json_path.endswith(("/", os.sep)):  # Hurl's --report-json DIR
            target = target / "report.json"
        _file(str(target)).write_text(_redact.json_text(doc, secrets))
    if tap:
        _file(tap).write_text(tap_text(run))
    if html_dir:
        from reqlab.runner._html import write_html

        write_html(run, Path(html_dir))
