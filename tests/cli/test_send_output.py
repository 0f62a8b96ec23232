"""What ``reqlab send`` prints for its reader: a pipe, a file, a terminal."""

from __future__ import annotations

import json
import subprocess

import pytest

from reqlab.cli._exit import Exit

from .conftest import ENV, REQLAB, send, send_tty


def test_pipe_gets_the_body_only_complete_and_unwrapped(echo_url):
    long = "x" * 25000
    run = send(f"{echo_url}/get", f"q=={long}")
    assert run.code == 0 and run.err == ""
    body = json.loads(run.out)
    assert body["args"] == {"q": long}
    assert any(len(line) > 25000 for line in run.out.splitlines())  # no cut, no wrap
    assert b"HTTP/1.1" not in run.out and "dns " not in run.err


def test_pipe_body_is_never_cut(echo_url):
    run = send(f"{echo_url}/bytes/100000")
    assert run.code == 0 and len(run.out) == 100000
    run = send(f"{echo_url}/drip?duration=0&numbytes=9000000")  # spooled to disk, copied
    assert run.code == 0 and run.out == b"*" * 9000000


@pytest.mark.parametrize("path", ["/bytes/102400", "/drip?duration=0&numbytes=9000000"])
def test_closed_pipe_ends_quietly_with_0(echo_url, path):
    """A body in memory, and one spooled to disk (over 8 MiB): both more than a pipe holds."""
    proc = subprocess.Popen(
        [REQLAB, "send", echo_url + path],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=ENV,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()  # like `| head -c 10`
    err = proc.stderr.read()
    assert proc.wait(timeout=30) == 0
    assert err == b""


@pytest.mark.parametrize(
    "flags,has",
    [
        (["-h"], [b"HTTP/1.1 200 OK\r\n", b"Content-Type: application/json"]),
        (["-b"], [b'"url"']),
        (["-p", "Hh"], [b"GET /get HTTP/1.1\r\n", b"HTTP/1.1 200 OK\r\n"]),
        (["-v"], [b"GET /get HTTP/1.1\r\n", b"HTTP/1.1 200 OK\r\n", b'"url"']),
        (["-p", "m"], [b"Elapsed time: "]),
        (["-p", "t"], [b"dns ", b" ms"]),
        (["-p", "c"], [b"new connection #1", b"keep-alive: persistent"]),
    ],
)
def test_print_letters(echo_url, flags, has):
    run = send(*flags, f"{echo_url}/get")
    assert run.code == 0, run.err
    for part in has:
        assert part in run.out
    if flags == ["-h"]:
        assert b'"url"' not in run.out
    if flags == ["-b"]:
        assert not run.out.startswith(b"HTTP/")


def test_pretty(echo_url):
    none = send("--pretty=none", f"{echo_url}/json")
    formatted = send("--pretty=format", f"{echo_url}/json")
    assert json.loads(none.out) == json.loads(formatted.out)
    assert formatted.out.count(b"\n") >= none.out.count(b"\n")
    assert b"\n  " in formatted.out
    colours = send("--pretty=all", f"{echo_url}/get")  # "as on a terminal"
    assert b"new connection #1" in colours.out


def test_quiet_and_unknown_letters(echo_url):
    run = send("-q", f"{echo_url}/get")
    assert run.code == 0 and run.out == b"" and run.err == ""
    run = send("-p", "Xh", f"{echo_url}/get")
    assert run.code == Exit.BAD_INPUT and run.err.count("\n") == 1 and "X" in run.err


def test_output_file_and_stdout_dash(echo_url, tmp_path):
    target = tmp_path / "out.bin"
    run = send("-o", str(target), f"{echo_url}/bytes/1000")
    assert run.code == 0 and run.out == b"" and target.stat().st_size == 1000
    run = send("-o", "-", f"{echo_url}/bytes/10")
    assert run.code == 0 and len(run.out) == 10
    assert not (tmp_path / "-").exists()


def test_download_sends_the_body_to_the_file_and_the_head_to_the_terminal(echo_url, tmp_path):
    code, seen, _ = send_tty(  # stdout and stderr both on the terminal
        "--download", f"{echo_url}/bytes/2048", cwd=str(tmp_path), stderr_tty=True
    )
    assert code == 0, seen
    assert (tmp_path / "2048.bin").stat().st_size == 2048  # more in test_send_download.py
    assert "Content-Length: 2048" in seen and "Done. 2.0 kB" in seen
    assert len(seen) < 2048  # headers and the summary, never the body
    run = send("-d", f"{echo_url}/bytes/7", cwd=str(tmp_path))  # piped: stdout, as HTTPie
    assert len(run.out) == 7 and not (tmp_path / "7.bin").exists()


def test_verbose_in_a_pipe_is_an_http_message_pair(echo_url):
    run = send("-v", f"{echo_url}/post", "a=1")
    request, _, response = run.out.partition(b'{"a":"1"}\n\n')
    assert request.startswith(b"POST /post HTTP/1.1\r\n") and request.endswith(b"\r\n\r\n")
    head, _, body = response.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert json.loads(body)["json"] == {"a": "1"}


@pytest.mark.parametrize("status,code", [(200, 0), (302, 3), (404, 4), (503, 5)])
def test_check_status_codes(echo_url, status, code):
    run = send("--check-status", f"{echo_url}/status/{status}")
    assert run.code == code
    if code:
        assert run.err.count("\n") == 1 and f"HTTP {status}" in run.err
    assert send(f"{echo_url}/status/{status}").code == 0


def test_timeout_and_redirect_codes(echo_url):
    run = send("--timeout", "0.3", f"{echo_url}/delay/3")
    assert run.code == Exit.TIMEOUT == 2 and "timed out" in run.err
    run = send("--follow", "--max-redirects", "1", f"{echo_url}/redirect/3")
    assert run.code == Exit.TOO_MANY_REDIRECTS == 6


def test_terminal_gets_the_rich_view(echo_url):
    code, out, err = send_tty(f"{echo_url}/get")
    assert code == 0, err
    assert "HTTP/1.1 200 OK" in out and "new connection #1" in out
    assert "dns " in out and "wait " in out and '"url"' in out


def test_wire_summary_on_stderr_when_stdout_is_piped(echo_url):
    code, out, err = send_tty(f"{echo_url}/get", stdout_tty=False, stderr_tty=True)
    assert code == 0
    assert json.loads(out)["url"].endswith("/get")
    assert "HTTP/1.1 200 OK" in err and "new connection #1" in err and "dns " in err


def test_explicit_letters_on_a_terminal_are_coloured_unless_asked_not_to(echo_url):
    env = {k: v for k, v in ENV.items() if k != "NO_COLOR"}
    code, out, _ = send_tty("-p", "hb", f"{echo_url}/get", env=env)
    assert code == 0 and "\x1b[36mContent-Type\x1b[0m" in out
    code, out, _ = send_tty("-p", "hb", "--pretty=format", f"{echo_url}/get", env=env)
    assert code == 0 and "\x1b[" not in out and '"url"' in out
    code, out, _ = send_tty("-p", "hb", f"{echo_url}/get")  # NO_COLOR=1
    assert "\x1b[" not in out


def test_redirect_hops_only_with_all(echo_url):
    last = send("--follow", "-h", f"{echo_url}/redirect/2")
    assert last.out.count(b"HTTP/1.1 ") == 1 and last.out.startswith(b"HTTP/1.1 200")
    every = send("--follow", "--all", "-h", f"{echo_url}/redirect/2")
    assert [
        line.split(b" ")[1] for line in every.out.split(b"\r\n") if line.startswith(b"HTTP/1.1")
    ] == [
        b"302",
        b"302",
        b"200",
    ]
