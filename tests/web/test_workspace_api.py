"""The workspace API against a real workspace directory and the echo server."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from reqlab.web.testing import Workbench, start_workbench

SECRET = "s3cret-pass-0042"
AUTH_HTTP = """@user = ada

### Log in
# @name login
GET {{host}}/basic-auth/{{user}}/{{password}}
Authorization: Basic {{user}} {{password}}
X-Trace: {{$uuid}}

### Who
# a comment kept as it is
POST {{host}}/anything
Content-Type: application/json

{"who": "{{user}}", "missing": "{{nope}}"}
"""
LIST_HTTP = """### List
GET {{host}}/get?page=1
"""


@pytest.fixture
def ws_dir(tmp_path: Path) -> Path:
    root = tmp_path / "api"
    (root / "users").mkdir(parents=True)
    (root / "auth.http").write_text(AUTH_HTTP)
    (root / "users" / "list.http").write_text(LIST_HTTP)
    return root


@pytest.fixture
def wb(tmp_path: Path, ws_dir: Path) -> Iterator[Workbench]:
    with start_workbench(db_url=f"sqlite:///{tmp_path / 'wb.db'}", workspace=str(ws_dir)) as wb:
        assert wb.echo_url
        envs = {"dev": {"host": wb.echo_url}, "prod": {"host": "http://127.0.0.1:1"}}
        (ws_dir / "http-client.env.json").write_text(json.dumps(envs))
        (ws_dir / "http-client.private.env.json").write_text(
            json.dumps({"dev": {"password": SECRET}})
        )
        yield wb


@pytest.fixture
def api(wb: Workbench) -> Iterator[httpx.Client]:
    with wb.api() as client:
        yield client


def opened(api: httpx.Client, ref: str) -> dict:  # type: ignore[type-arg]
    r = api.get("/api/workspace/request", params={"ref": ref})
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def test_the_tree_lists_files_requests_and_environments(api: httpx.Client) -> None:
    tree = api.get("/api/workspace").json()
    assert tree["enabled"] is True
    assert tree["environments"] == ["dev", "prod"]
    files = {f["path"]: f["requests"] for f in tree["files"]}
    assert list(files) == ["auth.http", "users/list.http"]
    assert files["auth.http"] == [
        ["login", "GET", "{{host}}/basic-auth/{{user}}/{{password}}"],
        ["Who", "POST", "{{host}}/anything"],
    ]
    assert files["users/list.http"] == [["List", "GET", "{{host}}/get?page=1"]]
    found = api.get("/api/workspace/search", params={"q": "post any"}).json()
    assert [f["ref"] for f in found] == ["auth.http#Who"]


def test_open_gives_the_text_and_the_form(api: httpx.Client, ws_dir: Path) -> None:
    got = opened(api, "auth.http#Who")
    assert got["text"].startswith("### Who\n# a comment kept as it is\nPOST {{host}}/anything")
    assert got["request"]["method"] == "POST"
    assert got["request"]["headers"] == [["Content-Type", "application/json"]]
    assert got["request"]["body"]["text"] == '{"who": "{{user}}", "missing": "{{nope}}"}'
    assert len(got["version"]) == 32


def test_resolve_preview_masks_secrets_and_flags_unknowns(api: httpx.Client) -> None:
    out = api.post("/api/workspace/resolve", json={"ref": "auth.http#login", "env": "dev"}).json()
    by = {(v["where"], v["name"]): v for v in out["variables"]}
    assert by[("url", "host")]["state"] == "ok"
    assert by[("url", "password")] == {
        "where": "url",
        "offset": 29,
        "name": "password",
        "state": "secret",
        "value": "••••",
    }
    assert by[("header:X-Trace", "$uuid")]["state"] == "dynamic"
    assert out["unknown"] == []
    assert SECRET not in json.dumps(out)
    out = api.post("/api/workspace/resolve", json={"ref": "auth.http#Who", "env": "dev"}).json()
    nope = [v for v in out["variables"] if v["name"] == "nope"][0]
    assert nope["state"] == "unknown" and nope["where"] == "body" and nope["offset"] == 32
    assert out["unknown"] == ["nope"]
    # without an environment, host and password are unknown too
    out = api.post("/api/workspace/resolve", json={"ref": "auth.http#login"}).json()
    assert out["unknown"] == ["host", "password"]


def test_send_uses_the_secret_but_history_and_answer_never_show_it(
    api: httpx.Client, wb: Workbench, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    r = api.post("/api/workspace/send", json={"ref": "auth.http#login", "env": "dev"})
    assert r.status_code == 200, r.text
    # the echo server's basic-auth endpoint says 200 only for the real password
    assert r.json()["response"]["status"] == 200
    assert SECRET not in r.text
    assert "{{password}}" in r.text
    rows = api.get("/api/history").json()
    assert rows[0]["url"].endswith("/basic-auth/ada/{{password}}")
    entry = api.get(f"/api/history/{rows[0]['id']}").text
    assert SECRET not in entry and "{{password}}" in entry
    assert SECRET not in caplog.text


def test_an_unknown_variable_stops_the_send_naming_it(api: httpx.Client) -> None:
    r = api.post("/api/workspace/send", json={"ref": "auth.http#Who", "env": "dev"})
    assert r.status_code == 422
    assert r.json()["error"]["message"] == "auth.http:14:33: unknown variable 'nope'"
    assert api.get("/api/history").json() == []


def test_an_edit_sent_before_saving_and_a_failed_send_hides_the_secret(
    api: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    form = opened(api, "auth.http#login")["request"]
    form["url"] = "http://127.0.0.1:1/{{password}}"
    r = api.post(
        "/api/workspace/send", json={"ref": "auth.http#login", "env": "dev", "request": form}
    )
    assert r.status_code == 502
    assert SECRET not in r.text
    r = api.post(
        "/api/workspace/send",
        json={"ref": "auth.http#login", "env": "dev", "request": {**form, "url": "{{password}}:x"}},
    )
    assert r.status_code == 422 and SECRET not in r.text, r.text
    history = api.get("/api/history").text
    assert "/{{password}}" in history and SECRET not in history
    assert SECRET not in caplog.text


def test_save_writes_back_only_that_block(api: httpx.Client, ws_dir: Path) -> None:
    got = opened(api, "auth.http#Who")
    form = got["request"]
    form["headers"].append(["X-New", "{{user}}"])
    form["body"]["text"] = '{"who": "{{user}}"}'
    r = api.post(
        "/api/workspace/save",
        json={"ref": "auth.http#Who", "version": got["version"], "request": form},
    )
    assert r.status_code == 200, r.text
    text = (ws_dir / "auth.http").read_text()
    assert text.startswith(AUTH_HTTP.split("### Who")[0])  # the first block untouched
    assert "X-New: {{user}}" in text and '{"who": "{{user}}"}' in text
    assert "# a comment kept as it is" in text
    assert r.json()["version"] == opened(api, "auth.http#Who")["version"]
    assert not [p for p in ws_dir.iterdir() if p.name.endswith(".tmp")]


def test_save_refuses_a_file_changed_on_disk(api: httpx.Client, ws_dir: Path) -> None:
    got = opened(api, "users/list.http#List")
    outside = LIST_HTTP + "\n### Added outside\nGET {{host}}/ip\n"
    (ws_dir / "users" / "list.http").write_text(outside)
    form = {**got["request"], "url": "{{host}}/changed"}
    r = api.post(
        "/api/workspace/save",
        json={"ref": "users/list.http#List", "version": got["version"], "request": form},
    )
    assert r.status_code == 409
    assert "changed on disk since you opened it" in r.json()["error"]["message"]
    assert (ws_dir / "users" / "list.http").read_text() == outside
    now = api.get("/api/workspace/version", params={"path": "users/list.http"}).json()
    assert now["version"] != got["version"]


def test_save_refuses_an_edit_that_would_split_the_request(api: httpx.Client) -> None:
    got = opened(api, "users/list.http#List")
    form = {**got["request"], "body": {"kind": "text", "text": "a\n### b\nGET /x"}}
    r = api.post(
        "/api/workspace/save",
        json={"ref": "users/list.http#List", "version": got["version"], "request": form},
    )
    assert r.status_code == 422 and "split the request" in r.text


@pytest.mark.parametrize(
    "ref",
    ["../outside.http#1", "/etc/passwd.http#1", "users/../../x.http#1", "a\\b.http#1", "x.txt"],
)
def test_paths_outside_the_workspace_are_refused(api: httpx.Client, ref: str) -> None:
    r = api.get("/api/workspace/request", params={"ref": ref})
    assert r.status_code == 400, r.text
    r = api.get("/api/workspace/version", params={"path": ref.partition("#")[0]})
    assert r.status_code == 400


def test_a_symlink_out_of_the_workspace_is_refused(
    api: httpx.Client, ws_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "elsewhere.http").write_text("GET http://127.0.0.1/\n")
    os.symlink(tmp_path / "elsewhere.http", ws_dir / "link.http")
    r = api.get("/api/workspace/request", params={"ref": "link.http#1"})
    assert r.status_code == 400 and "outside the workspace" in r.text
    got = opened(api, "auth.http#Who")
    form = {**got["request"], "body": {"kind": "text", "text": "< ../elsewhere.http"}}
    r = api.post(
        "/api/workspace/send", json={"ref": "auth.http#Who", "env": "dev", "request": form}
    )
    assert r.status_code == 422 and "outside the workspace" in r.text


def test_share_link_code_and_export_carry_placeholders(api: httpx.Client) -> None:
    body = {"ref": "auth.http#login", "env": "dev"}
    shared = api.post("/api/workspace/share", json=body)
    assert shared.status_code == 201, shared.text
    with httpx.Client(base_url=str(api.base_url)) as other:
        other.headers["X-CSRF-Token"] = other.get("/api/session").json()["csrf"]
        seen = other.get(f"/api/requests/{shared.json()['id']}").text
    assert SECRET not in seen and "{{password}}" in seen
    mine = api.get(f"/api/requests/{shared.json()['id']}").text
    assert SECRET not in mine
    code = api.post("/api/workspace/codegen", json={**body, "target": "shell-curl"}).json()
    assert SECRET not in code["code"] and "{{password}}" in code["code"]
    code = api.post(
        "/api/workspace/codegen", json={**body, "target": "shell-curl", "inline_secrets": True}
    ).json()
    assert SECRET in code["code"]
    out = api.post("/api/workspace/export", json={**body, "to": ["curl", "har", "http"]}).json()
    assert SECRET not in json.dumps(out) and "{{password}}" in out["outputs"]["http"]


def test_workspace_codegen_takes_the_style(api: httpx.Client) -> None:
    body = {"ref": "users/list.http#List", "env": "dev", "target": "python-requests"}
    answers = {
        style: api.post("/api/workspace/codegen", json={**body, "style": style}).json()
        for style in ("idiomatic", "exact")
    }
    assert answers["idiomatic"]["style"] == "idiomatic"
    assert "params=params" in answers["idiomatic"]["code"]
    assert "raise_for_status()" in answers["idiomatic"]["code"]
    assert answers["exact"]["style"] == "exact"
    assert "requests.Session()" in answers["exact"]["code"]
    assert "/get?page=1" in answers["exact"]["code"]
    default = api.post("/api/workspace/codegen", json=body).json()
    assert default["code"] == answers["idiomatic"]["code"] and default["style"] == "idiomatic"
    bad = api.post("/api/workspace/codegen", json={**body, "style": "terse"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "style"
    assert "terse" in bad.json()["error"]["message"]


def test_chained_request_sends_its_login_first(api: httpx.Client, ws_dir: Path) -> None:
    (ws_dir / "chain.http").write_text(
        "### token\n# @name tok\nPOST {{host}}/anything\nContent-Type: application/json\n\n"
        '{"token": "t-123"}\n\n### use\nGET {{host}}/headers\n'
        "X-Token: {{tok.response.body.$.json.token}}\n"
    )
    out = api.post("/api/workspace/resolve", json={"ref": "chain.http#use", "env": "dev"}).json()
    assert out["unknown"] == [] and out["variables"][1]["state"] == "pending"
    r = api.post("/api/workspace/send", json={"ref": "chain.http#use", "env": "dev"})
    assert r.status_code == 200, r.text
    assert "t-123" in r.text
    assert len(api.get("/api/history").json()) == 2


def test_bad_input_gets_one_line_answers(api: httpx.Client) -> None:
    r = api.post("/api/workspace/send", json={"ref": "auth.http#login", "env": "staging"})
    assert r.status_code == 422 and "unknown environment 'staging'" in r.text
    r = api.post("/api/workspace/send", json={"ref": "auth.http#nothing", "env": "dev"})
    assert r.status_code == 422 and "has no such request" in r.text
    form = opened(api, "auth.http#login")["request"]
    r = api.post(
        "/api/workspace/save",
        json={"ref": "auth.http#login", "version": "x", "request": {**form, "url": "a\nb"}},
    )
    assert r.status_code == 422 and "url: must be one line" in r.text


def test_the_openapi_document_lists_the_workspace_routes(api: httpx.Client) -> None:
    paths = api.get("/api/openapi.json").json()["paths"]
    for route in ("", "/request", "/version", "/resolve", "/send", "/save", "/share"):
        assert f"/api/workspace{route}" in paths


def test_the_workspace_needs_the_session_token(wb: Workbench) -> None:
    with httpx.Client(base_url=wb.url) as bare:
        bare.get("/api/session")
        r = bare.post("/api/workspace/send", json={"ref": "auth.http#login"})
        assert r.status_code == 403


def test_no_workspace_configured_answers_disabled(tmp_path: Path) -> None:
    with start_workbench(db_url=f"sqlite:///{tmp_path / 'x.db'}") as wb, wb.api() as api:
        assert api.get("/api/workspace").json() == {"enabled": False}
        r = api.get("/api/workspace/request", params={"ref": "a.http#1"})
        assert r.status_code == 404


def test_serve_chooses_the_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reqlab.cli.serve import _workspace

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    assert _workspace(None, False, public=True) is None  # --public: off unless asked
    assert _workspace(str(tmp_path), False, public=True) == str(tmp_path)
    assert _workspace(None, False, public=False) == str(tmp_path / "data" / "reqlab" / "workspace")
    (tmp_path / "a.http").write_text("GET http://127.0.0.1/\n")
    assert _workspace(None, False, public=False) == str(tmp_path)
    assert _workspace(None, True, public=False) is None


def test_two_saves_from_the_same_version_the_second_is_refused(
    api: httpx.Client, ws_dir: Path
) -> None:
    got = opened(api, "users/list.http#List")
    first = {**got["request"], "url": "{{host}}/first"}
    second = {**got["request"], "url": "{{host}}/second"}
    body = {"ref": "users/list.http#List", "version": got["version"]}
    assert api.post("/api/workspace/save", json={**body, "request": first}).status_code == 200
    r = api.post("/api/workspace/save", json={**body, "request": second})
    assert r.status_code == 409 and r.json()["error"]["kind"] == "conflict"
    assert "{{host}}/first" in (ws_dir / "users" / "list.http").read_text()


def test_a_broken_file_is_reported_and_the_rest_loads(api: httpx.Client, ws_dir: Path) -> None:
    (ws_dir / "broken.http").write_bytes(b"GET http://127.0.0.1/\xff\xfe\n")
    tree = api.get("/api/workspace").json()
    assert tree["errors"] == ["broken.http:1:1: not UTF-8 text (byte 21)"]
    assert [f["path"] for f in tree["files"]] == ["auth.http", "users/list.http"]


def test_reqlab_serve_workspace_and_public_mode(tmp_path: Path, ws_dir: Path) -> None:
    from tests.web.test_serve import serve, session

    with (
        serve(tmp_path, "--workspace", str(ws_dir)) as (proc, urls),
        session(urls["workbench"]) as c,
    ):
        tree = c.get("/api/workspace").json()
        assert tree["enabled"] and tree["root"] == str(ws_dir.resolve())
    # a shared instance serves no workspace unless it is named
    with serve(tmp_path, "--public") as (proc, urls), session(urls["workbench"]) as c:
        assert c.get("/api/workspace").json() == {"enabled": False}
    with (
        serve(tmp_path, "--public", "--workspace", str(ws_dir)) as (proc, urls),
        session(urls["workbench"]) as c,
    ):
        assert c.get("/api/workspace").json()["enabled"] is True
    missing = subprocess.run(
        [sys.executable, "-m", "reqlab", "serve", "--workspace", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing.returncode == 2
    assert f"--workspace {tmp_path / 'nope'}: not a directory" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_a_secret_in_a_transport_error_is_masked_everywhere(
    api: httpx.Client, ws_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # The private environment names the backend: the connect error quotes
    # "127.0.0.1:1", which the answer, history and log must not show.
    private = {"dev": {"password": SECRET, "backend": "127.0.0.1:1"}}
    (ws_dir / "http-client.private.env.json").write_text(json.dumps(private))
    form = opened(api, "auth.http#login")["request"]
    form["url"] = "http://{{backend}}/x"
    caplog.set_level(logging.DEBUG)
    r = api.post(
        "/api/workspace/send", json={"ref": "auth.http#login", "env": "dev", "request": form}
    )
    assert r.status_code == 502
    assert r.json()["error"]["message"] == "cannot connect to {{backend}}: connection refused"
    history = api.get("/api/history").json()
    assert history[0]["url"] == "http://{{backend}}/x"
    entry = api.get(f"/api/history/{history[0]['id']}").text
    assert "127.0.0.1:1/" not in entry and "cannot connect to {{backend}}" in entry
    assert "127.0.0.1:1/" not in caplog.text and "127.0.0.1:1:" not in caplog.text
