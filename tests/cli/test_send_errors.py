"""Every misuse of ``reqlab send``: one line on stderr, a documented exit code."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest

from reqlab.cli._exit import Exit

from .conftest import ENV, REQLAB, send


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def one_line(run, code: int, *words: str) -> None:
    assert run.code == code, (run.code, run.err)
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("reqlab: error: "), run.err
    for word in words:
        assert word in lines[0], lines[0]


@pytest.mark.parametrize(
    "args,words",
    [
        ([], ["missing URL"]),
        (["POST"], ["missing URL after POST"]),
        (["--json", '{"a":1}', ":1/x"], ["--json is a flag"]),
        (["-j", "-f", ":1/x", "a=1"], ["--json cannot be combined"]),
        ([":1/x", "plain"], ["'plain'", "not a request item"]),
        ([":1/x", "a[b]c=1"], ["a[b]c", "expected '['"]),
        ([":1/x", "a=1", "a[x]=2"], ["cannot use a key step"]),
        (["-f", ":1/x", "o:={}"], ["cannot be a form field"]),
        ([":1/x", "n:={bad"], ["not valid JSON"]),
        ([":1/x", "X;v"], ["empty header"]),
        ([":1/x", "X A:1"], ["header name"]),
        ([":1/x", "a=@/no/such/file"], ["cannot read"]),
        ([":1/x", "f@/no/such/file"], ["no file at"]),
        (["--raw", "x", ":1/x", "a=1"], ["--raw and field items cannot be mixed"]),
        (["--raw", "x", "--data", "y", ":1/x"], ["two request bodies"]),
        (["-p", "Q", ":1/x"], ["unknown --print letters: Q"]),
        (["--session", "no good", ":1/x"], ["--session"]),
        (["ftp://x/"], ["http:// or https://"]),
        (["-d", "a=1", ":1/x"], ["'a=1' is not a URL", "--data"]),
        (["POST", "a=1", ":1/x"], ["'a=1' is not a URL"]),
    ],
)
def test_misuse_is_one_line_exit_2(args, words):
    one_line(send(*args), Exit.BAD_INPUT, *words)


def test_stdin_and_items_cannot_be_mixed():
    run = send(":1/x", "a=1", stdin=b"body")
    one_line(run, Exit.BAD_INPUT, "stdin", "--ignore-stdin")
    assert send("--offline", "--ignore-stdin", ":1/x", "a=1", stdin=b"body").code == 0


def test_transport_errors_have_their_codes(echo_url):
    port = _free_port()
    one_line(send(f"127.0.0.1:{port}/"), Exit.CONNECT, f"127.0.0.1:{port}")
    one_line(send("http://no-such-host.invalid/"), Exit.DNS, "no-such-host.invalid")


def test_tls_to_a_plain_port_names_a_reason(echo_url):
    run = send(echo_url.replace("http://", "https://") + "/get")
    one_line(run, Exit.TLS, "TLS")
    reason = run.err.strip().rsplit("failed:", 1)[-1].strip()
    assert reason, run.err


def _offline(*args: str) -> tuple[str, bytes]:
    run = send("--offline", *args)
    assert run.code == 0, run.err
    head, _, body = run.out.partition(b"\r\n\r\n")
    return head.decode(), body


def test_curl_options_merge_with_items_by_the_documented_rule(tmp_path):
    head, _ = _offline("-H", "X-Curl: 1", ":1/x", "X-Item:2")
    assert head.index("X-Curl: 1") < head.index("X-Item: 2")
    upload = tmp_path / "u.txt"
    upload.write_text("up")
    head, body = _offline("--form-part", "a=b", "--form-part", f"f=@{upload}", ":1/x", "c=d")
    assert "multipart/form-data; boundary=" in head
    assert body.count(b"Content-Disposition") == 3 and b'name="c"' in body
    one_line(send("--data", "x=1", ":1/x", "a=1"), Exit.BAD_INPUT, "--data and field items")
    head, body = _offline("--data", "x=1", "--data", "y=2", ":1/x")
    assert head.startswith("POST ") and body == b"x=1&y=2"
    assert "Content-Type: application/x-www-form-urlencoded" in head


def _silent_dns() -> socket.socket | None:
    """A UDP socket on 127.0.0.1:53 that reads queries and never answers, or
    None where it cannot be had (not root, or port 53 taken)."""
    dns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        dns.bind(("127.0.0.1", 53))
    except OSError:
        dns.close()
        return None
    return dns


@pytest.mark.skipif(shutil.which("unshare") is None, reason="util-linux's unshare is missing")
def test_a_dns_lookup_that_gets_no_answer_is_cut_at_the_timeout(tmp_path) -> None:
    """The resolver would wait resolv.conf's 5 s a try; --timeout 1 ends it in about
    1 s, naming the phase.  reqlab runs in a mount namespace of its own whose
    resolv.conf points at a silent server on 127.0.0.1 (the machine's is untouched)."""
    dns = _silent_dns()
    if dns is None:
        pytest.skip("127.0.0.1:53 cannot be bound here (needs root and a free port)")
    resolv = tmp_path / "resolv.conf"
    resolv.write_text("nameserver 127.0.0.1\noptions timeout:5 attempts:2\n")
    script = 'mount --bind "$1" /etc/resolv.conf && shift && exec "$@"'
    with dns:
        started = time.monotonic()
        proc = subprocess.run(
            ["unshare", "--mount", "sh", "-c", script, "sh", str(resolv),
             REQLAB, "send", "--timeout", "1", "http://nowhere.reqlab.test/"],
            capture_output=True, timeout=60, env=ENV,
        )  # fmt: skip
        took = time.monotonic() - started
        assert dns.recv(512)  # the query did reach the silent server
    err = proc.stderr.decode()
    if "mount" in err and proc.returncode != Exit.TIMEOUT:
        pytest.skip(f"no mount namespace here: {err.strip()}")
    assert proc.returncode == Exit.TIMEOUT, err
    assert err.strip().splitlines()[-1].startswith("reqlab: error: ")
    assert "dns" in err and "1 s" in err, err
    assert took < 4.5, took  # not the resolver's 5 s
