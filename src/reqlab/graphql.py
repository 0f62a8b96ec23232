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


# ------------------------------------------------------------ introspection
# The standard introspection query, trimmed to what a client lists and
# completes (types, fields, arguments, input fields, enum values); ofType
# nests seven deep, as graphql-js's does, for types like [[Int!]!]!.
_TYPE_REF = "kind name " + "ofType { kind name " * 7 + "}" * 7
INTROSPECTION_QUERY = (
    "query IntrospectionQuery { __schema { queryType { name } mutationType { name } "
    "subscriptionType { name } types { kind name description "
    "fields(includeDeprecated: true) { name description args { name type { "
    + _TYPE_REF
    + " } defaultValue } type { "
    + _TYPE_REF
    + " } } inputFields { name type { "
    + _TYPE_REF
    + " } defaultValue } enumValues(includeDeprecated: true) { name } } } }"
)


def type_name(ref: Mapping[str, Any] | None) -> str:
    """An introspected type reference as GraphQL writes it: ``[Book!]!``."""
    if not isinstance(ref, Mapping):
        return "?"
    kind = ref.get("kind")
    if kind == "NON_NULL":
        return type_name(ref.get("ofType")) + "!"
    if kind == "LIST":
        return "[" + type_name(ref.get("ofType")) + "]"
    return str(ref.get("name") or "?")


def _field(f: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"name": f.get("name", "?"), "type": type_name(f.get("type"))}
    args = f.get("args") or []
    if args:
        out["args"] = [{"name": a.get("name", "?"), "type": type_name(a.get("type"))} for a in args]
    if f.get("description"):
        out["description"] = f["description"]
    return out


def summarize(result: Any) -> dict[str, Any]:
    """An introspection answer (``{"data": {"__schema": ...}}``) as the page lists it:
    root type names and each named type (introspection's own ``__`` types left
    out) with its fields, arguments, input fields or enum values."""
    if not isinstance(result, Mapping):
        raise InvalidRequest("schema", "the introspection answer is not a JSON object")
    data = result.get("data")
    schema = data.get("__schema") if isinstance(data, Mapping) else None
    if not isinstance(schema, Mapping) or not isinstance(schema.get("types"), list):
        errors = result.get("errors")
        first = errors[0].get("message") if isinstance(errors, list) and errors else None
        why = f": {first}" if isinstance(first, str) else ""
        raise InvalidRequest("schema", f"the answer holds no introspection schema{why}")

    def root(key: str) -> str | None:
        ref = schema.get(key)
        return str(ref["name"]) if isinstance(ref, Mapping) and ref.get("name") else None

    types = []
    for t in schema["types"]:
        if not isinstance(t, Mapping) or str(t.get("name", "")).startswith("__"):
            continue
        entry: dict[str, Any] = {"name": t.get("name"), "kind": t.get("kind")}
        if t.get("fields"):
            entry["fields"] = [_field(f) for f in t["fields"]]
        if t.get("inputFields"):
            entry["inputFields"] = [_field(f) for f in t["inputFields"]]
        if t.get("enumValues"):
            entry["enumValues"] = [v.get("name") for v in t["enumValues"]]
        types.append(entry)
    return {
        "queryType": root("queryType"),
        "mutationType": root("mutationType"),
        "subscriptionType": root("subscriptionType"),
        "types": types,
    }
