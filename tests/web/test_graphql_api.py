"""POST /api/graphql/schema: introspection on demand, through the ordinary send path."""

from __future__ import annotations

from pathlib import Path

import httpx

from reqlab.echo.testing import EchoHandle
from reqlab.web.testing import Workbench, start_workbench


def test_the_echo_schema_is_listed(api: httpx.Client, workbench: Workbench) -> None:
    request = {"url": workbench.echo_url + "/graphql", "headers": [["X-Trace", "7"]]}
    r = api.post("/api/graphql/schema", json={"request": request})
    assert r.status_code == 200, r.text
    schema = r.json()["schema"]
    assert (schema["queryType"], schema["mutationType"]) == ("Query", "Mutation")
    types = {t["name"]: t for t in schema["types"]}
    assert not any(name.startswith("__") for name in types)
    books = next(f for f in types["Query"]["fields"] if f["name"] == "books")
    assert books["type"] == "[Book!]!" and books["args"] == [{"name": "author", "type": "String"}]
    assert [f["name"] for f in types["Book"]["fields"]] == ["id", "title", "author", "year"]
    add = next(f for f in types["Mutation"]["fields"] if f["name"] == "addBook")
    assert [a["type"] for a in add["args"]] == ["String!", "String!", "Int"]
    assert api.get("/api/history").json() == []  # tooling, not one of the user's sends


def test_not_graphql_is_a_one_line_502(api: httpx.Client, workbench: Workbench) -> None:
    for path, says in [
        ("/status/200", "answered 200 without JSON"),  # an empty body
        ("/post", "holds no introspection schema"),
    ]:
        r = api.post("/api/graphql/schema", json={"request": {"url": workbench.echo_url + path}})
        assert r.status_code == 502, (path, r.text)
        message = r.json()["error"]["message"]
        assert says in message and "\n" not in message, message
    r = api.post("/api/graphql/schema", json={"request": {"url": "ftp://x/"}})
    assert r.status_code in (400, 422) and "url" in r.json()["error"]["message"]


def test_a_public_instance_guards_it_as_any_send(tmp_path: Path, echo_server: EchoHandle) -> None:
    with (
        start_workbench(db_url=f"sqlite:///{tmp_path / 'p.db'}", public=True) as wb,
        wb.api() as api,
    ):
        r = api.post("/api/graphql/schema", json={"request": {"url": echo_server.url + "/graphql"}})
        assert r.status_code == 403 and r.json()["error"]["kind"] == "blocked-address"
