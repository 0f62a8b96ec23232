"""GraphQL requests as ordinary reqlab requests: the standard JSON POST.

A GraphQL operation over HTTP is a POST of ``{"query", "variables",
"operationName"}`` as JSON (the GraphQL-over-HTTP convention every server
and client speaks), so it needs no body kind of its own: :func:`request`
builds a :class:`reqlab.model.Request` with a :class:`~reqlab.model.JsonBody`,
which every engine, format and code generator already handles.

    from reqlab.graphql import request
    req = request("http://127.0.0.1:8081/graphql", "query($n: String) { hello(name: $n) }",
                  variables={"n": "Ada"})
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reqlab.errors import InvalidRequest
from reqlab.model import Header, JsonBody, Request

ACCEPT = "application/graphql-response+json, application/json;q=0.9"


def body(
    query: str, variables: Mapping[str, Any] | None = None, operation_name: str | None = None
) -> dict[str, Any]:
    """The JSON document of one operation (``variables`` and ``operationName`` only when given)."""
    if not isinstance(query, str) or not query.strip():
        raise InvalidRequest("query", "a GraphQL query is required")
    if variables is not None and not isinstance(variables, Mapping):
        raise InvalidRequest("variables", "GraphQL variables are a JSON object")
    doc: dict[str, Any] = {"query": query}
    if variables is not None:
        doc["variables"] = dict(variables)
    if operation_name is not None:
        doc["operationName"] = operation_name
    return doc


def request(
    url: str,
    query: str,
    variables: Mapping[str, Any] | None = None,
    operation_name: str | None = None,
    *,
    headers: Sequence[Header] = (),
) -> Request:
    """A POST of the operation to ``url`` (Content-Type set from the JSON body at send time)."""
    names = {n.lower() for n, _ in headers}
    sent = list(headers)
    if "accept" not in names:
        sent.append(("Accept", ACCEPT))
    return Request("POST", url, tuple(sent), JsonBody(body(query, variables, operation_name)))
