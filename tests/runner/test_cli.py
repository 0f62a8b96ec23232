"""``reqlab run`` as a user meets it: the console command in a process, its
exit codes, its messages, and its reports (JUnit, JSON, TAP, HTML)."""

from __future__ import annotations

import contextlib
import json
import os
import pty
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from reqlab.echo.testing import EchoHandle

PASS = 'GET {{base}}/echo\nHTTP 200\n[Asserts]\njsonpath "$.method" == "GET"\n'
FAIL = 'GET {{base}}/echo\nHTTP 200\n[Asserts]\njsonpath "$.method" == "POST"\n'
# the response body holds markup: the HTML report must show it as text
HOSTILE = (
    "POST {{base}}/echo\n`<script>alert(1)</script><img src=x onerror=alert(2)>`\n"
    'HTTP 200\n[Asserts]\nbody contains "nope"\n'
)


def reqlab_run(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reqlab", "run", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "pass.hurl").write_text(PASS)
    (tmp_path / "fail.hurl").write_text(FAIL)
    (tmp_path / "hostile.hurl").write_text(HOSTILE)
    (tmp_path / "broken.hurl").write_text("GET {{base}}/echo\nHTTP 2000\n")
    (tmp_path / "runtime.hurl").write_text("GET {{base}}/echo?x={{nope}}\nHTTP 200\n")
    return tmp_path


@pytest.mark.parametrize(
    ("name", "code"), [("pass", 0), ("broken", 2), ("runtime", 3), ("fail", 4)]
)
def test_exit_codes_are_hurls(files: Path, echo: EchoHandle, name: str, code: int) -> None:
    proc = reqlab_run("--test", f"--variable=base={echo.url}", f"{name}.hurl", cwd=files)
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr


def test_failure_message_names_position_expected_and_actual(files: Path, echo: EchoHandle) -> None:
    proc = reqlab_run("--test", f"--variable=base={echo.url}", "fail.hurl", cwd=files)
    assert "FAIL fail.hurl  1 request, 0 reused on 1 connection" in proc.stdout
    err = proc.stderr
    assert "error: Assert failure\n  --> fail.hurl:4:1\n" in err
    assert '4 | jsonpath "$.method" == "POST"' in err
    assert "|   actual:   string <GET>" in err
    assert "|   expected: string <POST>" in err
    assert "request:  GET " + echo.url + "/echo  (connection #1 new)" in err


def test_parse_and_runtime_errors_are_one_clear_block(files: Path, echo: EchoHandle) -> None:
    proc = reqlab_run("--test", f"--variable=base={echo.url}", "broken.hurl", cwd=files)
    assert "broken.hurl:2:6: expected a status code" in proc.stderr
    proc = reqlab_run("--test", f"--variable=base={echo.url}", "runtime.hurl", cwd=files)
    assert "runtime.hurl:1:21" in proc.stderr and "undefined variable 'nope'" in proc.stderr


def test_variables_from_file_and_environment(files: Path, echo: EchoHandle) -> None:
    (files / "vars.env").write_text(f"# comment\nbase={echo.url}\n")
    proc = reqlab_run("--test", "--variables-file", "vars.env", "pass.hurl", cwd=files)
    assert proc.returncode == 0, proc.stderr
    proc = reqlab_run("--test", "pass.hurl", cwd=files, env={"HURL_VARIABLE_base": echo.url})
    assert proc.returncode == 0, proc.stderr


def test_reports(files: Path, echo: EchoHandle) -> None:
    proc = reqlab_run(
        "--test",
        "--jobs=2",
        f"--variable=base={echo.url}",
        "--report-junit=junit.xml",
        "--report-json=report.json",
        "--report-tap=report.tap",
        "--report-html=html",
        "pass.hurl",
        "fail.hurl",
        "hostile.hurl",
        cwd=files,
    )
    assert proc.returncode == 4
    suites = ET.parse(files / "junit.xml").getroot()
    assert suites.tag == "testsuites" and suites.get("tests") == "3"
    suite = suites.find("testsuite")
    assert suite is not None and suite.get("failures") == "2"
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert cases["pass.hurl"].find("failure") is None
    failure = cases["fail.hurl"].find("failure")
    assert (
        failure is not None
        and failure.get("message") == 'fail.hurl:4:1: jsonpath "$.method" == "POST"'
    )
    report = json.loads((files / "report.json").read_text())
    by_name = {f["filename"]: f for f in report["files"]}
    assert by_name["pass.hurl"]["success"] and not by_name["fail.hurl"]["success"]
    entry = by_name["fail.hurl"]["entries"][0]
    assert entry["asserts"][-1]["actual"] == "string <GET>"
    assert entry["exchanges"][0]["connection"]["reused"] is False
    tap = (files / "report.tap").read_text().splitlines()
    assert tap[:3] == ["TAP version 13", "1..3", "ok 1 - pass.hurl"]
    assert "not ok 2 - fail.hurl" in tap


def test_html_report_is_static_and_escapes_responses(files: Path, echo: EchoHandle) -> None:
    reqlab_run(f"--variable=base={echo.url}", "--report-html=html", "hostile.hurl", cwd=files)
    page = (files / "html" / "index.html").read_text()
    assert "<script" not in page.lower()  # neither ours nor the response's
    assert "onerror=alert" not in page.replace("onerror=alert(2)&gt;", "")  # only escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "default-src 'none'" in page  # and a CSP that would refuse any script
    assert "connection #1 new" in page and 'class="bar"' in page


def test_unknown_path_is_one_line(files: Path) -> None:
    proc = reqlab_run("missing.hurl", cwd=files)
    assert proc.returncode == 2
    assert (
        proc.stderr.strip()
        == "reqlab: error: missing.hurl: no such file, or no .hurl/.http/.rest file there"
    )


def test_retry_until_the_asserts_pass(files: Path, echo: EchoHandle) -> None:
    """Deterministic: a retried entry goes out again on the same connection,
    so ``connection requests == 3`` holds on the third attempt."""
    (files / "retry.hurl").write_text(
        "GET {{base}}/echo\nHTTP 200\n[Asserts]\nconnection requests == 3\n"
    )
    args = ("--test", "--retry-interval=0", f"--variable=base={echo.url}", "retry.hurl")
    assert reqlab_run("--retry=1", *args, cwd=files).returncode == 4
    proc = reqlab_run("--retry=2", *args, cwd=files)
    assert proc.returncode == 0, proc.stderr
    assert "3 requests, 2 reused" in proc.stdout


def test_fail_fast_starts_no_file_after_a_failure(files: Path, echo: EchoHandle) -> None:
    proc = reqlab_run(
        "--test", "--jobs=1", "--fail-fast", f"--variable=base={echo.url}",
        "fail.hurl", "pass.hurl", cwd=files,
    )  # fmt: skip
    assert proc.returncode == 4
    assert "pass.hurl" not in proc.stdout
    assert "1 not run (--fail-fast)" in proc.stdout


def test_http_version_flags(files: Path, echo: EchoHandle) -> None:
    (files / "v.hurl").write_text(
        'GET {{base}}/echo\nHTTP 200\n[Asserts]\njsonpath "$.http_version" == "HTTP/1.0"\n'
    )
    proc = reqlab_run("--test", "--http1.0", f"--variable=base={echo.url}", "v.hurl", cwd=files)
    assert proc.returncode == 0, proc.stderr


def test_secrets_stay_out_of_reports(files: Path, echo: EchoHandle) -> None:
    """Basic-auth credentials and `redact` captures never reach a report,
    even where a later response echoes the captured value back."""
    (files / "secret.hurl").write_text(
        "GET {{base}}/basic-auth/bob/hunter2\n[BasicAuth]\nbob: hunter2\nHTTP 200\n"
        "GET {{base}}/response-headers?X-Token=tok-s3cr3t-value\nHTTP 200\n[Captures]\n"
        'token: header "X-Token" redact\n'
        "GET {{base}}/echo?t={{token}}\nHTTP 200\n[Asserts]\n"
        'jsonpath "$.query[0][1]" == "wrong"\n'
    )
    proc = reqlab_run(
        "--test",
        f"--variable=base={echo.url}",
        "--report-json=r.json",
        "--report-html=h",
        "--report-junit=j.xml",
        "secret.hurl",
        cwd=files,
    )
    assert proc.returncode == 4
    outputs = [
        proc.stdout,
        proc.stderr,
        (files / "r.json").read_text(),
        (files / "h" / "index.html").read_text(),
        (files / "j.xml").read_text(),
    ]
    for out in outputs:
        assert "tok-s3cr3t-value" not in out
        assert "Ym9iOmh1bnRlcjI=" not in out  # base64 of bob:hunter2
    assert "actual:   string <***>" in proc.stderr


def test_continue_on_error_runs_the_later_entries(files: Path, echo: EchoHandle) -> None:
    (files / "three.hurl").write_text(
        "GET {{base}}/status/500\nHTTP 200\nGET {{base}}/echo\nHTTP 200\nGET {{base}}/echo\nHTTP 200\n"
    )
    base = f"--variable=base={echo.url}"
    assert "1 request," in reqlab_run("--test", base, "three.hurl", cwd=files).stdout
    proc = reqlab_run("--test", "--continue-on-error", base, "three.hurl", cwd=files)
    assert proc.returncode == 4 and "3 requests, 2 reused" in proc.stdout


# --jobs in the CLI: forked workers (reqlab.runner._forked), not threads.
SLOW = "GET {{base}}/delay/1\nHTTP 200\n"


def _children(pid: int) -> set[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        return {int(p) for p in f.read().split()}


@contextlib.contextmanager
def _holding_server() -> Iterator[socket.socket]:
    """A server that keeps each request waiting until the test answers it."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(30)
        yield server


def _held(server: socket.socket) -> socket.socket:
    """The next request's connection, once its head has arrived."""
    conn, _ = server.accept()
    conn.settimeout(30)
    head = b""
    while b"\r\n\r\n" not in head:
        head += conn.recv(4096)
    return conn


def _answer(conn: socket.socket) -> None:
    with conn:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


def _start(files: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "reqlab", "run", *args],
        cwd=files,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal gives it
    )


def test_jobs_fork_workers_and_report_as_files_end(files: Path, echo: EchoHandle) -> None:
    with _holding_server() as server:
        held = f"GET http://127.0.0.1:{server.getsockname()[1]}/held\nHTTP 200\n"
        (files / "a_held.hurl").write_text(held)
        (files / "b_held.hurl").write_text(held)
        proc = _start(
            files, "--test", "--jobs=2", f"--variable=base={echo.url}",
            "a_held.hurl", "fail.hurl", "pass.hurl", "b_held.hurl",
        )  # fmt: skip
        # one worker waits on a_held; the other runs fail and pass, then waits on b_held
        first, second = _held(server), _held(server)
        workers = _children(proc.pid)
        _answer(first)
        _answer(second)
        out, err = proc.communicate(timeout=60)
    assert len(workers) == 2, err  # two processes, not threads
    assert proc.returncode == 4, err
    lines = out.splitlines()
    # results are reported as the workers send them back, the failure's details with them
    assert [ln.split()[1] for ln in lines[:2]] == ["fail.hurl", "pass.hurl"]
    assert sorted(ln.split()[1] for ln in lines[2:4]) == ["a_held.hurl", "b_held.hurl"]
    assert "|   expected: string <POST>" in err
    assert lines[-1].startswith("Executed files: 4, succeeded: 3 (75.0%), failed: 1")
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]  # all reaped


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="one CPU: the default is one job")
def test_test_mode_runs_files_in_parallel_by_default_as_hurl_does(files: Path) -> None:
    """``hurl --test`` runs files in parallel on as many workers as CPUs; so does
    ``reqlab run --test`` (``--jobs 1`` runs them in order)."""
    with _holding_server() as server:
        held = f"GET http://127.0.0.1:{server.getsockname()[1]}/held\nHTTP 200\n"
        (files / "a_held.hurl").write_text(held)
        (files / "b_held.hurl").write_text(held)
        proc = _start(files, "--test", "a_held.hurl", "b_held.hurl")
        both = [_held(server), _held(server)]  # the second arrives while the first waits
        for conn in both:
            _answer(conn)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert out.splitlines()[-1].startswith("Executed files: 2, succeeded: 2")


