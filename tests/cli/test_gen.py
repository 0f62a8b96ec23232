"""``reqlab gen``: conversions, warnings, JSON output, and bad input (one line,
exit 2, no traceback) - most in-process, a few as real subprocesses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reqlab.cli import main

CURL = "curl -X POST https://api.example.test/v1/items -H 'Content-Type: application/json' " + (
    "-d '{\"a\":1}'"
)


def run(args: list[str], stdin: bytes | str = b"") -> tuple[int, bytes, str]:
    """Run ``reqlab ARGS`` in-process: exit code, stdout bytes, stderr text."""
    data = stdin.encode() if isinstance(stdin, str) else stdin
    with CliRunner().isolation(input=data) as streams:
        try:
            main(args)
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = streams[0].getvalue(), streams[1].getvalue()
    return code, out, err.decode()


def test_curl_to_raw_http_from_stdin():
    code, out, err = run(["gen", "http"], CURL)
    assert code == 0, err
    assert out == (
        b"POST /v1/items HTTP/1.1\r\nHost: api.example.test\r\nContent-Type: application/json"
        b'\r\nContent-Length: 7\r\n\r\n{"a":1}'
    )
    assert err == ""


def test_raw_file_to_curl_and_back_to_raw_is_byte_identical(tmp_path: Path):
    message = b"PATCH /x?y=1 HTTP/1.1\r\nHost: h.test\r\nX-A: 1\r\nContent-Length: 2\r\n\r\nhi"
    source = tmp_path / "req.http"
    source.write_bytes(message)
    code, curl, err = run(["gen", "curl", str(source)])
    assert code == 0, err
    assert curl.startswith(b"curl 'http://h.test/x?y=1' \\\n  -X PATCH")
    code, raw, err = run(["gen", "http", "-"], curl)
    assert (code, raw) == (0, message), err


def test_har_entry_by_index_and_json_output():
    har = {
        "log": {
            "entries": [
                {"request": {"method": "GET", "url": "http://a.test/"}},
                {"request": {"method": "DELETE", "url": "http://b.test/item/1"}},
            ]
        }
    }
    code, out, err = run(["gen", "curl", "--index", "1", "--output", "json"], json.dumps(har))
    assert code == 0, err
    assert json.loads(out) == {
        "target": "curl",
        "code": "curl http://b.test/item/1 \\\n  -X DELETE\n",
        "warnings": [],
    }


def test_to_har():
    code, out, _ = run(["gen", "har"], "curl http://h.test/ -u a:b")
    request = json.loads(out)["log"]["entries"][0]["request"]
    assert code == 0
    assert request["_reqlab"]["auth"] == {
        "username": "a",
        "password": "b",
        "scheme": "basic",
        "added": True,
    }


def test_warnings_go_to_stderr_with_a_prefix():
    code, out, err = run(["gen", "curl"], "curl -x http://proxy:3128 http://h.test/ | jq .")
    assert code == 0
    assert out == b"curl http://h.test/\n"
    assert err.splitlines() == [
        "reqlab: warning: ignored what follows the curl command after '|': jq .",
        "reqlab: warning: -x is not supported: skipped (the request may differ from curl's)",
    ]


def test_from_forces_the_input_format():
    code, _, err = run(["gen", "curl", "--from", "http"], CURL)
    assert code == 2
    assert err.startswith("reqlab: error: http at line 1: a request line")


def test_base_url_for_a_message_without_host():
    seed = "GET /echo HTTP/1.0\nConnection: keep-alive\nKeep-Alive: timeout=5, max=100\n"
    code, out, _ = run(["gen", "curl", "--base-url", "http://127.0.0.1:8080"], seed)
    assert code == 0
    assert out == (
        b"curl http://127.0.0.1:8080/echo \\\n  --http1.0 \\\n  -H 'Connection: keep-alive' "
        b"\\\n  -H 'Keep-Alive: timeout=5, max=100'\n"
    )


def test_binary_body_survives_raw_to_curl_to_raw():
    message = b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n\x00\xff\n"
    code, curl, _ = run(["gen", "curl"], message)
    assert code == 0
    assert curl.startswith(b"printf '\\000\\377\\012' | curl http://h/")  # NUL: via stdin
    assert run(["gen", "http"], curl)[1] == message


def test_list_shows_the_format_targets():
    code, out, err = run(["gen", "--list"])
    assert code == 0, err
    ids = [line.split()[0] for line in out.decode().splitlines()]
    assert ids[:3] == ["har", "http", "curl"]


BAD = [
    ('{"log": {"entries": [{"request": {"method": "GET", ', "har at line 1, column 52: valid JSON"),
    ("{nope}", "har at line 1, column 2: valid JSON (Expecting property name"),
    ("curl http://h/ -H 'X-A: 1", "curl at line 1, column 19: a closing ' for the quote"),
    ("curl -H $'X-A: 1\\r\\nX-B: 2' http://h/", "curl at option -H ['X-A']: header value must"),
    ("G@T / HTTP/1.1\nHost: h\n", "http at line 1, column 1: a method token"),
    ("curl -X 'BAD METHOD' http://h/", "curl at option -X: a method token"),
    ("curl -H 'A: b'", "curl at end of command: a URL"),
    ("hello there", "input at line 1: a HAR document"),
    ("", "input at line 1: a request (the input is empty)"),
]


@pytest.mark.parametrize("stdin, message", BAD)
def test_bad_input_is_one_line_and_exit_2(stdin: str, message: str):
    code, out, err = run(["gen", "curl"], stdin)
    assert code == 2
    assert out == b""
    assert err.startswith("reqlab: error: " + message), err
    assert len(err.splitlines()) == 1


def test_missing_file_and_target():
    code, _, err = run(["gen", "curl", "/nonexistent/req.http"])
    assert code == 2 and "No such file" in err and len(err.splitlines()) == 1
    code, _, err = run(["gen"])
    assert code == 2 and "missing TARGET" in err


def _reqlab(args: list[str], stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "reqlab", *args], input=stdin, capture_output=True, timeout=60
    )


def test_subprocess_round_trip_curl_to_har():
    done = _reqlab(["gen", "har"], CURL.encode())
    assert done.returncode == 0, done.stderr
    entry = json.loads(done.stdout)["log"]["entries"][0]["request"]
    assert entry["postData"] == {"mimeType": "application/json", "text": '{"a":1}'}


@pytest.mark.parametrize(
    "stdin, message",
    [
        (b'{"log": {"entries": [', b"reqlab: error: har at line 1, column 22: valid JSON"),
        (b"curl 'http://h/", b"reqlab: error: curl at line 1, column 6: a closing '"),
        (b"GET / HTTP/1.1\nHost: h\nX-A\n", b"reqlab: error: http at line 3: a header"),
    ],
)
def test_subprocess_bad_input_exits_2_without_traceback(stdin: bytes, message: bytes):
    done = _reqlab(["gen", "curl"], stdin)
    assert done.returncode == 2
    assert done.stderr.startswith(message), done.stderr
    assert b"Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1


def test_code_targets_go_through_codegen():
    code, out, err = run(["gen", "python-requests"], CURL)
    assert code == 0, err
    assert b"import requests" in out
    code, out, err = run(["gen", "no-such-target"], CURL)
    assert code == 2 and out == b""
    assert "no-such-target" in err and len(err.splitlines()) == 1


def test_gen_imports_neither_the_client_nor_codegen():
    """`reqlab gen curl` stays fast by importing only the formats it needs."""
    script = (
        "import sys\n"
        "from reqlab.cli import main\n"
        "main(['gen', 'curl', sys.argv[1]])\n"
        "heavy = [m for m in ('reqlab.client', 'reqlab.codegen', 'reqlab.echo', 'reqlab.web',"
        " 'asyncio', 'ssl', 'h2', 'rich', 'starlette') if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    with CliRunner().isolated_filesystem():
        Path("req.curl").write_text(CURL)
        done = subprocess.run(
            [sys.executable, "-c", script, "req.curl"], capture_output=True, timeout=60
        )
    assert done.returncode == 0, done.stderr
    assert b"HEAVY []" in done.stderr
