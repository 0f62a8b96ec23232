"""Run one parsed file: its entries in order on one client (so connections
are reused as a browser or an SDK would reuse them), captures feeding later
entries, Hurl's implicit asserts (version, status, headers, body) before the
explicit ones, retries, and a stop at the first failing entry.

The rules live in :func:`file_flow`, a generator that does no I/O: it
yields what to do next (a :class:`~reqlab.model.Request` to send, or a float:
seconds to wait) and is sent the response back, or has the send's error
thrown into it.  Two drivers run it: :func:`run_file` on the blocking
:class:`~reqlab.client.Client` (the command line, ``reqlab.run()``, the
pytest plugin: no event loop to start) and ``_async.arun_file`` on the
:class:`~reqlab.client.AsyncClient` (the web page's Run button, whose
address guard lives in its event loop).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Generator, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from reqlab._records import record
from reqlab.errors import InvalidRequest, ReqlabError
from reqlab.formats.hurl import ast
from reqlab.model import Request
from reqlab.runner import _build
from reqlab.runner._evaluate import RunError
from reqlab.runner._queries import Context
from reqlab.runner._results import EntryResult, FileResult
from reqlab.runner._verify import verify

if TYPE_CHECKING:
    from reqlab.client import AsyncClient, Client, Response
    from reqlab.client._cookies import Jar


@record(frozen=True)
class Routed:
    """Send ``request`` on the file's client made for ``transport``: an
    entry whose [Options] name another CA file, certificate, proxy or
    dialling rule than the run's."""

    request: Request
    transport: _build.Transport


# What a flow asks its driver for: send this request (the driver sends back
# the Response), on another of the file's clients if routed, or wait this
# many seconds (the driver sends back None).
Step = Request | Routed | float
Flow = Generator[Step, Any, FileResult]


@record()
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
    # jobs > 1 in forked processes when the process has no other thread (the CLI's choice)
    fork_jobs: bool = False
    # Called with each entry's result as it finishes (the web page's live run).
    on_entry: Callable[[str, EntryResult], None] | None = None
    # every entry's defaults from Hurl's options (its own [Options] override them)
    entry: _build.EntrySettings = field(default_factory=_build.EntrySettings)
    secrets: dict[str, str] = field(default_factory=dict)  # variables kept out of every report
    file_root: str | None = None  # where file bodies are read (default: the file's folder)
    from_entry: int | None = None  # run the entries from this one (1-based)...
    to_entry: int | None = None  # ...to this one; the others are not run
    repeat: int = 1  # run the sequence of files this many times
    no_assert: bool = False  # captures only: every assert (status too) is ignored
    max_body: int | None = None  # the largest response body (default: the client's, 100 MiB)
    curl: bool = False  # keep each request as a curl command (EntryResult.curl)
    cookie_file: str | None = None  # a Netscape cookie file each file's client starts with
    cookie_jar: str | None = None  # where the (one) file's cookies are written after it ran


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
    return _HurlMaker(file_root(hurl, config))


def file_root(hurl: ast.HurlFile, config: RunConfig) -> Path:
    """Where the file's ``file,`` bodies are read: Hurl's ``--file-root``, else its folder."""
    return Path(config.file_root) if config.file_root else Path(hurl.filename).parent


def client_settings(config: RunConfig, transport: _build.Transport | None = None) -> dict[str, Any]:
    """A client of a file: no overall timeout (Hurl has none either;
    ``max-time`` sets one per entry); the CA file, certificate and proxy of
    ``transport`` (default: the run's).  No proxy named: the environment's
    (HTTP_PROXY, NO_PROXY...), as curl's."""
    t = config.entry.transport if transport is None else transport
    cert: Any = None
    if t.cert is not None:  # curl's FILE[:PASSWORD]; without --key the PEM holds the key
        certfile, _, password = t.cert.partition(":")
        if password:
            cert = (certfile, t.key or certfile, password)
        elif t.key is not None:
            cert = (certfile, t.key)
        else:
            cert = certfile
    return {
        "timeout": None,
        "verify": not config.insecure,
        "cafile": t.cafile,
        "cert": cert,
        # curl's rule: a proxy without a scheme is an HTTP proxy
        "proxy": t.proxy if t.proxy is None or "://" in t.proxy else f"http://{t.proxy}",
        "resolve": t.resolve,
        "connect_to": t.connect_to,
        "ip_version": t.ip_version,
        **({"max_body": config.max_body} if config.max_body is not None else {}),
    }


def run_file(
    hurl: ast.HurlFile, config: RunConfig, maker: RequestMaker | None = None
) -> FileResult:
    """Run a file on a blocking client of its own (no event loop)."""
    from reqlab.client import Client

    with Client(**client_settings(config)) as client, ExitStack() as others:

        def other(transport: _build.Transport) -> Client:
            made = others.enter_context(Client(**client_settings(config, transport)))
            made._share_cookies(client)
            return made

        with cookie_files(client, config):
            return drive(file_flow(hurl, config, maker, client.jar), client, other)


@contextmanager
def cookie_files(client: Client | AsyncClient, config: RunConfig) -> Iterator[None]:
    """Hurl's ``--cookie FILE`` (the file's client starts with its cookies)
    and ``--cookie-jar FILE`` (its cookies are written there after it ran)."""
    if config.cookie_file is None and config.cookie_jar is None:
        yield
        return
    from reqlab.auth.cookies import load_cookies, save_cookies  # only when asked

    if config.cookie_file is not None:
        try:
            load_cookies(client, config.cookie_file)
        except InvalidRequest as exc:  # named by reqlab send's option: say ours
            raise InvalidRequest("--cookie", exc.message) from None
    yield
    if config.cookie_jar is not None:
        save_cookies(client, config.cookie_jar)


