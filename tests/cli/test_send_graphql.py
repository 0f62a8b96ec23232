"""``reqlab send --graphql`` against the echo server's /graphql (graphql-core)."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import send


def test_graphql_operation_with_variables(tmp_path: Path, echo_url: str) -> None:
    query = tmp_path / "q.graphql"
    query.write_text("query Hi($n: String) { hello(name: $n) }\n")
    run = send("--graphql", str(query), "--variables", '{"n": "Ada"}', echo_url + "/graphql")
    assert run.code == 0, run.err
    answer = json.loads(run.out)
    assert "errors" not in answer and "Ada" in json.dumps(answer["data"]), answer


def test_graphql_request_on_the_wire(tmp_path: Path, echo_url: str) -> None:
    query = tmp_path / "q.graphql"
    query.write_text("{ hello }")
    run = send("--offline", "--graphql", str(query), "--operation-name", "X", echo_url + "/g")
    assert run.code == 0, run.err
    head, _, body = run.out.partition(b"\r\n\r\n")
    assert head.startswith(b"POST /g HTTP/1.1")
    assert json.loads(body) == {"query": "{ hello }", "operationName": "X"}


def test_graphql_misuse_is_one_line(tmp_path: Path, echo_url: str) -> None:
    query = tmp_path / "q.graphql"
    query.write_text("{ hello }")
    bad_vars = send("--graphql", str(query), "--variables", "{nope", echo_url + "/graphql")
    assert bad_vars.code == 2 and "--variables" in bad_vars.err
    with_items = send("--graphql", str(query), echo_url + "/graphql", "a=1")
    assert with_items.code == 2 and "--graphql" in with_items.err
    alone = send("--variables", "{}", echo_url + "/get")
    assert alone.code == 2 and "--graphql" in alone.err
    for run in (bad_vars, with_items, alone):
        assert len(run.err.strip().splitlines()) == 1, run.err
