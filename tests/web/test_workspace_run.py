"""The sidebar's Run (GET /api/workspace/run, server-sent events) against a
real workspace of .hurl files and the echo server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from reqlab.web.testing import Workbench, start_workbench

SECRET = "pr1vate-t0ken-77"
GOOD = """GET {{host}}/get?who={{user}}&t={{token}}
Authorization: Bearer {{token}}
HTTP 200
[Asserts]
jsonpath "$.args.who" == "ada"

GET {{host}}/status/204
HTTP 204
"""
BAD = """GET {{host}}/get
HTTP 200
[Asserts]
jsonpath "$.url" contains "nowhere"
"""


@pytest.fixture
def ws_dir(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    (root / "api").mkdir(parents=True)
    (root / "api" / "good.hurl").write_text(GOOD)
    (root / "bad.hurl").write_text(BAD)
    (root / "health.http").write_text("### Health\nGET {{host}}/get\n")
    return root


@pytest.fixture
def wb(tmp_path: Path, ws_dir: Path) -> Iterator[Workbench]:
    with start_workbench(db_url=f"sqlite:///{tmp_path / 'wb.db'}", workspace=str(ws_dir)) as w:
        envs = {"dev": {"host": w.echo_url, "user": "ada"}}
        (ws_dir / "http-client.env.json").write_text(json.dumps(envs))
        (ws_dir / "http-client.private.env.json").write_text(json.dumps({"dev": {"token": SECRET}}))
        yield w


def events(api: httpx.Client, **params: str) -> list[tuple[str, dict[str, Any]]]:
    out = []
    with api.stream("GET", "/api/workspace/run", params=params) as r:
        assert r.status_code == 200, r.read()
        assert r.headers["content-type"].startswith("text/event-stream")
        kind = ""
        for line in r.iter_lines():
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                out.append((kind, json.loads(line[6:])))
    return out


def test_tree_lists_hurl_files(wb: Workbench, ws_dir: Path) -> None:
    with wb.api() as api:
        assert api.get("/api/workspace").json()["hurl"] == ["bad.hurl", "api/good.hurl"]
        (ws_dir / "new.hurl").write_text(BAD)  # a new .hurl file shows at once
        assert api.get("/api/workspace").json()["hurl"] == ["bad.hurl", "new.hurl", "api/good.hurl"]


def test_run_a_file_streams_each_entry_with_asserts_and_reuse(wb: Workbench) -> None:
    with wb.api() as api:
        seen = events(api, path="api/good.hurl", env="dev")
    kinds = [k for k, _ in seen]
    assert kinds == ["entry", "entry", "file", "done"]
    first, second = seen[0][1], seen[1][1]
    assert (first["file"], first["method"], first["status"], first["ok"]) == (
        "api/good.hurl", "GET", 200, True,
    )  # fmt: skip
    jsonpath = next(a for a in first["asserts"] if a["text"].startswith("jsonpath"))
    assert jsonpath["ok"] and "ada" in jsonpath["actual"]
    assert set(first["timings"]) >= {"dns", "connect", "wait", "total"}
    assert not first["reused"] and second["reused"]  # one client per file
    assert second["status"] == 204
    done = seen[-1][1]
    assert (done["files"], done["passed"], done["requests"], done["reused"]) == (1, 1, 2, 1)
    assert first["url"].endswith("&t={{token}}")  # the private value, masked
    assert SECRET not in json.dumps(seen)


def test_run_the_workspace_reports_the_failure(wb: Workbench) -> None:
    with wb.api() as api:
        seen = events(api, path="", env="dev")
    failing = next(d for k, d in seen if k == "entry" and d["file"] == "bad.hurl")
    verdict = next(a for a in failing["asserts"] if not a["ok"])
    assert verdict["expected"] and "nowhere" in verdict["expected"]
    assert verdict["actual"] and "/get" in verdict["actual"]
    done = seen[-1]
    assert done[0] == "done" and done[1]["failed"] >= 1 and done[1]["exit_code"] == 4


@pytest.mark.parametrize(
    ("path", "message"),
    [("../x.hurl", "'..'"), ("/etc/passwd", "relative"), ("nope.hurl", "no such"),
     ("http-client.env.json", "only .hurl")],
)  # fmt: skip
def test_bad_paths_are_400(wb: Workbench, path: str, message: str) -> None:
    with wb.api() as api:
        r = api.get("/api/workspace/run", params={"path": path})
    assert r.status_code == 400 and message in r.json()["error"]["message"]


def test_run_needs_the_token_and_a_workspace(wb: Workbench, tmp_path: Path) -> None:
    assert httpx.get(wb.url + "/api/workspace/run").status_code == 403
    with start_workbench(public=True) as pub, pub.api() as api:
        assert api.get("/api/workspace/run").status_code == 404


def test_a_public_instance_reads_no_server_file_for_an_entrys_tls_options(
    tmp_path: Path,
) -> None:
    """A file in a public instance's workspace cannot make the server load
    its own files as a CA, certificate or key ([Options] cacert, cert, key)."""
    root = tmp_path / "pub"
    root.mkdir()
    options = {"cacert": "reads", "cert": "reads", "key": "reads", "netrc-file": "reads"}
    options["output"] = "writes"  # nor writes one
    for option in options:
        (root / f"{option}.hurl").write_text(
            f"GET https://127.0.0.1:9/x\n[Options]\n{option}: /etc/ssl/private/server.pem\n"
        )
    with start_workbench(public=True, workspace=str(root)) as pub, pub.api() as api:
        for option, verb in options.items():
            seen = events(api, path=f"{option}.hurl")
            entry = next(d for k, d in seen if k == "entry")
            assert f"option {option}: this server {verb} no file" in entry["error"], entry
