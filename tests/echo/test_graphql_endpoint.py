"""/graphql: GraphQL over HTTP answered by graphql-core, errors as GraphQL clients expect."""

from __future__ import annotations

import json

import httpx
import pytest

from reqlab.echo.testing import EchoHandle


def post(echo: EchoHandle, doc: object, headers: dict[str, str] | None = None) -> httpx.Response:
    sent = {"Content-Type": "application/json", **(headers or {})}
    return httpx.post(f"{echo.url}/graphql", content=json.dumps(doc), headers=sent)


def test_query_with_variables_operation_name_and_the_request(echo_server: EchoHandle):
    doc = {
        "query": "query A { hello } query B($n: String, $a: String) { hello(name: $n) books(author: $a) { id year } "
        'request { method httpVersion header(name: "X-Trace") } }',
        "variables": {"n": "Ada", "a": "Knuth"},
        "operationName": "B",
    }
    r = post(echo_server, doc, headers={"X-Trace": "t9"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.json() == {
        "data": {
            "hello": "Hello, Ada!",
            "books": [{"id": "2", "year": 1968}, {"id": "3", "year": 1992}],
            "request": {"method": "POST", "httpVersion": "HTTP/1.1", "header": "t9"},
        }
    }


def test_mutation_and_get(echo_server: EchoHandle):
    r = post(
        echo_server,
        {"query": 'mutation { addBook(title: "T", author: "A", year: 2000) { id title year } }'},
    )
    assert r.json() == {"data": {"addBook": {"id": "4", "title": "T", "year": 2000}}}
    r = httpx.get(
        f"{echo_server.url}/graphql",
        params={"query": "query($m: String!) { echo(message: $m) }", "variables": '{"m": "hi"}'},
    )
    assert r.json() == {"data": {"echo": "hi"}}
    r = httpx.get(
        f"{echo_server.url}/graphql",
        params={"query": 'mutation { addBook(title: "x", author: "y") { id } }'},
    )
    assert r.status_code == 405 and r.headers["allow"] == "POST"


def test_introspection(echo_server: EchoHandle):
    r = post(
        echo_server,
        {
            "query": "{ __schema { queryType { name } mutationType { name } } "
            '__type(name: "Book") { fields { name type { kind name ofType { name } } } } }'
        },
    )
    data = r.json()["data"]
    assert data["__schema"] == {
        "queryType": {"name": "Query"},
        "mutationType": {"name": "Mutation"},
    }
    assert [f["name"] for f in data["__type"]["fields"]] == ["id", "title", "author", "year"]


@pytest.mark.parametrize(
    ("doc", "status", "words", "has_data"),
    [
        ({"query": "{ nope }"}, 200, "Cannot query field 'nope'", False),
        ({"query": "{ hello("}, 200, "Syntax Error", False),
        (
            {"query": "query($m: String!) { echo(message: $m) }"},
            200,
            "Variable '$m' has invalid value",
            False,
        ),
        ({"query": "{ hello }", "variables": [1]}, 400, "variables must be a JSON object", False),
        ({"variables": {}}, 400, "no query", False),
        ([1, 2], 400, "must be a JSON object", False),
    ],
)
def test_errors_follow_graphql_over_http(echo_server: EchoHandle, doc, status, words, has_data):
    r = post(echo_server, doc)
    assert r.status_code == status
    body = r.json()
    assert words in body["errors"][0]["message"] and ("data" in body) == has_data


def test_a_body_that_is_not_json_is_400_and_the_server_stays_up(echo_server: EchoHandle):
    r = httpx.post(f"{echo_server.url}/graphql", content=b"\xff{")
    assert r.status_code == 400 and "not JSON" in r.json()["errors"][0]["message"]
    assert post(echo_server, {"query": "{ hello }"}).json() == {"data": {"hello": "Hello, world!"}}
