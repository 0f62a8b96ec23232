"""``reqlab ws`` run as a user runs it: the console script in a subprocess, the echo server."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from reqlab.cli._exit import Exit
from reqlab.echo.testing import EchoHandle, start_echo_server

REQLAB = [sys.executable, "-m", "reqlab"]


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture(scope="module")
def echo() -> Iterator[EchoHandle]:
    with start_echo_server() as handle:
        yield handle


def ws(*args: str, stdin: str = "") -> Run:
    p = subprocess.run(
        [*REQLAB, "ws", *args], input=stdin, capture_output=True, text=True, timeout=20
    )
    return Run(p.returncode, p.stdout, p.stderr)


def url(echo: EchoHandle, path: str) -> str:
    return f"ws://{echo.host}:{echo.port}{path}"


def one_line_error(run: Run, code: int, *words: str) -> None:
    assert run.code == code, (run.code, run.err)
    lines = run.err.strip().splitlines()
    assert lines[-1].startswith("reqlab: error: ") and "Traceback" not in run.err
    for word in words:
        assert word in lines[-1]


def test_send_and_count_prints_each_message(echo):
    run = ws(
        url(echo, "/ws"), "--send", "hi", "--send", "there", "--count", "3", "-H", "X-Trace: 7"
    )
    assert run.code == 0, run.err
    first, *rest = run.out.splitlines()
    assert ["X-Trace", "7"] in json.loads(first)["headers"]
    assert rest == ["hi", "there"]
    assert "upgrade" in run.err and "permessage-deflate" in run.err


def test_send_file_sends_binary(echo, tmp_path):
    blob = tmp_path / "blob.bin"
    blob.write_bytes(b"\x00\x01\xff")
    run = ws(url(echo, "/ws?reflect=0"), "--send", "t", "--send-file", str(blob), "--count", "2")
    assert (run.code, run.out.splitlines()) == (0, ["t", "[binary 3 B] 0001ff"])


def test_stdin_lines_are_sent_when_piped(echo):
    run = ws(url(echo, "/ws?reflect=0"), "--idle", "1", stdin="one\ntwo\n")
    assert (run.code, run.out.splitlines()) == (0, ["one", "two"])


def test_expect_and_subprotocol(echo):
    run = ws(url(echo, "/ws"), "--subprotocol", "chat", "--send", "ready", "--expect", "ready")
    assert run.code == 0 and "subprotocol chat" in run.err
    run = ws(url(echo, "/ws?reflect=0"), "--send", "x", "--expect", "never", "--timeout", "0.3")
    one_line_error(run, Exit.TIMEOUT, "timed out after 0.3 s", "'never'")


def test_http2(echo):
    run = ws(url(echo, "/ws?reflect=0"), "--http2", "--send", "h2", "--count", "1")
    assert (run.code, run.out) == (0, "h2\n") and "HTTP/2" in run.err


def test_json_output_is_one_record_per_frame(echo):
    run = ws(url(echo, "/ws?reflect=0"), "--send", "hello", "--count", "1", "--output", "json")
    assert run.code == 0, run.err
    recs = [json.loads(line) for line in run.out.splitlines()]
    assert recs[0]["type"] == "handshake" and recs[0]["status"] == 101
    assert set(recs[0]["timings"]) == {"dns", "connect", "tls", "upgrade"}
    frames = [(r["direction"], r["opcode"], r.get("message")) for r in recs if r["type"] == "frame"]
    assert frames == [
        ("out", "text", "hello"),
        ("in", "text", "hello"),
        ("out", "close", None),
        ("in", "close", None),
    ]
    assert recs[-1] == {"type": "close", "code": 1000, "reason": "", "by": "client"}


@pytest.mark.parametrize(
    ("path", "args", "code", "words"),
    [
        (
            "/ws/close?code=4001&reason=bye",
            ["--count", "1"],
            Exit.PROTOCOL,
            ["4001 (bye)", "0 of 1 messages"],
        ),
        (
            "/ws?reflect=0",
            ["--send", "x" * 50, "--count", "1", "--max-size", "10"],
            Exit.TOO_LARGE,
            ["1009"],
        ),
        ("/echo", ["--count", "1"], Exit.PROTOCOL, ["answered 200 instead of 101"]),
        (
            "/ws/noping",
            ["--count", "1", "--ping-interval", "0.1"],
            Exit.TIMEOUT,
            ["no pong", "1011"],
        ),
        ("/ws", ["-H", "no colon"], Exit.BAD_INPUT, ["-H", "Name: value"]),
    ],
)
def test_failures_are_one_line_with_a_documented_code(echo, path, args, code, words):
    one_line_error(ws(url(echo, path), *args), code, *words)


def test_connection_refused_and_bad_scheme():
    with start_echo_server() as gone:
        port = gone.port
    one_line_error(ws(f"ws://127.0.0.1:{port}/", "--count", "1"), Exit.CONNECT, "cannot connect")
    one_line_error(ws("ftp://127.0.0.1/", "--count", "1"), Exit.BAD_INPUT, "ws://")


def test_interactive_on_a_terminal(echo):
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [*REQLAB, "ws", url(echo, "/ws?reflect=0")],
        stdin=follower,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    os.close(follower)
    os.write(leader, b"hello there\n/ping abc\n")
    # Wait for the echo and the pong before closing: the server answers
    # control frames at once but echoes data from its handler, so a Close
    # typed in the same breath may overtake the echo.
    assert proc.stdout is not None
    seen: list[str] = []
    while not (
        any(ln.startswith("< ") and ln.endswith("hello there") for ln in seen)
        and any(ln.startswith("< ") and " pong " in ln for ln in seen)
    ):
        line = proc.stdout.readline()
        assert line, (seen, proc.stderr.read() if proc.stderr else "")
        seen.append(line.rstrip("\n"))
    os.write(leader, b"/close 4000 enough\n")
    out, err = proc.communicate(timeout=20)
    os.close(leader)
    assert proc.returncode == 0, err
    lines = seen + out.splitlines()
    assert lines[0].startswith("> ") and lines[0].endswith("11 B  hello there")
    assert any(
        ln.startswith("< ") and " text " in ln and ln.endswith("hello there") for ln in lines
    )
    assert any(ln.startswith("> ") and " ping " in ln for ln in lines)
    assert any(ln.startswith("< ") and " pong " in ln for ln in lines)
    assert any(ln.startswith("> ") and " close " in ln for ln in lines)
    assert "pong after" in err and "type to send" in err


def test_gen_prints_a_program_and_its_warnings(echo):
    run = ws(url(echo, "/ws"), "-H", "X-A: 1", "--send", "hi", "--gen", "javascript-websocket")
    assert run.code == 0 and 'ws.send("hi");' in run.out and "if (++received === 1)" in run.out
    assert "reqlab: warning: a browser cannot set header X-A" in run.err
