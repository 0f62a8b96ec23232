"""The JSON API.  The page uses nothing else; /api/openapi.json documents it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, cast

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request as HTTPRequest
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from reqlab import __version__
from reqlab.errors import ReqlabError
from reqlab.web import auth_api, convert, measure, sender, tls_api, tls_settings
from reqlab.web.config import WebConfig
from reqlab.web.cookies import identify, rotated, set_session_cookie, writer
from reqlab.web.endpoint import contained
from reqlab.web.errors import APIError, field_of, from_exception, json_body
from reqlab.web.openapi import document
from reqlab.web.redact import without_secrets
from reqlab.web.retention import history_record
from reqlab.web.serialize import request_from_json, request_to_json

if TYPE_CHECKING:
    from reqlab.codegen import Style


def _state(request: HTTPRequest) -> Any:
    return request.app.state


def _sid(request: HTTPRequest) -> str:
    sid: str = request.scope["state"]["sid"]
    return sid


def _owner(request: HTTPRequest) -> str | None:
    """History and saved lists are per browser (the session cookie)."""
    return _sid(request)


async def session_info(request: HTTPRequest) -> Response:
    state = _state(request)
    sid, new = await identify(request)
    response = JSONResponse(
        {
            "csrf": state.sessions.csrf_token(sid),
            "echo_url": state.config.echo_url,
            "public": state.config.public,
            "version": __version__,
        }
    )
    if new:
        set_session_cookie(response, sid, request)
    return response


def _log_send(
    state: Any, owner: str, request: dict[str, Any], status: Any, total: Any, error: Any = None
) -> int:
    config: WebConfig = state.config
    record = history_record(request, int(config.limit("history_request_bytes") or 0), bool(error))
    error = error[:2000] if error else error  # an error's text can quote the whole URL
    entry: int = state.storage.add_history(
        owner,
        record,
        status,
        total,
        error,
        keep=config.limit("history_entries"),
        max_age=config.limit("history_age"),
    )
    return entry


async def api_send(request: HTTPRequest) -> Response:
    state = _state(request)
    data = await json_body(request)
    model = request_from_json(field_of(data, "request", dict))
    # Beside the request, never in it: no key reaches history or a saved request.
    tls = tls_settings.parse(data.get("tls"), state.config.public)
    as_json = request_to_json(model)
    owner = await writer(request)
    session = state.sessions.get(owner)
    model = auth_api.bind(state, owner, model)  # API key, SigV4, OAuth 2.0 (web/auth_api.py)
    try:
        view = await sender.send(
            state.sessions, session, model, state.config, state.bodies, tls=tls
        )
    except ReqlabError as exc:
        await run_in_threadpool(_log_send, state, owner, as_json, None, None, str(exc))
        return rotated(request, from_exception(exc))
    total = (view.get("timings") or {}).get("total")
    status = (view.get("response") or {}).get("status")
    view["history_id"] = await run_in_threadpool(_log_send, state, owner, as_json, status, total)
    return rotated(request, JSONResponse(view))


async def api_body(request: HTTPRequest) -> Response:
    stored = _state(request).bodies.get(_sid(request), request.path_params["key"])
    if stored is None:
        raise APIError(404, "that response body is no longer kept; send the request again")
    # Served as an opaque download: never rendered by the browser in this origin.
    headers = {
        "content-disposition": 'attachment; filename="response-body"',
        "content-security-policy": "sandbox",
    }
    if isinstance(stored, str):
        return FileResponse(stored, media_type="application/octet-stream", headers=headers)
    return Response(stored, media_type="application/octet-stream", headers=headers)


async def api_codegen(request: HTTPRequest) -> Response:
    data = await json_body(request)
    model = request_from_json(field_of(data, "request", dict))
    target = field_of(data, "target", str)
    from reqlab import codegen

    known = {t.id for t in codegen.targets()}
    if target not in known:
        raise APIError(
            422, f"target: {target!r} is not one of {', '.join(sorted(known))}", field="target"
        )
    style = style_of(data)
    # the tab's API key / SigV4 / OAuth 2.0 as the auth objects codegen knows
    snippet = codegen.generate(auth_api.for_code(model), target, style=style)
    return JSONResponse(
        {
            "target": target,
            "style": style,
            "code": snippet.code,
            "warnings": [str(w) for w in snippet.warnings],
        }
    )


def style_of(data: dict[str, Any]) -> Style:
    """The code style a codegen call asks for (the default when it names
    none); a 422 naming ``style`` for anything else."""
    from reqlab import codegen

    style = data.get("style", codegen.DEFAULT_STYLE)
    if style not in codegen.STYLES:
        raise APIError(
            422, f"style: {style!r} is not one of {', '.join(codegen.STYLES)}", field="style"
        )
    return cast("Style", style)


async def api_targets(request: HTTPRequest) -> Response:
    from reqlab import codegen

    return JSONResponse(
        [
            {
                "id": t.id,
                "language": t.language,
                "library": t.library,
                "limitations": [str(x) for x in (t.limitations or [])],
            }
            for t in codegen.targets()
        ]
    )


async def api_convert(request: HTTPRequest) -> Response:
    data = await json_body(request)
    return JSONResponse(convert.convert(data))


async def list_requests(request: HTTPRequest) -> Response:
    q = request.query_params.get("q", "")
    rows = await run_in_threadpool(_state(request).storage.list_saved, _owner(request), q)
    return JSONResponse([r.summary() for r in rows])


async def save_request(request: HTTPRequest) -> Response:
    data = await json_body(request)
    name = field_of(data, "name", str).strip()
    if not name or len(name) > 200:
        raise APIError(422, "name: must be 1 to 200 characters", field="name")
    model = request_from_json(field_of(data, "request", dict))
    include_secrets = field_of(data, "include_secrets", bool, required=False) or False
    state = _state(request)
    config: WebConfig = state.config
    as_json = request_to_json(model)
    if config.public:
        size = len(json.dumps(as_json))
        if size > config.public_saved_bytes:
            raise APIError(
                413,
                f"request: {size} bytes; this instance saves at most {config.public_saved_bytes}",
            )
    owner = await writer(request)
    quota = config.public_saved_per_session
    if config.public and await run_in_threadpool(state.storage.count_saved, owner) >= quota:
        raise APIError(429, f"this session keeps {quota} saved requests at most; delete some")
    # Stored only after it validates, so a shared link always opens.
    saved = await run_in_threadpool(state.storage.save, owner, name, as_json, include_secrets)
    return rotated(request, JSONResponse(saved.summary(), status_code=201))


async def get_request(request: HTTPRequest) -> Response:
    saved = await run_in_threadpool(_state(request).storage.get, request.path_params["id"])
    if saved is None:
        raise APIError(404, "no saved request with that id")
    if saved.owner == _sid(request) or saved.include_secrets:
        return JSONResponse({**saved.summary(), "request": saved.request})
    # Someone else's, opened by its share link: the secrets stay with the owner.
    shown = without_secrets(saved.request)
    return JSONResponse({**saved.summary(), "url": shown["url"], "request": shown})


async def delete_request(request: HTTPRequest) -> Response:
    done = await run_in_threadpool(
        _state(request).storage.delete_saved, _owner(request), request.path_params["id"]
    )
    if not done:
        raise APIError(404, "no saved request of yours with that id")
    return Response(status_code=204)


async def list_history(request: HTTPRequest) -> Response:
    q = request.query_params.get("q", "")
    try:
        limit = max(1, min(500, int(request.query_params.get("limit", "100"))))
    except ValueError:
        raise APIError(422, "limit: must be a whole number", field="limit") from None
    rows = await run_in_threadpool(_state(request).storage.list_history, _owner(request), q, limit)
    return JSONResponse(rows)


async def get_history(request: HTTPRequest) -> Response:
    entry = await run_in_threadpool(
        _state(request).storage.get_history, _owner(request), request.path_params["id"]
    )
    if entry is None:
        raise APIError(404, "no history entry with that id")
    return JSONResponse(entry)


async def clear_history(request: HTTPRequest) -> Response:
    n = await run_in_threadpool(_state(request).storage.clear_history, _owner(request))
    return JSONResponse({"deleted": n})


async def openapi(request: HTTPRequest) -> Response:
    return JSONResponse(document())


routes = [
    Route("/api/session", contained(session_info), methods=["GET"]),
    Route("/api/openapi.json", openapi, methods=["GET"]),
    Route("/api/send", contained(api_send), methods=["POST"]),
    Route("/api/bodies/{key}", contained(api_body), methods=["GET"]),
    Route("/api/codegen", contained(api_codegen), methods=["POST"]),
    Route("/api/targets", contained(api_targets), methods=["GET"]),
    Route("/api/convert", contained(api_convert), methods=["POST"]),
    Route("/api/requests", contained(list_requests), methods=["GET"]),
    Route("/api/requests", contained(save_request), methods=["POST"]),
    Route("/api/requests/{id}", contained(get_request), methods=["GET"]),
    Route("/api/requests/{id}", contained(delete_request), methods=["DELETE"]),
    Route("/api/history", contained(list_history), methods=["GET"]),
    Route("/api/history", contained(clear_history), methods=["DELETE"]),
    Route("/api/history/{id:int}", contained(get_history), methods=["GET"]),
    Route("/api/probe", contained(measure.api_probe), methods=["POST"]),
    Route("/api/bench", contained(measure.api_bench), methods=["POST"]),
    Route("/api/versions", contained(measure.api_versions), methods=["POST"]),
    Route("/api/tls/hosts", contained(tls_api.list_hosts), methods=["GET"]),
    Route("/api/tls/hosts", contained(tls_api.put_host), methods=["PUT"]),
    Route("/api/tls/hosts", contained(tls_api.delete_host), methods=["DELETE"]),
]
