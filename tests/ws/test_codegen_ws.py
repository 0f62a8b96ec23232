"""Generated WebSocket clients, each run against the echo server: what they print is what was said."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reqlab.codegen.websocket import TARGETS, generate
from reqlab.echo.testing import EchoHandle, start_echo_server
from reqlab.errors import InvalidRequest
from reqlab.wsmodel import WebSocketRequest

GO_MOD = "module wsgen\n\ngo 1.21\n\nrequire github.com/gorilla/websocket v1.5.3\n"


@pytest.fixture(scope="module")
def echo():
    with start_echo_server() as handle:
        yield handle


def _node() -> list[str]:
    major = int(
        subprocess.run(["node", "--version"], capture_output=True, text=True)
        .stdout[1:]
        .split(".")[0]
    )
    return ["node"] if major >= 22 else ["node", "--experimental-websocket"]


def run_program(target: str, code: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    _, filename = TARGETS[target]
    (tmp / filename).write_text(code)
    env = {**os.environ}
    if target == "python-websockets":
        cmd = [sys.executable, filename]
    elif target == "go-gorilla":
        (tmp / "go.mod").write_text(GO_MOD)
        env.update(GOFLAGS="-mod=mod", GOPROXY="off", GOSUMDB="off")  # the module cache only
        subprocess.run(
            ["go", "mod", "tidy"], cwd=tmp, env=env, check=True, capture_output=True, timeout=120
        )
        cmd = ["go", "run", "."]
    else:
        cmd = [*_node(), filename]
    return subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("target", list(TARGETS))
def test_each_target_runs_against_the_echo_server(target, echo: EchoHandle, tmp_path: Path):
    req = WebSocketRequest(
        f"ws://{echo.host}:{echo.port}/ws?deflate=0",
        headers=(("X-Trace", 'q"uote\\'),),
        subprotocols=("chat",),
        messages=('héllo "there"\n', b"\x00\x01\xff"),
        receive=3,
    )
    snippet = generate(req, target)
    done = run_program(target, snippet.code, tmp_path)
    assert done.returncode == 0, done.stderr
    reflected = json.loads(done.stdout.splitlines()[0])
    assert ("sec-websocket-protocol", "chat") in [(n.lower(), v) for n, v in reflected["headers"]]
    if target == "javascript-websocket":
        assert snippet.warnings == ("a browser cannot set header X-Trace on a WebSocket handshake",)
    else:
        assert ["X-Trace", 'q"uote\\'] in reflected["headers"] and snippet.warnings == ()
    assert done.stdout.splitlines()[1:] == ['héllo "there"', "", "0001ff"]


def test_the_model_refuses_bad_values():
    with pytest.raises(InvalidRequest, match="url"):
        WebSocketRequest("http://x/")
    with pytest.raises(InvalidRequest, match="subprotocols"):
        WebSocketRequest("ws://x/", subprotocols=("a b",))
    with pytest.raises(InvalidRequest, match="target"):
        generate(WebSocketRequest("ws://x/"), "cobol")


def test_handshake_headers_are_left_to_the_library():
    snippet = generate(
        WebSocketRequest("ws://x/", headers=(("Sec-WebSocket-Key", "k"),)), "go-gorilla"
    )
    assert (
        "Sec-WebSocket-Key" not in snippet.code
        and "written by the WebSocket library" in snippet.warnings[0]
    )
