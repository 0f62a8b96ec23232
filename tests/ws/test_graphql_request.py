"""reqlab.graphql.request builds the standard JSON POST; sent by reqlab's own client to the echo server."""

from __future__ import annotations

import pytest

from reqlab.client import Client
from reqlab.echo.testing import EchoHandle
from reqlab.errors import InvalidRequest
from reqlab.graphql import body, request
from reqlab.model import JsonBody


def test_the_request_is_a_json_post():
    req = request(
        "http://127.0.0.1:1/graphql",
        "query Q($n: String) { hello(name: $n) }",
        {"n": "x"},
        "Q",
        headers=[("Authorization", "Bearer t")],
    )
    assert req.method == "POST" and isinstance(req.body, JsonBody)
    assert req.body.value == {
        "query": "query Q($n: String) { hello(name: $n) }",
        "variables": {"n": "x"},
        "operationName": "Q",
    }
    assert ("Authorization", "Bearer t") in req.headers and req.headers[-1][0] == "Accept"
    assert body("{ hello }") == {"query": "{ hello }"}


@pytest.mark.parametrize(("args", "field"), [(("",), "query"), (("{ a }", [1]), "variables")])
def test_bad_operations_name_the_field(args, field):
    with pytest.raises(InvalidRequest, match=field):
        body(*args)


def test_sent_with_reqlab_client(echo_server: EchoHandle):
    query = 'query($n: String) { hello(name: $n) request { method header(name: "Content-Type") } }'
    req = request(f"{echo_server.url}/graphql", query, {"n": "Ada"})
    with Client() as client:
        resp = client.send(req)
    assert resp.status_code == 200
    assert resp.json() == {
        "data": {
            "hello": "Hello, Ada!",
            "request": {"method": "POST", "header": "application/json"},
        }
    }
