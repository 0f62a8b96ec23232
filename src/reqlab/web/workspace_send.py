"""Resolving and sending a workspace request for the page.

The page's edit of a request (``{{variables}}`` left in) is resolved here,
where the environments are; body files are read only from inside the
workspace.  Secrets - values from the private environment, ``.env`` or the
process environment - become ``{{name}}`` in all this module answers or
stores: the exchange shown, the history entry, the share link, generated
code and exports (unless ``inline_secrets``).  A request that quotes another
one's response sends that one first, each through the page's sender so
history and timings are as for any send.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request as HTTPRequest
from starlette.responses import JSONResponse, Response

from reqlab.errors import ReqlabError
from reqlab.formats.httpfile import HttpFileError
from reqlab.formats.httpfile.resolve import Resolved
from reqlab.model import BytesBody
from reqlab.web import convert, sender
from reqlab.web.api import _log_send, style_of
from reqlab.web.auth_api import masked_auth, token_secrets
from reqlab.web.cookies import rotated, writer
from reqlab.web.errors import APIError, field_of, json_body
from reqlab.web.serialize import request_to_json
from reqlab.web.workspace_form import template_of
from reqlab.web.workspace_host import WorkspaceHost
from reqlab.workspace import Entry, Workspace, mask
from reqlab.workspace._chain import needed, provider


def host_of(request: HTTPRequest) -> WorkspaceHost:
    host: WorkspaceHost | None = getattr(request.app.state, "workspace", None)
    if host is None:
        raise APIError(404, "this instance serves no workspace (see docs/web.md#workspace)")
    return host


def mask_tree(value: Any, secrets: dict[str, str]) -> Any:
    """Every string in ``value`` with its secrets shown as ``{{name}}``."""
    if not secrets:
        return value
    if isinstance(value, str):
        return mask(value, secrets, "names")
    if isinstance(value, dict):
        return {k: mask_tree(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_tree(v, secrets) for v in value]
    return value


def entry_of(host: WorkspaceHost, ref: Any) -> tuple[Workspace, Entry]:
    if not isinstance(ref, str) or not ref:
        raise APIError(422, "ref: give a request as path.http#name", field="ref")
    host.safe_ref(ref)
    ws = host.current()
    return ws, ws.entry(ref)


# -------------------------------------------------------------- resolving
def prepare(host: WorkspaceHost, data: Any) -> tuple[Workspace, Entry, str | None]:
    """The workspace, the entry with the page's edit (if any), the environment."""
    ws, entry = entry_of(host, field_of(data, "ref", str))
    env = field_of(data, "env", str, required=False) or None
    form = data.get("request")
    if form is not None:
        entry = replace(entry, template=template_of(entry.template, form))
    return ws, entry, env


def resolve_entry(host: WorkspaceHost, ws: Workspace, entry: Entry, env: str | None) -> Resolved:
    """Resolved in the workspace's scope; files read only from inside it."""
    base = posixpath.dirname(str(host.root / entry.path))

    def read_file(path: str) -> bytes:
        if not host.inside(path):
            raise OSError(13, "outside the workspace")
        with open(path, "rb") as f:
            return f.read()

    template = entry.template
    resolved = ws.resolve_entry(entry, env, base_dir=base, read_file=read_file)
    body = resolved.request.body
    if isinstance(body, BytesBody) and body.path and not host.inside(body.path):
        raise HttpFileError(
            entry.path, template.line or 1, 1, "the body file is outside the workspace"
        )
    ws.secrets.update(resolved.secrets)
    return resolved


def resolve(host: WorkspaceHost, data: Any) -> tuple[Workspace, Entry, Resolved]:
    ws, entry, env = prepare(host, data)
    return ws, entry, resolve_entry(host, ws, entry, env)


# ---------------------------------------------------------------- sending
def _chain(ws: Workspace, entry: Entry) -> list[Entry]:
    """The requests ``entry`` quotes that have no response yet, deepest first."""
    order: list[Entry] = []
    seen = {entry.ref}

    def visit(e: Entry, depth: int) -> None:
        for name in needed(e, e.variables):
            if name in ws.responses:
                continue
            dep = provider(ws.entries, e, name)
            if dep is None or dep.ref in seen or depth > 16:
                continue
            seen.add(dep.ref)
            visit(dep, depth + 1)
            order.append(dep)

    visit(entry, 0)
    return order


