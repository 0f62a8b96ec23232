"""Differential test: every file in hurl_files/ runs with reqlab and with
Hurl 8.0.1 itself (built by scripts/setup.d/45-hurl.sh) against one echo
server, and the two must agree on

- each file's verdict (pass, or fail with the same exit class),
- the values captured,
- the requests that arrived (as the echo server reflected them),
- for assertions that must fail, the actual and expected values the user
  sees (Hurl's ``actual:``/``expected:`` lines, word for word).

Files named ``fail_*`` must fail.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reqlab.echo.testing import EchoHandle, start_echo_server
from reqlab.runner import RunResult, run
from reqlab.runner._reports import jsonable
from reqlab.runner._terminal import failures
from reqlab.runner._values import from_text, type_name

HERE = Path(__file__).parent / "hurl_files"
FILES = sorted(p.name for p in HERE.glob("*.hurl"))
HURL = Path(os.environ.get("REQLAB_HURL", Path.home() / ".cache/reqlab/hurl/bin/hurl"))
VOLATILE = {"cap_across_entries.hurl"}  # captures a fresh UUID: compared by type only
# headers each tool adds on its own (identity, framing it may choose differently)
TOOL_HEADERS = {"user-agent", "host", "accept", "connection", "keep-alive", "content-length"}

pytestmark = pytest.mark.skipif(
    not HURL.exists(),
    reason=f"Hurl 8.0.1 is not built at {HURL} (scripts/setup.d/45-hurl.sh builds it)",
)


@pytest.fixture(scope="module")
def echo() -> Iterator[EchoHandle]:
    """Plain and TLS (self-signed: the files say ``insecure: true``)."""
    with start_echo_server(tls=True) as server:
        yield server


def _variables(echo: EchoHandle) -> dict[str, str]:
    return {
        "base": echo.url,
        "tls_base": echo.tls_url or "",
        "word": "hello",
        "count": "3",
        "ratio": "0.5",
        "flag": "true",
        "one": "1",
    }


@pytest.fixture(scope="module")
def hurl_report(echo: EchoHandle, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Hurl's JSON report per file.  A file that does not parse makes Hurl
    stop the whole run, so each parse-error file runs on its own."""
    out: dict[str, Any] = {}
    args = [f"--variable={k}={v}" for k, v in _variables(echo).items()]
    parse_errors = [f for f in FILES if "parse" in f]
    batches = [[f for f in FILES if f not in parse_errors], *([f] for f in parse_errors)]
    for n, batch in enumerate(batches):
        report = tmp_path_factory.mktemp(f"hurl{n}")
        proc = subprocess.run(
            [str(HURL), "--test", "--jobs", "2", "--report-json", str(report), *args, *batch],
            cwd=HERE,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if "parse" in batch[0]:
            out[batch[0]] = {"exit": proc.returncode, "stderr": proc.stderr}
            continue
        for f in json.loads((report / "report.json").read_text()):
            f["store"] = report
            out[f["filename"]] = f
    return out


@pytest.fixture(scope="module")
def reqlab_result(echo: EchoHandle) -> RunResult:
    cwd = os.getcwd()
    os.chdir(HERE)  # file names as Hurl sees them (relative)
    try:
        # typed as `reqlab run --variable` types them (3 is an integer), as Hurl does
        variables = {k: from_text(v) for k, v in _variables(echo).items()}
        return run(FILES, variables=variables, jobs=2)
    finally:
        os.chdir(cwd)


def _ours(result: RunResult, name: str) -> Any:
    return next(f for f in result.files if f.filename == name)


def test_suite_is_large_enough() -> None:
    assert len(FILES) >= 80
    assert sum(f.startswith("fail_") for f in FILES) >= 20


@pytest.mark.parametrize("name", FILES)
def test_same_verdict_captures_and_requests(
    name: str, hurl_report: dict[str, Any], reqlab_result: RunResult
) -> None:
    ours = _ours(reqlab_result, name)
    theirs = hurl_report[name]
    must_fail = name.startswith("fail_")
    if "exit" in theirs:  # a parse error: both refuse the file with the same exit code
        assert theirs["exit"] == ours.exit_code == 2, (theirs["stderr"], ours.parse_error)
        return
    shown = "\n".join(failures(ours))
    assert ours.ok == theirs["success"], f"reqlab {'passed' if ours.ok else 'failed'}:\n{shown}"
    assert ours.ok != must_fail
    assert _captures(ours, name) == _their_captures(theirs, name)
    assert _arrivals_ours(ours) == _arrivals_theirs(theirs)
    if must_fail:
        assert _failure_lines_ours(ours) == _failure_lines_theirs(theirs)


def _captures(ours: Any, name: str) -> list[tuple[str, Any]]:
    pairs = [(k, jsonable(v)) for e in ours.entries for k, v in e.captures.items()]
    return [(k, type_name(v)) for k, v in pairs] if name in VOLATILE else pairs


def _their_captures(theirs: dict[str, Any], name: str) -> list[tuple[str, Any]]:
    pairs = [(c["name"], c["value"]) for e in theirs["entries"] for c in e["captures"]]
    return [(k, type_name(v)) for k, v in pairs] if name in VOLATILE else pairs


def _arrivals_ours(ours: Any) -> list[dict[str, Any]]:
    return [_arrival(x.body) for e in ours.entries for x in e.exchanges]


def _arrivals_theirs(theirs: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for e in theirs["entries"]:
        for call in e["calls"]:
            body = call["response"].get("body")
            out.append(_arrival((theirs["store"] / body).read_bytes() if body else b""))
    return out


def _arrival(body: bytes) -> dict[str, Any]:
    """What the echo server saw, from its reflection (other bodies: a hash)."""
    body = _UUID.sub(b"<uuid>", body)  # /uuid answers differ run to run
    if body[:2] == b"\x1f\x8b":  # Hurl keeps a gzip body as received
        body = gzip.decompress(body)
    try:
        doc = json.loads(body)
    except ValueError:
        return {"body": body.hex()[:64]}
    if not isinstance(doc, dict) or "raw_head" not in doc:
        doc = doc if isinstance(doc, dict) else {"json": doc}
        return {k: v for k, v in doc.items() if k not in ("uuid", "headers", "origin")}
    headers = sorted(
        (n.lower(), v.split(";")[0] if n.lower() == "content-type" else v)
        for n, v in doc["headers"]
        if n.lower() not in TOOL_HEADERS
    )
    multipart = doc.get("multipart") is not None
    return {
        "method": doc["method"],
        "target": doc["target"],
        "headers": headers,
        "body": None if multipart else doc["body"],
        "multipart": doc.get("multipart"),
    }


_UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_DETAIL = re.compile(r"^\s*\|\s+(actual: .*|expected: .*)$", re.M)


def _failure_lines_ours(ours: Any) -> list[tuple[int, list[str]]]:
    out = []
    for e in ours.entries:
        for a in e.failed_asserts:
            if a.implicit:  # Hurl words implicit ones differently
                continue
            if a.error is None:
                detail = [f"actual: {a.actual}", f"expected: {a.expected}"]
            else:  # a filter's type error: Hurl shows its actual/expected too
                detail = [x for x in a.error.splitlines() if x.startswith(("actual:", "expected:"))]
            if detail:
                out.append((a.pos.line, [_one_line(x) for x in detail]))
    return out


def _failure_lines_theirs(theirs: dict[str, Any]) -> list[tuple[int, list[str]]]:
    out = []
    for e in theirs["entries"]:
        for a in e["asserts"]:
            lines = _DETAIL.findall(a.get("message", ""))
            if not a["success"] and lines:
                out.append((a["line"], [_one_line(x) for x in lines]))
    return out


def _one_line(text: str) -> str:
    """The first line, spaces squeezed, durations masked (they differ run to run)."""
    first = re.sub(r"\s+", " ", text.split("\n")[0])
    return re.sub(r"^actual: integer <\d+>$", "actual: integer <N>", first)


def test_hurl_binary_is_the_pinned_version() -> None:
    assert shutil.which(str(HURL)) or HURL.exists()
    version = subprocess.run([str(HURL), "--version"], capture_output=True, text=True).stdout
    assert version.startswith("hurl 8.0.1")


@pytest.mark.parametrize("name", [f for f in FILES if f.startswith("fail_")])
def test_same_exit_code_for_failing_files(
    name: str, echo: EchoHandle, reqlab_result: RunResult
) -> None:
    """Parse error 2, runtime error 3, assert failure 4: CI scripts branch on these."""
    args = [f"--variable={k}={v}" for k, v in _variables(echo).items()]
    proc = subprocess.run(
        [str(HURL), "--test", *args, name], cwd=HERE, capture_output=True, timeout=60
    )
    assert _ours(reqlab_result, name).exit_code == proc.returncode
