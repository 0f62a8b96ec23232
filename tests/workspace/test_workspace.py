"""reqlab.Workspace: a directory of .http files, sent to a real echo server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import reqlab
from reqlab.formats.httpfile import HttpFileError
from reqlab.model import BytesBody, TextBody
from reqlab.workspace import ensure_gitignore, resolve_cli, resolve_cli_target


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


def _workspace(root: Path, host: str) -> Path:
    return _write(
        root,
        {
            "http-client.env.json": json.dumps(
                {"$shared": {"api": "post"}, "dev": {"host": host, "user": "ada"}}
            ),
            "http-client.private.env.json": json.dumps({"dev": {"password": "hunter2"}}),
            "auth.http": (
                "### login\nPOST {{host}}/{{api}}\nContent-Type: application/json\n\n"
                '{"token": "tok-{{user}}", "pw": "{{password}}"}\n'
            ),
            "users/list.http": (
                "@page = 2\n\n### list users\nGET {{host}}/get?page={{page}}\n"
                "Authorization: Bearer {{login.response.body.$.json.token}}\n\n"
                "### where\nGET {{host}}/response-headers?Location=/users/7\n\n"
                "###\nGET {{host}}/anything/{{where.response.headers.Location}}\n"
            ),
            "users/bad.http": "GET http://x/\nthis is no header\n",
            "users/body.http": "POST {{host}}/post\n\n< ./payload.json\n",
            "users/payload.json": '{"from": "file"}',
            "node_modules/skip.http": "GET http://ignored/\n",
        },
    )


def test_loads_indexes_and_reports_a_broken_file(tmp_path: Path) -> None:
    ws = reqlab.Workspace(_workspace(tmp_path, "http://127.0.0.1:1"))
    assert ws.refs() == [
        "auth.http#login",
        "users/body.http#1",
        "users/list.http#list users",
        "users/list.http#where",
        "users/list.http#3",
    ]
    (error,) = ws.errors
    assert str(error) == "users/bad.http:2:1: a header line 'Name: value', got 'this is no header'"
    with pytest.raises(HttpFileError, match="users/bad.http:2:1"):
        ws.resolve("users/bad.http")
    assert [e.ref for e in ws.search("GET users")] == [
        "users/list.http#list users",
        "users/list.http#where",
        "users/list.http#3",
    ]
    assert [e.ref for e in ws.search("post")] == ["auth.http#login", "users/body.http#1"]
    assert ws.entry("users/list.http#2").ref == "users/list.http#where"
    with pytest.raises(HttpFileError, match="holds several requests; one of: users/list"):
        ws.entry("users/list.http")


def test_resolve_uses_environments_and_cli_vars(tmp_path: Path) -> None:
    ws = reqlab.Workspace(_workspace(tmp_path, "http://127.0.0.1:1"))
    request = ws.resolve("auth.http#login", env="dev", vars={"user": "bob"})
    assert request.url == "http://127.0.0.1:1/post"
    assert request.body == TextBody('{"token": "tok-bob", "pw": "hunter2"}')
    assert ws.secrets == {"hunter2": "password"}
    with pytest.raises(HttpFileError, match="unknown environment 'prod' \\(known: dev\\)"):
        ws.resolve("auth.http#login", env="prod")
    with pytest.raises(HttpFileError, match="auth.http:2:6: unknown variable 'host'"):
        ws.resolve("auth.http#login")
    body = ws.resolve("users/body.http", env="dev").body
    assert body == BytesBody(path=str(tmp_path / "users" / "payload.json"))


def test_send_records_responses_for_chaining(tmp_path: Path, echo_url: str) -> None:
    ws = reqlab.Workspace(_workspace(tmp_path, echo_url))
    with reqlab.Client() as client:
        login = ws.send("auth.http#login", env="dev", client=client)
        assert login.json()["json"] == {"token": "tok-ada", "pw": "hunter2"}
        listed = ws.send("users/list.http#list users", env="dev", client=client)
        assert listed.json()["headers"]["Authorization"] == "Bearer tok-ada"
        ws.send("users/list.http#where", env="dev", client=client)
        final = ws.send("users/list.http#3", env="dev", client=client)
    assert final.json()["url"].endswith("/anything//users/7")


def test_async_send(tmp_path: Path, echo_url: str) -> None:
    import asyncio

    ws = reqlab.Workspace(_workspace(tmp_path, echo_url))

    async def run() -> int:
        async with reqlab.AsyncClient() as client:
            response = await ws.asend("users/body.http", env="dev", client=client)
            return response.json()["json"]["from"] == "file"

    assert asyncio.run(run())


def test_resolve_cli_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _workspace(tmp_path, "http://127.0.0.1:1")
    monkeypatch.chdir(tmp_path / "users")
    request = resolve_cli_target("../auth.http#login", "dev", {"user": "cy"})
    assert request is not None and request.body == TextBody('{"token": "tok-cy", "pw": "hunter2"}')
    resolved = resolve_cli("../auth.http", "dev", {})
    assert resolved is not None and resolved.secrets == {"hunter2": "password"}
    assert "hunter2" not in str(resolved.masked().body)
    assert resolve_cli_target("http://example.com/a.http", None, {}) is None
    assert resolve_cli_target("example.com/a.http", None, {}) is None
    assert resolve_cli_target("127.0.0.1:8080/get", None, {}) is None
    with pytest.raises(HttpFileError, match="missing.http:1:1: no such file"):
        resolve_cli_target("missing.http", None, {})
    with pytest.raises(HttpFileError, match="users/list.http:5:23: .*'login' has no response yet"):
        resolve_cli_target("list.http#list users", "dev", {})
    with pytest.raises(HttpFileError, match="bad.http:2:1"):
        resolve_cli_target("bad.http", None, {})


def test_gitignore_keeps_secrets_out(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("build/", "utf-8")
    ensure_gitignore(tmp_path)
    ensure_gitignore(tmp_path)
    assert (tmp_path / ".gitignore").read_text("utf-8") == (
        "build/\nhttp-client.private.env.json\n.env\n"
    )
