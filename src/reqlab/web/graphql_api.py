"""POST /api/graphql/schema: the page's "Fetch schema", introspection on demand.

The page's request (URL, headers, auth, TLS options) is sent as a POST of the
standard introspection query through the workbench's ordinary sending path
(:func:`reqlab.web.sender.send`: the public instance's address guard, the
session's pool, the same limits), and the answer is summarised for the page
(:func:`reqlab.graphql.summarize`: root types; each type's fields,
arguments, input fields, enum values).  Not kept in history: it is tooling,
not one of the user's requests.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from starlette.requests import Request as HTTPRequest
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from reqlab.graphql import ACCEPT, INTROSPECTION_QUERY, summarize
from reqlab.model import JsonBody
from reqlab.web import sender, tls_settings
from reqlab.web.cookies import rotated, writer
from reqlab.web.endpoint import contained
from reqlab.web.errors import APIError, field_of, json_body
from reqlab.web.serialize import request_from_json


async def api_graphql_schema(request: HTTPRequest) -> Response:
    state = request.app.state
    data = await json_body(request)
    model = request_from_json(field_of(data, "request", dict))
    tls = tls_settings.parse(data.get("tls"), state.config.public)
    kept = [h for h in model.headers if h[0].lower() not in ("content-type", "accept")]
    model = replace(
        model,
        method="POST",
        headers=(*kept, ("Accept", ACCEPT)),
        body=JsonBody({"query": INTROSPECTION_QUERY, "operationName": "IntrospectionQuery"}),
    )
    owner = await writer(request)
    session = state.sessions.get(owner)
    answers: list[Any] = []
    view = await sender.send(
        state.sessions, session, model, state.config, state.bodies,
        on_response=answers.append, tls=tls,
    )  # fmt: skip
    status = view["response"]["status"]
    try:
        result = answers[0].json()
    except (ValueError, UnicodeDecodeError):
        raise APIError(
            502, f"schema: the server answered {status} without JSON (is it a GraphQL endpoint?)"
        ) from None
    try:
        schema = summarize(result)
    except ValueError as exc:
        raise APIError(502, f"{exc} (HTTP {status})") from None
    size = len(json.dumps(schema))
    return rotated(request, JSONResponse({"schema": schema, "status": status, "size": size}))


routes = [Route("/api/graphql/schema", contained(api_graphql_schema), methods=["POST"])]
