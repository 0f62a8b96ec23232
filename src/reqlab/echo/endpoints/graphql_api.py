"""``/graphql``: a small GraphQL API, to try GraphQL requests without another server.

GraphQL over HTTP as servers speak it: a POST of JSON ``{"query",
"variables", "operationName"}`` (or a GET with those as query parameters,
queries only) answered with ``{"data": ..., "errors": [...]}``.  A request
that is not a GraphQL request (bad JSON, no query, a mutation over GET)
gets 400 with ``errors``; a query that fails to parse or validate, or whose
fields fail, gets 200 with ``errors``, as the GraphQL-over-HTTP draft says
for ``application/json``.  Introspection works (it is GraphQL's own).

The schema is graphql-core's to execute (``build_schema`` + resolvers on
the root value); it holds no state between requests: ``addBook`` answers the
book it would have added.
"""

from __future__ import annotations

import json
from typing import Any

from graphql import GraphQLError, build_schema, graphql_sync, parse

from reqlab.echo._types import EchoResponse

from ._http import dumps
from ._router import route
from ._view import RequestView

MAX_QUERY = 64 * 1024

SDL = """
"A small library, and the request that asked about it."
type Query {
  "Greets you."
  hello(name: String = "world"): String!
  "Answers with the message it was given."
  echo(message: String!): String!
  "The HTTP request that carried this query."
  request: RequestInfo!
  "The books, optionally by one author."
  books(author: String): [Book!]!
  book(id: ID!): Book
}

type Mutation {
  "Answers the book it would add (nothing is stored)."
  addBook(title: String!, author: String!, year: Int): Book!
}

type Book {
  id: ID!
  title: String!
  author: String!
  year: Int
}

type RequestInfo {
  method: String!
  httpVersion: String!
  headers: [Header!]!
  header(name: String!): String
}

type Header {
  name: String!
  value: String!
}
"""

SCHEMA = build_schema(SDL)
BOOKS = (
    {
        "id": "1",
        "title": "Structure and Interpretation of Computer Programs",
        "author": "Abelson",
        "year": 1985,
    },
    {"id": "2", "title": "The Art of Computer Programming", "author": "Knuth", "year": 1968},
    {"id": "3", "title": "Literate Programming", "author": "Knuth", "year": 1992},
)


class _Root:
    """Resolvers (graphql-core calls a root attribute with ``(info, **args)``)."""

    def __init__(self, view: RequestView) -> None:
        self.view = view

    def hello(self, info: Any, name: str) -> str:
        return f"Hello, {name}!"

    def echo(self, info: Any, message: str) -> str:
        return message

    def request(self, info: Any) -> dict[str, Any]:
        req = self.view.request
        view = self.view
        return {
            "method": req.method,
            "httpVersion": req.http_version,
            "headers": [{"name": n, "value": v} for n, v in req.headers],
            "header": lambda info, name: view.header(name),
        }

    def books(self, info: Any, author: str | None = None) -> list[dict[str, Any]]:
        return [b for b in BOOKS if author is None or b["author"] == author]

    def book(self, info: Any, id: str) -> dict[str, Any] | None:
        return next((b for b in BOOKS if b["id"] == id), None)

    def addBook(
        self, info: Any, title: str, author: str, year: int | None = None
    ) -> dict[str, Any]:  # noqa: N802 - the schema's name
        return {"id": str(len(BOOKS) + 1), "title": title, "author": author, "year": year}


def _errors(status: int, message: str, headers: tuple[tuple[str, str], ...] = ()) -> EchoResponse:
    body = dumps({"errors": [{"message": message}]})
    return EchoResponse(status, [("Content-Type", "application/json"), *headers], body)


def _operation(view: RequestView) -> tuple[str, dict[str, Any] | None, str | None]:
    """(query, variables, operationName) from the request; ValueError says what is wrong."""
    if view.method in ("GET", "HEAD"):
        raw_vars = view.arg("variables")
        try:
            variables = json.loads(raw_vars) if raw_vars else None
        except json.JSONDecodeError as exc:
            raise ValueError(f"variables is not JSON: {exc}") from None
        doc: Any = {
            "query": view.arg("query"),
            "variables": variables,
            "operationName": view.arg("operationName"),
        }
    else:
        try:
            doc = json.loads(view.request.body or b"null")
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"the body is not JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise ValueError('the body must be a JSON object {"query", "variables", "operationName"}')
    query, variables, name = doc.get("query"), doc.get("variables"), doc.get("operationName")
    if not isinstance(query, str) or not query.strip():
        raise ValueError('no query: send {"query": "{ hello }"}')
    if len(query) > MAX_QUERY:
        raise ValueError(f"the query is over {MAX_QUERY} characters")
    if variables is not None and not isinstance(variables, dict):
        raise ValueError("variables must be a JSON object")
    if name is not None and not isinstance(name, str):
        raise ValueError("operationName must be a string")
    return query, variables, name


def _is_mutation(query: str, name: str | None) -> bool:
    try:
        document = parse(query)
    except GraphQLError:
        return False  # execution reports the syntax error
    for d in document.definitions:
        op = getattr(d, "operation", None)
        if op is not None and (name is None or (d.name is not None and d.name.value == name)):  # type: ignore[attr-defined]
            return bool(op.value == "mutation")
    return False


@route("/graphql", methods=("GET", "POST"))
async def graphql_endpoint(view: RequestView) -> EchoResponse:
    try:
        query, variables, name = _operation(view)
    except ValueError as exc:
        return _errors(400, str(exc))
    if view.method != "POST" and _is_mutation(query, name):
        return _errors(405, "mutations are sent with POST", (("Allow", "POST"),))
    result = graphql_sync(SCHEMA, query, _Root(view), None, variables, name)
    out: dict[str, Any] = {}
    if result.errors:
        out["errors"] = [e.formatted for e in result.errors]
    if result.data is not None or not result.errors or any(e.path for e in result.errors):
        out["data"] = result.data  # absent only when the request never reached execution
    return EchoResponse(200, [("Content-Type", "application/json")], dumps(out))
