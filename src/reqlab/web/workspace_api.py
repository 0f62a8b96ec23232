"""The workspace routes of the JSON API (``/api/workspace...``).

Same session and CSRF rules as every ``/api`` call (the security middleware
sees them first).  The page edits a request in its form with
``{{variables}}`` left in (see :mod:`workspace_form`); sending, code and
share links resolve it on the server, where the environments are.

Secrets: a value that came from the private environment, ``.env`` or the
process environment is replaced by ``{{name}}`` in everything this module
answers or stores - the exchange shown, the history entry, the share link,
generated code and exports (unless ``inline_secrets``), error messages
(see :mod:`workspace_send`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request as HTTPRequest
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from reqlab.errors import ReqlabError
from reqlab.web.cookies import rotated
from reqlab.web.errors import APIError, field_of, from_exception, internal_error, json_body
from reqlab.web.workspace_form import form_of, template_of, variables
from reqlab.web.workspace_host import BadPath, Conflict, WorkspaceHost, WriteFailed
from reqlab.web.workspace_send import (
    codegen,
    entry_of,
    export,
    host_of,
    mask_tree,
    prepare,
    send,
    share,
)
from reqlab.workspace import Workspace


# ---------------------------------------------------------------- reading
async def tree(request: HTTPRequest) -> Response:
    host = getattr(request.app.state, "workspace", None)
    if host is None:
        return JSONResponse({"enabled": False})
    ws = await run_in_threadpool(host.current)
    if host.tree_json is None or host.tree_json[0] is not ws:
        host.tree_json = ws, await run_in_threadpool(_tree_json, ws)
    return Response(host.tree_json[1], media_type="application/json")


def _tree_json(ws: Workspace) -> bytes:
    # [name, method, url] per request (its ref is path#name): thousands of
    # requests travel as a few hundred KB.
    files: dict[str, list[list[str]]] = {path: [] for path in ws.files}
    for e in ws.entries:
        files[e.path].append([e.name, e.template.method, e.template.url])
    return json.dumps(
        {
            "enabled": True,
            "root": str(ws.root),
            "files": [{"path": p, "requests": r} for p, r in files.items()],
            "errors": [str(e) for e in ws.errors],
            "environments": ws.environments.names,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


async def search(request: HTTPRequest) -> Response:
    ws = await run_in_threadpool(host_of(request).current)
    found = ws.search(request.query_params.get("q", ""))[:500]
    return JSONResponse([{"ref": e.ref, "method": e.template.method} for e in found])


async def open_request(request: HTTPRequest) -> Response:
    host = host_of(request)
    ws, entry = await run_in_threadpool(entry_of, host, request.query_params.get("ref"))
    version = await run_in_threadpool(host.version, entry.path)
    block = ws.files[entry.path].blocks
    text = next(b.raw for b in block if b.request is entry.template)
    return JSONResponse(
        {
            "ref": entry.ref,
            "path": entry.path,
            "name": entry.name,
            "version": version,
            "text": text,
            "request": form_of(entry.template),
        }
    )


async def file_version(request: HTTPRequest) -> Response:
    host = host_of(request)
    path = request.query_params.get("path", "")
    version = await run_in_threadpool(host.version, path)
    if version is None:
        raise APIError(404, f"{path}: no such file in the workspace")
    return JSONResponse({"path": path, "version": version})


def _preview(host: WorkspaceHost, data: Any) -> dict[str, Any]:
    """Each {{variable}} of the (edited) request and what it resolves to."""
    ws, entry, env = prepare(host, data)
    senders = {e.template.label for e in ws.entries if e.template.label} | set(ws.responses)
    found = variables(entry.template, ws.scope(entry, env), {s for s in senders if s}, ws.secrets)
    unknown = sorted({v["name"] for v in found if v["state"] == "unknown"})
    return {"variables": found, "unknown": unknown}


async def preview(request: HTTPRequest) -> Response:
    data = await json_body(request)
    return JSONResponse(await run_in_threadpool(_preview, host_of(request), data))


async def save(request: HTTPRequest) -> Response:
    host = host_of(request)
    data = await json_body(request)
    expected = field_of(data, "version", str)

    def write() -> tuple[str, str]:
        _, entry = entry_of(host, field_of(data, "ref", str))
        template = template_of(entry.template, field_of(data, "request", dict))
        return host.save(entry, expected, template)

    version, ref = await run_in_threadpool(write)
    return JSONResponse({"ref": ref, "version": version})


# ----------------------------------------------------------------- errors
def _wrap(handler: Callable[[HTTPRequest], Any]) -> Callable[[HTTPRequest], Any]:
    async def endpoint(request: HTTPRequest) -> Response:
        host: WorkspaceHost | None = getattr(request.app.state, "workspace", None)
        try:
            response: Response = await handler(request)
            return response
        except BadPath as exc:
            return from_exception(APIError(400, str(exc)))
        except Conflict as exc:
            return from_exception(APIError(409, str(exc), kind="conflict"))
        except WriteFailed as exc:
            return from_exception(APIError(500, str(exc), kind="write"))
        except (APIError, ReqlabError) as exc:
            answer = from_exception(exc)
        except Exception as exc:  # a bug: nothing of it in the answer
            return internal_error(request.method, request.url.path, exc)
        secrets = host.secrets if host is not None else {}
        body = mask_tree(json.loads(bytes(answer.body)), secrets)
        return rotated(request, JSONResponse(body, status_code=answer.status_code))

    endpoint.__name__ = handler.__name__
    return endpoint


routes = [
    Route("/api/workspace", _wrap(tree), methods=["GET"]),
    Route("/api/workspace/search", _wrap(search), methods=["GET"]),
    Route("/api/workspace/request", _wrap(open_request), methods=["GET"]),
    Route("/api/workspace/version", _wrap(file_version), methods=["GET"]),
    Route("/api/workspace/resolve", _wrap(preview), methods=["POST"]),
    Route("/api/workspace/send", _wrap(send), methods=["POST"]),
    Route("/api/workspace/save", _wrap(save), methods=["POST"]),
    Route("/api/workspace/codegen", _wrap(codegen), methods=["POST"]),
    Route("/api/workspace/export", _wrap(export), methods=["POST"]),
    Route("/api/workspace/share", _wrap(share), methods=["POST"]),
]