async def _send_one(
    request: HTTPRequest,
    owner: str,
    resolved: Resolved,
    secrets: dict[str, str],
    keep: Callable[[Any], None],
) -> dict[str, Any]:
    state = request.app.state
    session = state.sessions.get(owner)
    logged = mask_tree(request_to_json(resolved.request), secrets)
    try:
        view = await sender.send(
            state.sessions, session, resolved.request, state.config, state.bodies, keep
        )
    except ReqlabError as exc:
        await run_in_threadpool(
            _log_send, state, owner, logged, None, None, mask(str(exc), secrets, "names")
        )
        raise
    total = (view.get("timings") or {}).get("total")
    status = (view.get("response") or {}).get("status")
    view["history_id"] = await run_in_threadpool(_log_send, state, owner, logged, status, total)
    view["warnings"] = [*view.get("warnings", []), *resolved.warnings]
    return view


def _keeper(ws: Workspace, ref: str) -> Callable[[Any], None]:
    """Keeps a response for the requests that quote ``ref``'s."""

    def keep(response: Any) -> None:
        ws.record(ref, response)

    return keep


async def send(request: HTTPRequest) -> Response:
    host = host_of(request)
    data = await json_body(request)
    ws, entry, env = await run_in_threadpool(prepare, host, data)
    owner = await writer(request)
    for dep in await run_in_threadpool(_chain, ws, entry):
        first = await run_in_threadpool(resolve_entry, host, ws, dep, env)
        await _send_one(request, owner, first, ws.secrets, _keeper(ws, dep.ref))
    resolved = await run_in_threadpool(resolve_entry, host, ws, entry, env)
    view = await _send_one(request, owner, resolved, ws.secrets, _keeper(ws, entry.ref))
    ws.secrets.update(token_secrets(resolved.request.auth))  # OAuth tokens: masked too
    return rotated(request, JSONResponse(mask_tree(view, ws.secrets)))


def _shown(ws: Workspace, resolved: Resolved, inline: bool) -> dict[str, Any]:
    """The resolved request as code and exports see it."""
    as_json = request_to_json(resolved.request)
    return as_json if inline else mask_tree(as_json, ws.secrets)


async def codegen(request: HTTPRequest) -> Response:
    data = await json_body(request)
    ws, _, resolved = await run_in_threadpool(resolve, host_of(request), data)
    inline = bool(field_of(data, "inline_secrets", bool, required=False))
    from reqlab import codegen as gen
    from reqlab.web.serialize import request_from_json

    target = field_of(data, "target", str)
    if target not in {t.id for t in gen.targets()}:
        raise APIError(422, f"target: {target!r} is not a code target", field="target")
    model = request_from_json(_shown(ws, resolved, inline))
    if resolved.request.auth is not None and model.auth is None:  # an API key, SigV4, OAuth 2.0
        auth = resolved.request.auth if inline else masked_auth(resolved.request.auth, ws.secrets)
        model = replace(model, auth=auth)
    style = style_of(data)
    snippet = gen.generate(model, target, style=style)
    return JSONResponse(
        {
            "target": target,
            "style": style,
            "code": snippet.code,
            "warnings": [str(w) for w in snippet.warnings],
        }
    )


async def export(request: HTTPRequest) -> Response:
    data = await json_body(request)
    ws, _, resolved = await run_in_threadpool(resolve, host_of(request), data)
    inline = bool(field_of(data, "inline_secrets", bool, required=False))
    out = convert.convert({"request": _shown(ws, resolved, inline), "to": data.get("to")})
    return JSONResponse(out)


async def share(request: HTTPRequest) -> Response:
    """A saved copy for a share link: secrets as ``{{name}}``, always."""
    data = await json_body(request)
    ws, entry, resolved = await run_in_threadpool(resolve, host_of(request), data)
    name = (field_of(data, "name", str, required=False) or entry.ref).strip()[:200]
    state = request.app.state
    owner = await writer(request)
    quota = state.config.public_saved_per_session
    if state.config.public and await run_in_threadpool(state.storage.count_saved, owner) >= quota:
        raise APIError(429, f"this session keeps {quota} saved requests at most; delete some")
    shown = mask_tree(request_to_json(resolved.request), ws.secrets)
    size = len(json.dumps(shown))
    if state.config.public and size > state.config.public_saved_bytes:
        limit = state.config.public_saved_bytes
        raise APIError(413, f"request: {size} bytes; this instance saves at most {limit}")
    saved = await run_in_threadpool(state.storage.save, owner, name, shown, False)
    return rotated(request, JSONResponse(saved.summary(), status_code=201))
