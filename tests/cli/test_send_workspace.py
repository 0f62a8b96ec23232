"""``reqlab send path/file.http#name --env NAME --var k=v`` against a real echo server."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import send


def _workspace(root: Path, echo_url: str) -> Path:
    (root / "http-client.env.json").write_text(json.dumps({"dev": {"base": echo_url}}))
    (root / "http-client.private.env.json").write_text(json.dumps({"dev": {"token": "s3cret"}}))
    api = root / "api.http"
    api.write_text(
        "### login\n"
        "POST {{base}}/anything/login\n"
        "Content-Type: application/json\n\n"
        '{"token": "{{token}}"}\n\n'
        "### whoami\n"
        "GET {{base}}/anything/me?who={{who}}\n"
        "Authorization: Bearer {{login.response.body.$.json.token}}\n"
    )
    return api


def test_send_names_a_request_of_a_workspace_file(tmp_path: Path, echo_url: str) -> None:
    api = _workspace(tmp_path, echo_url)
    run = send(f"{api}#whoami", "--env", "dev", "--var", "who=ann")
    assert run.code == 0, run.err
    echoed = json.loads(run.out)
    assert echoed["args"] == {"who": "ann"}
    # chained: the login request ran first, its response fed this header
    assert echoed["headers"]["Authorization"] == "Bearer s3cret"


def test_unknown_variable_is_one_line_naming_it(tmp_path: Path, echo_url: str) -> None:
    api = _workspace(tmp_path, echo_url)
    run = send(f"{api}#whoami", "--env", "dev")
    assert run.code == 2
    assert "who" in run.err and "api.http" in run.err
    assert len(run.err.strip().splitlines()) == 1, run.err


def test_env_without_a_http_file_is_refused(echo_url: str) -> None:
    run = send(echo_url + "/get", "--env", "dev")
    assert run.code == 2
    assert "--env" in run.err


def test_private_values_are_hidden_where_the_request_is_shown(
    tmp_path: Path, echo_url: str
) -> None:
    """The private environment's token reaches the server, never the request as
    printed (-v, --print, --output json, --offline); the response is shown as
    the server sent it."""
    api = _workspace(tmp_path, echo_url)
    run = send(f"{api}#login", "--env", "dev", "--print=HBb")
    assert run.code == 0, run.err
    head, _, rest = run.out.decode().partition("\r\n\r\n")
    body, _, response = rest.partition("\n")
    assert "s3cret" not in head and body == '{"token": "••••"}'

    assert json.loads(response)["json"] == {"token": "s3cret"}  # what arrived
    run = send(f"{api}#login", "--env", "dev", "--output", "json")
    shown = json.dumps(json.loads(run.out)["request"], ensure_ascii=False)
    assert "s3cret" not in shown and "••••" in shown
    run = send(f"{api}#login", "--env", "dev", "--offline")
    assert run.code == 0 and b"s3cret" not in run.out and "••••".encode() in run.out
