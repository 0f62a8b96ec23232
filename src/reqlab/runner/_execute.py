"""Run one parsed file: its entries in order on one client (so connections
are reused as a browser or an SDK would reuse them), captures feeding later
entries, Hurl's implicit asserts (version, status, headers, body) before the
explicit ones, retries, and a stop at the first failing entry."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from reqlab.client import AsyncClient, Response
from reqlab.errors import ReqlabError
from reqlab.formats.hurl import ast
from reqlab.model import Request
from reqlab.runner import _build
from reqlab.runner._evaluate import RunError
from reqlab.runner._queries import Context
from reqlab.runner._results import EntryResult, FileResult
from reqlab.runner._verify import verify


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
    env: str | None = None  # .http files: the environment (http-client.env.json)
    strict: bool = False  # .http files: a script reqlab does not run fails the file


class RequestMaker(Protocol):
    """How a file's entries become requests.  Hurl files build them from
    their own templates; another format (``.http``) brings its own rules for
    variables and learns each response (for chaining)."""

    def request(
        self, entry: ast.Entry, s: _build.EntrySettings, variables: dict[str, Any]
    ) -> tuple[Request, list[str]]:
        """The request, and the secret values it used (kept out of reports)."""
        ...

    def check_variables(self, entry: ast.Entry, variables: dict[str, Any]) -> dict[str, Any]:
        """What ``{{name}}`` means in the entry's captures and asserts."""
        ...

    def record(self, entry: ast.Entry, response: Response) -> None: ...


@runtime_checkable
class Bindable(Protocol):
    """A parsed file that brings its own :class:`RequestMaker` for a run."""

    def bind(self, config: RunConfig) -> RequestMaker: ...

    def not_run(self) -> list[str]:
        """Warning lines for what the file holds and the run will not do."""
        ...


class _HurlMaker:
    def __init__(self, root: Path) -> None:
        self.root = root

    def request(
        self, entry: ast.Entry, s: _build.EntrySettings, variables: dict[str, Any]
    ) -> tuple[Request, list[str]]:
        return _build.request(entry.request, s, variables, self.root), []

    def check_variables(self, entry: ast.Entry, variables: dict[str, Any]) -> dict[str, Any]:
        return variables

    def record(self, entry: ast.Entry, response: Response) -> None:
        pass


def maker_for(hurl: ast.HurlFile, config: RunConfig) -> RequestMaker:
    """May raise the format's error (an unknown environment...)."""
    if isinstance(hurl, Bindable):
        return hurl.bind(config)
    return _HurlMaker(Path(hurl.filename).parent)


async def run_file(
    hurl: ast.HurlFile, config: RunConfig, maker: RequestMaker | None = None
) -> FileResult:
    result = FileResult(hurl.filename, lines=hurl.lines)
    if maker is None:
        maker = maker_for(hurl, config)
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
            entry_results = await _run_entry(client, entry, base, variables, root, maker)
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
    maker: RequestMaker,
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
        await _attempt(client, entry, s, variables, root, er, maker)
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
    maker: RequestMaker,
) -> None:
    started = time.perf_counter()
    for attempt in range(s.retry + 1):
        if s.delay_ms:
            await asyncio.sleep(s.delay_ms / 1000)
        er.asserts, er.captures, er.error = [], {}, None
        er.retries = attempt
        try:
            request, secrets = maker.request(entry, s, variables)
            er.redacted.extend(x for x in secrets if x not in er.redacted)
            er.url = request.url
            if entry.request.cookies:
                request = _with_jar_cookies(client, request)
            response = await client.send(request)
        except RunError as exc:
            er.error, er.error_pos = exc.message, str(exc.pos)
            break
        except (ReqlabError, OSError) as exc:
            er.error, er.error_pos = f"HTTP connection: {exc}", str(entry.request.pos)
        except Exception as exc:  # one broken entry must not end the whole run
            er.error, er.error_pos = f"unexpected error: {exc!r}", str(entry.request.pos)
        else:
            er.exchanges.extend([*response.history, response.exchange])
            maker.record(entry, response)
            scope = maker.check_variables(entry, variables)
            ctx = Context(response.exchange, response.history, scope)
            verify(entry.response, ctx, root, er)
        if er.ok or attempt == s.retry:
            break
        await asyncio.sleep(s.retry_interval_ms / 1000)
    if er.ok:
        variables.update(er.captures)
    er.time_ms = (time.perf_counter() - started) * 1000


def _with_jar_cookies(client: AsyncClient, request: Request) -> Request:
    """[Cookies] adds to the cookies the file has collected, as in Hurl (the
    client sends the jar only when a request has no Cookie header)."""
    others = [h for h in request.headers if h[0].lower() != "cookie"]
    jar = client.jar.header_for(request.url, others) if client.jar else None
    if not jar:
        return request
    headers = [(n, f"{jar}; {v}" if n.lower() == "cookie" else v) for n, v in request.headers]
    return request.with_headers(headers)