def test_jobs_fail_fast_hands_out_no_file_after_a_failure(files: Path, echo: EchoHandle) -> None:
    names = [f"p{i}.hurl" for i in range(6)]
    for name in names:
        (files / name).write_text(SLOW)
    proc = reqlab_run(
        "--test", "--jobs=2", "--fail-fast", f"--variable=base={echo.url}",
        "fail.hurl", *names, cwd=files,
    )  # fmt: skip
    assert proc.returncode == 4, proc.stderr
    ran = [n for n in names if f"PASS {n}" in proc.stdout]
    assert len(ran) <= 1  # the one the other worker had started
    assert f"{len(names) - len(ran)} not run (--fail-fast)" in proc.stdout


def test_jobs_interrupted_ends_workers_and_says_so(files: Path) -> None:
    with _holding_server() as server:
        held = f"GET http://127.0.0.1:{server.getsockname()[1]}/held\nHTTP 200\n"
        (files / "a_held.hurl").write_text(held)
        (files / "b_held.hurl").write_text(held)
        proc = _start(files, "--jobs=2", "a_held.hurl", "b_held.hurl")
        conns = [_held(server), _held(server)]  # both workers are inside a request
        workers = _children(proc.pid)
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C on a terminal reaches the whole group
        _, err = proc.communicate(timeout=10)
        for conn in conns:
            conn.close()
    assert len(workers) == 2
    assert proc.returncode == 130 and err.strip() == "reqlab: error: interrupted", err
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]  # ended and reaped


