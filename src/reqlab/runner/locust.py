"""Run a Hurl file's journey inside Locust (``reqlab run --export locust``).

The exported locustfile embeds the Hurl text and calls :class:`HurlJourney`
from a ``FastHttpUser`` task: requests go through Locust's own client (its
statistics, its connection pool, its distribution over workers), and every
response is checked by reqlab's captures and asserts, a failed check marking
that request failed in Locust.  Nothing here imports Locust; the client is
whatever the user's task passes (Locust's ``FastHttpSession``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reqlab.body import prepare
from reqlab.client import Exchange
from reqlab.formats.hurl import HurlSyntaxError, ast, parse
from reqlab.formats.hurl._checks import WIRE_PREFIXES
from reqlab.runner import _build, _terminal
from reqlab.runner._evaluate import RunError
from reqlab.runner._queries import Context
from reqlab.runner._results import EntryResult, FileResult
from reqlab.runner._verify import verify

NOT_UNDER_LOCUST = {"cacert", "cert", "key", "proxy", "http3", "digest", "aws-sigv4"}


def check_exportable(hurl: ast.HurlFile) -> None:
    """Refuse what Locust's client cannot report: wire queries (Locust does
    not expose the connection) and redirects queries; and what it cannot
    send: options for a client of their own (CA, certificate, proxy, HTTP/3)
    and auth that answers a challenge or signs the request."""
    for entry in hurl.entries:
        for opt in entry.request.options:
            if opt.name in NOT_UNDER_LOCUST:
                raise HurlSyntaxError(
                    hurl.filename, opt.pos, f"option {opt.name!r} cannot run under Locust", True
                )
        checks: list[ast.Query] = []
        if entry.response is not None:
            checks += [a.query for a in entry.response.asserts]
            checks += [c.query for c in entry.response.captures]
        for q in checks:
            if q.kind.split(" ")[0] in WIRE_PREFIXES or q.kind in (
                "redirects",
                "certificate",
                "ip",
            ):
                raise HurlSyntaxError(
                    hurl.filename, q.pos, f"query {q.kind!r} cannot run under Locust", True
                )


class HurlJourney:
    def __init__(self, text: str, filename: str, variables: dict[str, Any] | None = None) -> None:
        self.hurl = parse(text, filename)
        check_exportable(self.hurl)
        self.variables = dict(variables or {})
        self.root = Path(filename).parent

    def run(self, client: Any) -> bool:
        """Run every entry in order; stop at the first failing one."""
        variables = dict(self.variables)
        return all(self._entry(client, entry, variables) for entry in self.hurl.entries)

    def _entry(self, client: Any, entry: ast.Entry, variables: dict[str, Any]) -> bool:
        spec = entry.request
        s = _build.settings(spec, _build.EntrySettings(), variables, self.root)
        if s.skip:
            return True
        request = _build.request(spec, s, variables, self.root)
        prepared = prepare(request, read_file=lambda p: Path(p).read_bytes(), host_header=False)
        headers: dict[str, str] = {}
        for name, value in prepared.headers:
            if name.lower() in ("content-length", "connection", "keep-alive"):
                continue
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        label = f"{entry.index} {request.method} {request.split_url.path or '/'}"
        with client.request(
            request.method,
            request.url,
            name=label,
            data=prepared.body or None,
            headers=headers,
            catch_response=True,
            allow_redirects=s.follow,
        ) as response:
            result = EntryResult(entry.index, spec.pos.line, request.method, request.url)
            exchange = _exchange(request.method, request.url, response)
            result.exchanges.append(exchange)
            try:
                verify(entry.response, Context(exchange, [], variables), self.root, result)
            except RunError as exc:
                result.error, result.error_pos = exc.message, str(exc.pos)
            if result.ok:
                variables.update(result.captures)
                response.success()
                return True
            f = FileResult(self.hurl.filename, [result], lines=self.hurl.lines)
            response.failure(_terminal.failures(f)[0])
            return False


def _exchange(method: str, url: str, response: Any) -> Exchange:
    """An exchange record from a Locust response (no wire details)."""
    headers = [(str(n), str(v)) for n, v in (response.headers or {}).items()]
    body = response.content or b""
    return Exchange(
        method=method,
        url=url,
        version="HTTP/1.1",
        request_headers=[],
        request_raw=None,
        request_body=b"",
        added=(),
        status=int(response.status_code or 0),
        reason="",
        response_version="HTTP/1.1",
        response_headers=headers,
        body=body,
        body_size=len(body),
    )
