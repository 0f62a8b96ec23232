"""Run one parsed file: its entries in order on one client (so connections
are reused as a browser or an SDK would reuse them), captures feeding later
entries, Hurl's implicit asserts (version, status, headers, body) before the
explicit ones, retries, and a stop at the first failing entry."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reqlab.client import AsyncClient
from reqlab.errors import ReqlabError
from reqlab.formats.hurl import ast
from reqlab.runner import _build
from reqlab.runner._evaluate import AssertOutcome, RunError, capture, check
from reqlab.runner._queries import Context
from reqlab.runner._results import EntryResult, FileResult
from reqlab.runner._values import describe


@dataclass(slots=True)
class RunConfig:
    variables: dict[str, Any] = field(default_factory=dict)
    jobs: int = 1
    retry: int = 0
    retry_interval_ms: int = 1000
    fail_fast: bool = False
    http_version: str | None = None
    follow_redirects: bool = False
    insecure: bool = False
    continue_on_error: bool = False


async def run_file(hurl: ast.HurlFile, config: RunConfig) -> FileResult:
    result = FileResult(hurl.filename, lines=hurl.lines)
    root = Path(hurl.filename).parent
    variables = dict(config.variables)
    base = _build.EntrySettings(
        follow=config.follow_redirects,
        verify=not config.insecure,
        version=config.http_version,
        retry=config.retry,
        retry_interval_ms=config.retry_interval_ms,
    )
    started = time.perf_counter()
    async with AsyncClient(timeout=None, verify=not config.insecure) as client:
        for entry in hurl.entries:
            entry_results = await _run_entry(client, entry, base, variables, root)
            result.entries.extend(entry_results)
            if not config.continue_on_error and not all(e.ok for e in entry_results):
                break
    result.time_ms = (time.perf_counter() - started) * 1000
    return result


async def _run_entry(
    client: AsyncClient,
    entry: ast.Entry,
    base: _build.EntrySettings,
    variables: dict[str, Any],
    root: Path,
) -> list[EntryResult]:
    req = entry.request
    first = EntryResult(entry.index, req.pos.line, req.method, req.url.source())
    try:
        s = _build.settings(req, base, variables, root)
    except RunError as exc:
        first.error, first.error_pos = exc.message, str(exc.pos)
        return [first]
    if s.skip:
        first.skipped = True
        return [first]
    results = []
    for _ in range(max(s.repeat, 1)):
        er = EntryResult(entry.index, req.pos.line, req.method, req.url.source())
        await _attempt(client, entry, s, variables, root, er)
        results.append(er)
        if not er.ok:
            break
    return results


async def _attempt(
    client: AsyncClient,
    entry: ast.Entry,
    s: _build.EntrySettings,
    variables: dict[str, Any],
    root: Path,
    er: EntryResult,
) -> None:
    started = time.perf_counter()
    for attempt in range(s.retry + 1):
        if s.delay_ms:
            await asyncio.sleep(s.delay_ms / 1000)
        er.asserts, er.captures, er.error = [], {}, None
        er.retries = attempt
        try:
            request = _build.request(entry.request, s, variables, root)
            er.url = request.url
            response = await client.send(request)
        except RunError as exc:
            er.error, er.error_pos = exc.message, str(exc.pos)
            break
        except (ReqlabError, OSError) as exc:
            er.error, er.error_pos = f"HTTP connection: {exc}", str(entry.request.pos)
        else:
            er.exchanges.extend([*response.history, response.exchange])
            ctx = Context(response.exchange, response.history, variables)
            _check_response(entry.response, ctx, root, er)
        if er.ok or attempt == s.retry:
            break
        await asyncio.sleep(s.retry_interval_ms / 1000)
    if er.ok:
        variables.update(er.captures)
    er.time_ms = (time.perf_counter() - started) * 1000


def _check_response(
    spec: ast.ResponseSpec | None, ctx: Context, root: Path, er: EntryResult
) -> None:
    if spec is None:
        return
    try:
        for cap in spec.captures:
            value = capture(cap, ctx, root)
            er.captures[cap.name] = value
            ctx.variables[cap.name] = value  # later captures and asserts may use it
    except RunError as exc:
        er.error, er.error_pos = exc.message, str(exc.pos)
        return
    er.asserts.extend(_implicit(spec, ctx, root))
    er.asserts.extend(check(a, ctx, root) for a in spec.asserts)


def _implicit(spec: ast.ResponseSpec, ctx: Context, root: Path) -> list[AssertOutcome]:
    ex = ctx.exchange
    out = []
    if spec.version not in ("HTTP", "HTTP/*"):
        actual = ex.response_version or ex.version
        out.append(
            AssertOutcome(
                spec.version, spec.pos, actual == spec.version, actual, spec.version, None, True
            )
        )
    if spec.status is not None:
        out.append(
            AssertOutcome(
                f"{spec.version} {spec.status}",
                spec.pos,
                ex.status == spec.status,
                f"integer <{ex.status}>",
                f"integer <{spec.status}>",
                None,
                True,
            )
        )
    if spec.body is not None:
        out.append(_body_assert(spec.body, ctx, root))
    return out


def _body_assert(body: ast.BodySpec, ctx: Context, root: Path) -> AssertOutcome:
    outcome = AssertOutcome("body", body.pos, False, "", "", None, True)
    try:
        expected = _build.body_bytes(body, ctx.variables, root)
    except RunError as exc:
        outcome.error = exc.message
        return outcome
    actual = ctx.body
    outcome.ok = actual == expected  # byte for byte, JSON included (as Hurl 8.0.1)
    if isinstance(body.body, ast.BytesBody | ast.FileBody):
        outcome.actual, outcome.expected = describe(actual), describe(expected)
    else:
        outcome.actual, outcome.expected = _shown(actual), _shown(expected)
    return outcome


def _shown(data: bytes) -> str:
    try:
        return describe(data.decode())
    except UnicodeDecodeError:
        return describe(data)
