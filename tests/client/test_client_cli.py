"""``reqlab send`` run as a user runs it: a subprocess, real servers."""

from __future__ import annotations

import hashlib
import json

import pytest

from reqlab.cli._exit import Exit
from reqlab.echo.testing import start_echo_server

from .conftest import free_port, run_send


@pytest.fixture(scope="module")
def echo():
    with start_echo_server() as handle:
        yield handle


def records(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def assert_error(run, code: int, *words: str) -> None:
    assert run.code == code, (run.code, run.err)
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("reqlab: error: "), run.err
    assert "Traceback" not in run.err
    for word in words:
        assert word in lines[0], lines[0]


def test_seed_request_http10_keep_alive_repeat_json(echo):
    run = run_send(
        "--http1.0",
        "--repeat",
        "3",
        "--output",
        "json",
        f"{echo.url}/echo",
        "Connection:keep-alive",
        "Keep-Alive:timeout=5, max=100",
    )
    assert run.code == 0, run.err
    recs = records(run.out)
    assert len(recs) == 3
    assert [r["connection"]["reused"] for r in recs] == [False, True, True]
    assert recs[0]["request"]["raw"] == (
        f"GET /echo HTTP/1.0\r\nHost: 127.0.0.1:{echo.port}\r\nConnection: keep-alive\r\n"
        "Keep-Alive: timeout=5, max=100\r\n\r\n"
    )
    assert recs[0]["keep_alive"]["persistent"] is True
    assert json.loads(recs[0]["response"]["body"]["text"])["http_version"] == "HTTP/1.0"


def test_text_output_shows_reuse_waterfall_and_raw_request(nginx):
    run = run_send("--pretty=all", "-v", "--repeat", "2", nginx.url + "/")
    assert run.code == 0, run.err
    out = run.out
    assert "GET / HTTP/1.1\nHost: 127.0.0.1:" in out  # -v: the request as sent
    assert "added by reqlab: Host" in out
    assert "HTTP/1.1 200 OK" in out
    assert "new connection #1" in out and "connection #1 reused" in out
    assert "dns " in out and "wait " in out and " ms" in out
    assert "keep-alive: persistent, timeout=30" in out
    assert "hello" in out
    assert "2 requests: 1 on a reused connection, 1 on a new one" in out


def test_items_build_json_body_query_and_headers(echo):
    run = run_send(
        "--output",
        "json",
        f"{echo.url}/echo",
        "X-Trace:abc",
        "q==1 2",
        "name=reqlab",
        "n:=3",
        'tags:=["a"]',
    )
    assert run.code == 0, run.err
    rec = records(run.out)[0]
    assert rec["request"]["method"] == "POST"
    seen = json.loads(rec["response"]["body"]["text"])
    assert seen["query"] == [["q", "1 2"]]
    assert ["X-Trace", "abc"] in seen["headers"]
    assert seen["json"] == {"name": "reqlab", "n": 3, "tags": ["a"]}


def test_form_file_upload_and_curl_style_options(echo, tmp_path):
    upload = tmp_path / "notes.txt"
    upload.write_text("file body")
    run = run_send(
        "--output",
        "json",
        "-H",
        "X-One: 1",
        "--form-part",
        "a=b",
        "--form-part",
        f"doc=@{upload}",
        f"{echo.url}/echo",
    )
    assert run.code == 0, run.err
    seen = json.loads(records(run.out)[0]["response"]["body"]["text"])
    assert ["X-One", "1"] in seen["headers"]
    assert seen["form"] == {"a": "b"} or ["a", "b"] in seen["form"]
    assert seen["files"][0]["filename"] == "notes.txt"
    assert seen["files"][0]["sha256"] == hashlib.sha256(b"file body").hexdigest()


def test_follow_and_digest(echo, nginx):
    run = run_send("--output", "json", "--follow", nginx.url + "/redirect")
    recs = records(run.out)
    assert [r["response"]["status"] for r in recs] == [302, 200]
    assert recs[-1]["redirects"][0]["status"] == 302
    run = run_send(
        "--output", "json", "--digest", "-u", "me:pw", f"{echo.url}/digest-auth/auth/me/pw"
    )
    assert [r["response"]["status"] for r in records(run.out)] == [401, 200]


def test_tls_options(nginx):
    assert_error(run_send(nginx.tls_url + "/"), Exit.TLS, "unknown CA", "127.0.0.1")
    assert run_send("--cacert", nginx.ca_file, nginx.tls_url + "/").code == 0
    assert run_send("--verify", nginx.ca_file, nginx.tls_url + "/").code == 0  # HTTPie's spelling
    assert run_send("--verify", "no", nginx.tls_url + "/").code == 0
    assert_error(
        run_send("--verify", "/no/such.pem", nginx.tls_url + "/"), Exit.BAD_INPUT, "--verify"
    )
    run = run_send("--insecure", "--http2", "--output", "json", nginx.tls_url + "/")
    assert run.code == 0, run.err
    rec = records(run.out)[0]
    assert rec["request"]["version"] == "HTTP/2" and rec["connection"]["tls"]["verified"] is False


def test_error_dns():
    assert_error(
        run_send("http://no-such-host.invalid/"),
        Exit.DNS,
        "cannot resolve host",
        "no-such-host.invalid",
    )


def test_error_connection_refused():
    port = free_port()
    assert_error(run_send(f"127.0.0.1:{port}/"), Exit.CONNECT, f"127.0.0.1:{port}", "refused")


def test_error_timeout(echo):
    assert_error(
        run_send("--timeout", "0.3", f"{echo.url}/delay/3"), Exit.TIMEOUT, "timed out during wait"
    )


def test_error_protocol(scripted):
    server = scripted(lambda conn, n, raw: (b"SPDY/9 nonsense\r\n\r\n", True))
    assert_error(run_send(server.url + "/"), Exit.PROTOCOL, "invalid HTTP response")


def test_error_too_large(nginx):
    assert_error(
        run_send("--max-size", "100", nginx.url + "/static/big.txt"), Exit.TOO_LARGE, "100 bytes"
    )


def test_error_too_many_redirects(nginx):
    assert_error(
        run_send("--follow", "--max-redirects", "2", nginx.url + "/loop"),
        Exit.TOO_MANY_REDIRECTS,
        "2 redirects",
    )


@pytest.mark.parametrize(
    "args,words",
    [
        (["http://x/", "justaword"], ["justaword"]),
        (["http://x/", "n:={bad"], ["not valid JSON"]),
        (["http://x/", "doc@/no/such/file"], ["no file at"]),
        (["ftp://x/"], ["http:// or https://"]),
        (["-H", "NoColon", "http://x/"], ["-H"]),
        ([], ["missing URL"]),
    ],
)
def test_bad_input(args, words):
    assert_error(run_send(*args), Exit.BAD_INPUT, *words)


@pytest.mark.parametrize(
    "status,code", [(404, Exit.HTTP_4XX), (503, Exit.HTTP_5XX), (200, Exit.OK)]
)
def test_check_status(echo, status, code):
    run = run_send("--check-status", f"{echo.url}/status/{status}")
    assert run.code == code
    assert run_send(f"{echo.url}/status/{status}").code == 0


def test_file_raw_seed_request_with_base_url(echo, tmp_path):
    seed = tmp_path / "seed.http"
    seed.write_bytes(
        b"GET /echo HTTP/1.0\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5, max=100\r\n\r\n"
    )
    run = run_send("--output", "json", "--repeat", "2", "--file", str(seed), echo.url)
    assert run.code == 0, run.err
    recs = records(run.out)
    assert recs[0]["request"]["raw"].startswith("GET /echo HTTP/1.0\r\nHost: 127.0.0.1:")
    assert [r["connection"]["reused"] for r in recs] == [False, True]


def test_file_har_from_stdin_and_curl(echo):
    har = json.dumps(
        {
            "method": "PUT",
            "url": f"{echo.url}/echo?x=1",
            "httpVersion": "HTTP/1.1",
            "headers": [{"name": "X-Har", "value": "yes"}],
            "queryString": [],
            "postData": {"mimeType": "text/plain", "text": "hi"},
        }
    )
    run = run_send("--output", "json", "--file", "-", stdin=har)
    assert run.code == 0, run.err
    seen = json.loads(records(run.out)[0]["response"]["body"]["text"])
    assert seen["method"] == "PUT" and seen["body"] == "hi" and ["X-Har", "yes"] in seen["headers"]
    run = run_send("--output", "json", "--curl", f"curl -X DELETE {echo.url}/echo -H 'X-Curl: 1'")
    seen = json.loads(records(run.out)[0]["response"]["body"]["text"])
    assert seen["method"] == "DELETE" and ["X-Curl", "1"] in seen["headers"]


def test_file_errors(tmp_path):
    bad = tmp_path / "bad.http"
    bad.write_text("NOT A REQUEST\n")
    assert_error(run_send("--file", str(bad)), Exit.BAD_INPUT, "bad.http, line 1")
    assert_error(run_send("--file", str(tmp_path / "missing.har")), Exit.BAD_INPUT, "missing.har")


def test_out_file_small_and_spooled(nginx, tmp_path):
    small, big = tmp_path / "small.txt", tmp_path / "big.txt"
    assert run_send("-o", str(small), nginx.url + "/").code == 0
    assert small.read_bytes() == b"hello\n"
    run = run_send("--output", "json", "-o", str(big), nginx.url + "/static/big.txt")
    assert run.code == 0, run.err
    assert big.read_bytes() == b"0123456789abcdef" * 65536


def test_save_body_moves_a_spooled_file(nginx, tmp_path):
    import reqlab
    from reqlab.cli._download import save_body as _save_body

    with reqlab.Client(spool_size=1024, spool_dir=str(tmp_path)) as client:
        r = client.get(nginx.url + "/static/big.txt")
    target = tmp_path / "saved.bin"
    _save_body(r.exchange, str(target))
    assert target.stat().st_size == 1024 * 1024
    assert not (tmp_path / r.body_path).exists()
