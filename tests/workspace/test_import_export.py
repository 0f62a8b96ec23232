"""reqlab import / export / ls, as a user runs them: real files on disk,
the import written in one move, round trips through the workspace."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import reqlab
from reqlab.cli import main
from reqlab.formats.collections import read_collection_text
from reqlab.formats.httpfile.convert import split_auth

FIXTURES = Path(__file__).parent.parent / "fixtures" / "collections"


def run(args: list[str]) -> tuple[int, str, str]:
    with CliRunner().isolation() as streams:
        try:
            main(args)
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        return code, streams[0].getvalue().decode(), streams[1].getvalue().decode()


def _essence(collection: object) -> list[object]:
    out = []
    for folder, t in collection.items:  # type: ignore[attr-defined]
        headers, auth = split_auth(t)
        out.append((folder, t.method, t.url, headers, t.body_text(), auth, t.label))
    return out


def test_postman_with_environment_round_trips_through_a_workspace(tmp_path: Path) -> None:
    source = FIXTURES / "postman" / "complex-v2_1-input.json"
    env = tmp_path / "prod.postman_environment.json"
    env.write_text(
        json.dumps(
            {
                "name": "prod",
                "values": [
                    {"key": "base_url", "value": "https://api.example.test", "enabled": True},
                    {"key": "password", "value": "s3cr3t", "type": "secret", "enabled": True},
                ],
            }
        )
    )
    code, out, err = run(["import", str(source), str(env), "--into", str(tmp_path / "ws")])
    assert code == 0, err
    assert out == f"imported 6 request(s) into {tmp_path / 'ws'} (environments: prod)\n"
    assert "body mode 'unknown' is not converted" in err
    ws = tmp_path / "ws"
    assert sorted(p.relative_to(ws).as_posix() for p in ws.rglob("*") if p.is_file()) == [
        ".gitignore",
        "First Folder.http",
        "http-client.env.json",
        "http-client.private.env.json",
        "requests.http",
    ]
    assert "http-client.private.env.json" in (ws / ".gitignore").read_text()
    assert json.loads((ws / "http-client.private.env.json").read_text()) == {
        "prod": {"password": "s3cr3t"}
    }
    assert not [p for p in tmp_path.iterdir() if ".import-" in p.name]

    code, listing, _ = run(["ls", str(ws)])
    assert code == 0
    assert listing.splitlines()[0].split() == [
        "First",
        "Folder.http#{{base_url}}/api/users",
        "POST",
        "{{base_url}}/api/users",
    ]
    code, exported, err = run(["export", str(ws), "--to", "postman"])
    assert code == 0, err
    again = read_collection_text(exported, "postman")
    first = read_collection_text(source.read_text(), "postman")
    assert _essence(again) == _essence(first)
    assert "s3cr3t" not in exported


def test_export_with_an_environment_never_writes_a_secret(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "http-client.env.json").write_text('{"dev": {"host": "http://127.0.0.1:9"}}')
    (ws / "http-client.private.env.json").write_text('{"dev": {"token": "tok-123"}}')
    (ws / "api.http").write_text(
        "### me\nGET {{host}}/me\nAuthorization: Bearer {{token}}\n\n### broken\nGET {{nope}}/x\n"
    )
    for fmt in ("postman", "har", "http", "curl"):
        code, out, err = run(["export", str(ws), "--to", fmt, "--env", "dev"])
        assert code == 0, err
        assert "tok-123" not in out
        assert "http://127.0.0.1:9/me" in out and "{{token}}" in out
        assert "api.http:6:5: unknown variable 'nope' (kept as written)" in err
    out_file = tmp_path / "out.har"
    assert run(["export", str(ws), "--to", "har", "--out", str(out_file)])[0] == 0
    assert len(json.loads(out_file.read_text())["log"]["entries"]) == 2


def test_a_failed_import_leaves_nothing_behind(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"info": {"name": "x"}, "item": [')
    code, out, err = run(
        [
            "import",
            str(FIXTURES / "postman/minimal-v2_1-input.json"),
            str(bad),
            "--into",
            str(tmp_path / "ws"),
        ]
    )
    assert code == 2 and out == ""
    assert err.startswith("reqlab: error: ") and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"]


def test_import_into_a_non_empty_directory_makes_a_new_folder(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    code, out, err = run(
        ["import", str(FIXTURES / "openapi/petstore-3.0.json"), "--into", str(tmp_path)]
    )
    assert code == 0, err
    ws = reqlab.Workspace(tmp_path / "Swagger Petstore")
    assert len(ws.entries) >= 19 and ws.environments.names == ["default"]
    assert ws.resolve(
        ws.search("getPetById")[0].ref, env="default", vars={"petId": "7", "api_key": "k"}
    ).url == ("http://petstore.swagger.io/v2/pet/7")
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_ls_reports_a_broken_file_and_lists_the_rest(tmp_path: Path) -> None:
    (tmp_path / "ok.http").write_text("GET http://a/1\n###\nPOST http://a/2\n")
    (tmp_path / "bad.http").write_text("GET http://a/\nno header here\n")
    code, out, err = run(["ls", str(tmp_path)])
    assert code == 0
    assert out.splitlines() == ["ok.http#1  GET     http://a/1", "ok.http#2  POST    http://a/2"]
    assert (
        err == "reqlab: warning: bad.http:2:1: a header line 'Name: value', got 'no header here'\n"
    )
    code, out, _ = run(["ls", str(tmp_path), "--search", "post", "--json"])
    assert json.loads(out) == {
        "ref": "ok.http#2",
        "method": "POST",
        "url": "http://a/2",
        "name": None,
        "line": 3,
        "asserts": 0,
    }


@pytest.mark.parametrize(
    "source",
    [
        "har/shallow-input.json",
        "bruno/request.bru",
        "curl/urlencoded-input.sh",
        "insomnia/export-v4-complex.json",
    ],
)
def test_every_import_format_from_the_console_script(tmp_path: Path, source: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(reqlab.__file__).parent.parent)}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "reqlab",
            "import",
            str(FIXTURES / source),
            "--into",
            str(tmp_path / "ws"),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    ws = reqlab.Workspace(tmp_path / "ws")
    assert ws.entries and not ws.errors


def test_files_that_are_not_text_are_one_line_errors(tmp_path: Path) -> None:
    blob = tmp_path / "blob.json"
    blob.write_bytes(b"\x1f\x8b\x08\x00binary")
    code, out, err = run(["import", str(blob), "--into", str(tmp_path / "ws")])
    assert (code, out) == (2, "")
    assert err == f"reqlab: error: import at {blob}: UTF-8 text (byte 1 is not)\n"
    code, _, err = run(["import", str(tmp_path), "--into", str(tmp_path / "ws")])
    assert code == 2 and "a Bruno collection (a directory of .bru files)" in err
    (tmp_path / "http-client.env.json").write_bytes(b"\xff\xfe{}")
    (tmp_path / "a.http").write_text("GET http://x/\n")
    code, out, err = run(["ls", str(tmp_path)])
    assert code == 0 and out.startswith("a.http#1")
    assert err == "reqlab: warning: http-client.env.json:1:1: not UTF-8 text (byte 0)\n"


def test_imported_postman_awsv4_auth_signs_from_the_workspace(tmp_path: Path) -> None:
    """The auth line the import writes is what the workspace signs with: the
    echo server verifies the signature made from the imported environment."""
    from reqlab.echo.server import default_handler
    from reqlab.echo.sigv4 import sigv4_handler
    from reqlab.echo.testing import start_echo_server
    from reqlab.workspace import Workspace

    params = {"accessKey": "{{ak}}", "secretKey": "{{sk}}", "region": "eu-west-1"}
    params["service"] = "execute-api"
    collection = {
        "info": {"name": "aws"},
        "auth": {"type": "awsv4", "awsv4": [{"key": k, "value": v} for k, v in params.items()]},
        "item": [{"name": "signed", "request": {"method": "GET", "url": "{{echo}}/aws/verify/a"}}],
    }
    handler = sigv4_handler({"AKIDPM": "pm-s3cret"}, default_handler())
    with start_echo_server(handler=handler) as echo:
        values = [
            {"key": "echo", "value": echo.url, "enabled": True},
            {"key": "ak", "value": "AKIDPM", "enabled": True},
            {"key": "sk", "value": "pm-s3cret", "type": "secret", "enabled": True},
        ]
        (tmp_path / "aws.json").write_text(json.dumps(collection))
        (tmp_path / "prod.postman_environment.json").write_text(
            json.dumps({"name": "prod", "values": values})
        )
        ws = tmp_path / "ws"
        sources = [str(tmp_path / "aws.json"), str(tmp_path / "prod.postman_environment.json")]
        code, _, err = run(["import", *sources, "--into", str(ws)])
        assert code == 0 and "auth" not in err, err
        text = (ws / "requests.http").read_text()
        assert "# @reqlab.auth aws-sigv4 access-key={{ak}} secret-key={{sk}}" in text
        assert "pm-s3cret" not in text
        with reqlab.Client() as client:
            signed = Workspace(ws).send("requests.http#signed", env="prod", client=client)
    assert signed.status_code == 200 and signed.json()["valid"] is True, signed.text


def test_export_keeps_auth_lines_with_and_without_an_environment(tmp_path: Path) -> None:
    """An @reqlab.auth line is the user's: exported as Postman auth, with
    --env too (its secret stays {{token}}, never the private value)."""
    (tmp_path / "http-client.env.json").write_text(json.dumps({"dev": {"base": "http://h"}}))
    (tmp_path / "http-client.private.env.json").write_text(json.dumps({"dev": {"token": "s3"}}))
    (tmp_path / "api.http").write_text(
        "### call\n# @reqlab.auth apikey name=k value={{token}} in=query\nGET {{base}}/get\n"
    )
    for extra in ([], ["--env", "dev"]):
        code, out, err = run(["export", str(tmp_path), "--to", "postman", *extra])
        assert code == 0, err
        (folder,) = json.loads(out)["item"]
        request = folder["item"][0]["request"]
        assert request["auth"]["type"] == "apikey", extra
        assert {"key": "value", "value": "{{token}}", "type": "string"} in request["auth"]["apikey"]
        assert "s3" not in out