def drive(
    flow: Flow, client: Client, other: Callable[[_build.Transport], Client] | None = None
) -> FileResult:
    """Run a flow on a blocking client (``other`` makes the file's client for
    a routed request's transport; each is made once)."""
    made: dict[_build.Transport, Client] = {}
    try:
        step = next(flow)
        while True:
            if isinstance(step, float):
                time.sleep(step)
                step = flow.send(None)
                continue
            try:
                if isinstance(step, Routed):
                    assert other is not None, "a routed request needs a way to make its client"
                    if step.transport not in made:
                        made[step.transport] = other(step.transport)
                    response = made[step.transport].send(step.request)
                else:
                    response = client.send(step)
            except Exception as exc:  # the flow decides what an error means
                step = flow.throw(exc)
            else:
                step = flow.send(response)
    except StopIteration as stop:
        result: FileResult = stop.value
        return result


def base_settings(config: RunConfig) -> _build.EntrySettings:
    """How every entry runs before its own [Options]: the run's options."""
    e = config.entry
    return dataclasses.replace(
        e,
        follow=e.follow or config.follow_redirects,
        verify=e.verify and not config.insecure,
        version=config.http_version or e.version,
        retry=config.retry,
        retry_interval_ms=config.retry_interval_ms,
        headers=list(e.headers),
    )


def file_flow(
    hurl: ast.HurlFile, config: RunConfig, maker: RequestMaker | None, jar: Jar | None
) -> Flow:
    result = FileResult(hurl.filename, lines=hurl.lines)
    if maker is None:
        maker = maker_for(hurl, config)
    root = file_root(hurl, config)
    variables = {**config.variables, **config.secrets}
    base = base_settings(config)
    hidden = [v for v in config.secrets.values() if v]
    started = time.perf_counter()
    first, last = config.from_entry or 1, config.to_entry or len(hurl.entries)
    for entry in hurl.entries[first - 1 : last]:
        entry_results = yield from _entry_flow(entry, base, variables, root, maker, jar, config)
        for er in entry_results if hidden else ():
            er.redacted.extend(x for x in hidden if x not in er.redacted)
        result.entries.extend(entry_results)
        if config.on_entry is not None:
            for er in entry_results:
                config.on_entry(hurl.filename, er)
        if not config.continue_on_error and not all(e.ok for e in entry_results):
            break
    result.time_ms = (time.perf_counter() - started) * 1000
    return result


def _entry_flow(
    entry: ast.Entry,
    base: _build.EntrySettings,
    variables: dict[str, Any],
    root: Path,
    maker: RequestMaker,
    jar: Jar | None,
    config: RunConfig,
) -> Generator[Step, Any, list[EntryResult]]:
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
    results = [first]
    first_url = first.url
    routed = s.transport != base.transport  # its [Options] ask for a client of its own
    for n in range(max(s.repeat, 1)):
        er = first if n == 0 else EntryResult(entry.index, req.pos.line, req.method, first_url)
        yield from _attempts(entry, s, variables, root, er, maker, jar, routed, config)
        if n:
            results.append(er)
        if not er.ok:
            break
    return results


def _attempts(
    entry: ast.Entry,
    s: _build.EntrySettings,
    variables: dict[str, Any],
    root: Path,
    er: EntryResult,
    maker: RequestMaker,
    jar: Jar | None,
    routed: bool,
    config: RunConfig,
) -> Generator[Step, Any, None]:
    started = time.perf_counter()
    for attempt in range(s.retry + 1):
        if s.delay_ms:
            yield s.delay_ms / 1000
        if attempt:
            er.asserts, er.captures, er.error = [], {}, None
            er.retries = attempt
        try:
            request, secrets = maker.request(entry, s, variables)
            if secrets:
                er.redacted.extend(x for x in secrets if x not in er.redacted)
            er.url = request.url
            if config.curl:  # Hurl's --curl: the request as a curl command, secrets masked later
                from reqlab.codegen import generate

                er.curl.append(generate(request, "curl").code)
            if s.output is not None:  # written by the driver's caller once the file ran
                er.output = s.output if s.output == "-" else str(root / s.output)
            if entry.request.cookies and jar is not None:
                request = _with_jar_cookies(jar, request)
            response = yield Routed(request, s.transport) if routed else request
        except RunError as exc:
            er.error, er.error_pos = exc.message, str(exc.pos)
            break
        except (ReqlabError, OSError) as exc:
            er.error, er.error_pos = f"HTTP connection: {exc}", str(entry.request.pos)
        except Exception as exc:  # one broken entry must not end the whole run
            er.error, er.error_pos = f"unexpected error: {exc!r}", str(entry.request.pos)
        else:
            if response.history:
                er.exchanges.extend(response.history)
            er.exchanges.append(response.exchange)
            maker.record(entry, response)
            scope = maker.check_variables(entry, variables)
            ctx = Context(response.exchange, response.history, scope)
            verify(entry.response, ctx, root, er, asserts=not config.no_assert)
        if er.ok or attempt == s.retry:
            break
        yield s.retry_interval_ms / 1000
    if er.ok and er.captures:
        variables.update(er.captures)
    er.time_ms = (time.perf_counter() - started) * 1000


def _with_jar_cookies(jar: Jar, request: Request) -> Request:
    """[Cookies] adds to the cookies the file has collected, as in Hurl (the
    client sends the jar only when a request has no Cookie header)."""
    others = [h for h in request.headers if h[0].lower() != "cookie"]
    header = jar.header_for(request.url, others)
    if not header:
        return request
    headers = [(n, f"{header}; {v}" if n.lower() == "cookie" else v) for n, v in request.headers]
    return request.with_headers(headers)