def test_jobs_a_worker_that_dies_fails_the_run_loudly(files: Path) -> None:
    """A worker killed mid-file (the OOM killer, say) is an error naming the
    file, exit 1, never a quiet pass."""
    with _holding_server() as server:
        held = f"GET http://127.0.0.1:{server.getsockname()[1]}/held\nHTTP 200\n"
        (files / "a_held.hurl").write_text(held)
        (files / "b_held.hurl").write_text(held)
        proc = _start(files, "--test", "--jobs=2", "a_held.hurl", "b_held.hurl")
        conns = [_held(server), _held(server)]
        workers = sorted(_children(proc.pid))
        os.kill(workers[0], signal.SIGKILL)
        _, err = proc.communicate(timeout=30)
        for conn in conns:
            conn.close()
    assert proc.returncode == 1, err
    last = err.strip().splitlines()[-1]
    assert "a --jobs worker exited while running" in last and "_held.hurl" in last, err
    assert "Traceback" not in err
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]  # the other was ended


@pytest.mark.parametrize("terminal", [False, True])
def test_parallel_without_test_mode_and_with_a_terminal(files: Path, terminal: bool) -> None:
    """``--parallel`` runs files at once without ``--test``; with stderr on a
    terminal (where the progress bar shows) the workers are still processes:
    the bar starts after the fork."""
    master, slave = pty.openpty()
    with _holding_server() as server:
        held = f"GET http://127.0.0.1:{server.getsockname()[1]}/held\nHTTP 200\n"
        (files / "a_held.hurl").write_text(held)
        (files / "b_held.hurl").write_text(held)
        args = ["--test", "--jobs=2"] if terminal else ["--parallel"]
        proc = subprocess.Popen(
            [sys.executable, "-m", "reqlab", "run", *args, "a_held.hurl", "b_held.hurl"],
            cwd=files,
            stdout=subprocess.PIPE,
            stderr=slave if terminal else subprocess.PIPE,
            text=True,
        )
        os.close(slave)
        both = [_held(server), _held(server)]  # the second arrives while the first waits
        workers = _children(proc.pid)
        for conn in both:
            _answer(conn)
        out, _ = proc.communicate(timeout=60)
    os.close(master)
    assert proc.returncode == 0
    assert len(workers) == 2
    if terminal:
        assert out.splitlines()[-1].startswith("Executed files: 2, succeeded: 2")
