"""``.http``/``.rest`` files in ``reqlab run``: each request is an entry.

The request is resolved by the workspace's rules (environments from
``http-client.env.json`` and its private twin, ``@var`` lines, ``--variable``
as the command line's ``--var``, ``{{login.response.body.$.token}}`` from
responses recorded earlier in the run), not by Hurl's.  What to check is
written in comment lines of the request block, in the language of Hurl's
``[Captures]`` and ``[Asserts]``, read by the Hurl parser itself:

    # @capture token: jsonpath "$.json.token"
    # @assert status == 200
    # @assert connection reused == true

JetBrains scripts (``> {% ... %}``, ``< {% ... %}``) are not run: the file
gets a warning line naming them, and ``--strict`` fails it instead.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from pathlib import Path
from typing import Any

from reqlab.client import Response
from reqlab.formats.httpfile import HttpFile, HttpFileError, RequestTemplate, parse
from reqlab.formats.hurl import ast, checks_at
from reqlab.model import Request
from reqlab.runner._build import EntrySettings, user_auth
from reqlab.runner._evaluate import RunError
from reqlab.runner._execute import RequestMaker, RunConfig
from reqlab.runner._values import render
from reqlab.workspace import Workspace, find_root

CHECK_TAGS = ("assert", "capture")
# where the query (or capture name) starts on a "# @assert ..." line
_CHECK_LINE = re.compile(r"[ \t]*(?:#|//)[ \t]*@(assert|capture)\b[ \t]*")
_ANY_CHECK_LINE = re.compile(r"^[ \t]*(?:#|//)[ \t]*@(?:assert|capture)\b", re.M)


@ast.node
class HttpRunFile(ast.HurlFile):
    """A ``.http`` file as the runner's entries (request specs only name the
    method and URL, for reports); :meth:`bind` resolves them for a run."""

    source: HttpFile | None = None  # as parsed, so the workspace need not read it again
    scripts: tuple[int, ...] = ()  # lines of scripts that are not run

    def not_run(self) -> list[str]:
        """One warning line for the file, or none."""
        if not self.scripts:
            return []
        n = len(self.scripts)
        lines = ", ".join(map(str, self.scripts))
        return [
            f"{self.filename}:{self.scripts[0]}:1: {n} script{'s' * (n != 1)} not run"
            f" (reqlab does not run JavaScript; line{'s' * (n != 1)} {lines})"
        ]

    def bind(self, config: RunConfig) -> RequestMaker:
        return WorkspaceMaker(self, config)


def read(text: str, filename: str) -> HttpRunFile:
    """The reader registered for ``.http`` and ``.rest`` (errors name file:line:col)."""
    file = parse(text, filename)
    body = text.removeprefix("\ufeff")
    templates = file.requests
    starts = [0] + [m.end() for m in re.finditer("\n", body)]  # of each line
    spots = [_spots(t, body, starts) for t in templates]
    # one parse over the whole text for every check line (a cursor per
    # request would index the file once per request)
    checks = iter(checks_at(body, filename, [s for each in spots for s in each]))
    entries = []
    scripts: list[int] = []
    for index, (t, mine) in enumerate(zip(templates, spots, strict=True), 1):
        pos = ast.Pos(t.line, t.column)
        spec = ast.RequestSpec(t.method, ast.Template((t.url,), pos), pos)
        entries.append(ast.Entry(spec, _response([next(checks) for _ in mine], pos), index))
        scripts += sorted(s.line for s in (*t.pre_scripts, *t.handlers))
    _no_stray_checks(templates, body, starts, filename)
    return HttpRunFile(
        filename,
        tuple(entries),
        tuple(body.splitlines()),
        source=file,
        scripts=tuple(scripts),
    )


def _spots(t: RequestTemplate, text: str, starts: list[int]) -> list[tuple[str, int]]:
    """(kind, where its query or capture name starts) of each check line."""
    out = []
    for (name, _value), line in zip(t.tags, t.tag_lines, strict=True):
        if name in CHECK_TAGS:
            m = _CHECK_LINE.match(text, starts[line - 1])
            if m is not None:
                out.append((name, m.end()))
    return out


def _response(checks: list[ast.Assert | ast.Capture], pos: ast.Pos) -> ast.ResponseSpec | None:
    if not checks:
        return None
    captures = tuple(c for c in checks if isinstance(c, ast.Capture))
    asserts = tuple(c for c in checks if isinstance(c, ast.Assert))
    return ast.ResponseSpec("HTTP", None, pos, captures=captures, asserts=asserts)


def _no_stray_checks(
    templates: list[RequestTemplate], text: str, starts: list[int], filename: str
) -> None:
    """A check line the format did not read as a tag of a request (in a
    body, after a handler, in a block with no request) would be skipped
    silently: it is an error instead."""
    read = {line for t in templates for line in t.tag_lines}
    for m in _ANY_CHECK_LINE.finditer(text):
        line = bisect_right(starts, m.start())
        if line not in read:
            column = len(m.group()) - len(m.group().lstrip()) + 1
            raise HttpFileError(
                filename,
                line,
                column,
                "a check line belongs to a request: before its request line or among"
                " its headers (here it is not read as one)",
            )


class WorkspaceMaker:
    """Resolves a file's requests in the workspace it belongs to (the nearest
    directory above it holding an environment file), and records each
    response under the request's name for later ``{{name.response...}}``."""

    def __init__(self, file: HttpRunFile, config: RunConfig) -> None:
        path = Path(file.filename).resolve()
        root = find_root(path)
        rel = path.relative_to(root).as_posix()
        loaded = {rel: replace(file.source, path=rel)} if file.source is not None else None
        self.workspace = Workspace(root, files=[rel], loaded=loaded)
        self.env = config.env
        if self.workspace.errors:  # the file or an environment file
            raise self.workspace.errors[0]
        self.workspace.environments.layers(self.env)  # an unknown --env fails here
        self.refs = [e.ref for e in self.workspace.entries if e.path == rel]
        self.checked = [e.response is not None for e in file.entries]
        self.check_scope: dict[str, Any] = {}

    def request(
        self, entry: ast.Entry, s: EntrySettings, variables: dict[str, Any]
    ) -> tuple[Request, list[str]]:
        ref = self.refs[entry.index - 1]
        try:
            resolved = self.workspace.resolve_full(ref, self.env, _as_text(variables))
        except HttpFileError as exc:
            raise RunError(ast.Pos(exc.line, exc.column), exc.message) from None
        request = resolved.request
        # the run's --http2 / --insecure / --location / --compressed / --max-time
        # win over the file's defaults; its --header and --user add to the request
        if s.version is not None:
            request = request.replace(version=s.version)
        changes: dict[str, Any] = {}
        if not s.verify:
            changes["verify"] = False
        if s.follow:
            changes["follow_redirects"] = True
        if s.compressed:
            changes["compressed"] = True
        if s.timeout is not None:
            changes["timeout"] = s.timeout
        if s.connect_timeout is not None:
            changes["connect_timeout"] = s.connect_timeout
        if changes:
            request = request.replace(options=replace(request.options, **changes))
        if s.headers:
            request = request.replace(headers=(*request.headers, *s.headers))
        if s.auth is not None and request.auth is None:
            try:
                request = request.replace(auth=user_auth(s, request.url))
            except ValueError as exc:
                raise RunError(entry.request.pos, str(exc)) from None
        secrets = {**resolved.secrets}
        if self.checked[entry.index - 1]:
            self.check_scope, used = self._check_scope(ref, variables)
            secrets.update(used)
        return request, list(secrets)

    def _check_scope(
        self, ref: str, variables: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """The file's and environment's variables an assert may quote, as they
        resolve now (one that cannot yet is left out), and which are secret."""
        scope = self.workspace.scope(self.workspace.entry(ref), self.env)
        names = {n for layer in scope.layers for n in layer.values}
        out: dict[str, Any] = {}
        for name in names - variables.keys():
            try:
                out[name] = scope.expand("{{" + name + "}}")
            except LookupError:
                continue
        return out, scope.secrets

    def check_variables(self, entry: ast.Entry, variables: dict[str, Any]) -> dict[str, Any]:
        """The run's variables (captures, ``--variable``) over the file's and
        the environment's (computed with the request, so their secret values
        are masked in reports too)."""
        if not self.checked[entry.index - 1]:
            return variables
        return {**self.check_scope, **variables}

    def record(self, entry: ast.Entry, response: Response) -> None:
        self.workspace.record(self.refs[entry.index - 1], response)


def _as_text(variables: dict[str, Any]) -> dict[str, str]:
    """The run's variables as the workspace's command-line layer (text)."""
    return {k: render(v) for k, v in variables.items() if not isinstance(v, list | dict)}
