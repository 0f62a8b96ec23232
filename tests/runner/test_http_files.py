"""``.http`` files in ``reqlab run``: a workspace with environments, a login
whose token the next request uses, ``# @assert`` / ``# @capture`` lines that
pass and that must fail (with the message the user sees), connection reuse
across the entries of one file, all against the real echo server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reqlab.echo.testing import EchoHandle
from reqlab.formats.httpfile import parse, render_request, write_file
from reqlab.runner import run

ENV = {"dev": {"user": "ada"}, "prod": {"user": "grace"}}
PRIVATE = {"dev": {"password": "s3cret-pw", "apikey": "k3y-only-in-an-assert"}}

# login posts the credentials; the echo server reflects them as "json", so
# the response carries a "token" the next request sends back.
API = """\
### login
# @name login
# @assert status == 200
# @assert jsonpath "$.json.user" == "{{user}}"
# @capture token: jsonpath "$.json.token"
POST {{base}}/echo
Content-Type: application/json

{"user": "{{user}}", "token": "tok-{{user}}-{{password}}"}

### me
# @name me
GET {{base}}/echo?auth={{login.response.body.$.json.token}}&again={{token}}
# @assert status == 200
# @assert jsonpath "$.query[0][1]" == "tok-{{user}}-{{password}}"
# @assert jsonpath "$.query[1][1]" startsWith "tok-"
# @assert connection reused == true
# @assert connection requests == 2
# @assert timing total < 10000
"""

FAILING = """\
GET {{base}}/echo?who={{user}}
# @assert jsonpath "$.query[0][1]" == "bob"
"""

SCRIPT = """\
GET {{base}}/echo
# @assert status == 200

> {%
client.test("ok", () => client.assert(response.status === 200));
%}
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "http-client.env.json").write_text(json.dumps(ENV))
    (tmp_path / "http-client.private.env.json").write_text(json.dumps(PRIVATE))
    api = tmp_path / "api"
    api.mkdir()
    (api / "auth.http").write_text(API)
    (api / "failing.rest").write_text(FAILING)
    (api / "script.http").write_text(SCRIPT)
    return tmp_path


def reqlab_run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reqlab", "run", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ),
    )


def test_chained_login_passes_with_reuse(workspace: Path, echo: EchoHandle) -> None:
    result = run(str(workspace / "api/auth.http"), env="dev", variables={"base": echo.url})
    f = result.files[0]
    assert result.ok, [(a.text, a.actual) for e in f.entries for a in e.failed_asserts]
    login, me = f.entries
    assert login.captures == {"token": "tok-ada-s3cret-pw"}
    assert [len(e.asserts) for e in f.entries] == [2, 6]
    assert me.url.endswith("/echo?auth=tok-ada-s3cret-pw&again=tok-ada-s3cret-pw")
    assert (f.requests, f.reused, f.connections) == (2, 1, 1)
    assert "s3cret-pw" in f.secrets  # a private value: masked in every report


def test_the_environment_decides_the_values(workspace: Path, echo: EchoHandle) -> None:
    """prod has no private password: the login's template cannot resolve,
    a runtime error at the body's line and column."""
    result = run(str(workspace / "api/auth.http"), env="prod", variables={"base": echo.url})
    e = result.files[0].entries[0]
    assert result.exit_code == 3
    assert (e.error, e.error_pos) == ("unknown variable 'password'", "9:45")  # at {{password}}


def test_variable_on_the_command_line_wins_over_the_environment(
    workspace: Path, echo: EchoHandle
) -> None:
    result = run(
        str(workspace / "api/failing.rest"), env="dev", variables={"base": echo.url, "user": "bob"}
    )
    assert result.ok


def test_failing_assert_message(workspace: Path, echo: EchoHandle) -> None:
    proc = reqlab_run(
        "--test",
        "--env",
        "dev",
        "--variable",
        f"base={echo.url}",
        "api/failing.rest",
        cwd=workspace,
    )
    assert proc.returncode == 4, proc.stderr
    assert "FAIL api/failing.rest  1 request, 0 reused on 1 connection" in proc.stdout
    err = proc.stderr
    assert "error: Assert failure\n  --> api/failing.rest:2:11\n" in err
    assert '2 | # @assert jsonpath "$.query[0][1]" == "bob"' in err
    assert "actual:   string <ada>" in err and "expected: string <bob>" in err
    assert "Traceback" not in err


def test_secrets_stay_out_of_the_failure_report(workspace: Path, echo: EchoHandle) -> None:
    (workspace / "api/leak.http").write_text(
        "GET {{base}}/echo?pw={{password}}\n# @assert status == 201\n"
        '# @assert jsonpath "$.query[0][1]" == "{{apikey}}!"\n'
    )
    proc = reqlab_run(
        "--test", "--env", "dev", "--variable", f"base={echo.url}", "api/leak.http", cwd=workspace
    )
    assert proc.returncode == 4
    assert "actual:   integer <200>" in proc.stderr
    assert "expected: string <***!>" in proc.stderr
    assert "s3cret-pw" not in proc.stderr and "pw=***" in proc.stderr
    assert "k3y-only" not in proc.stderr


def test_export_locust_takes_only_hurl_files(workspace: Path) -> None:
    proc = reqlab_run("--export", "locust", "api/auth.http", cwd=workspace)
    assert proc.returncode == 2
    assert "--export locust takes a .hurl file" in proc.stderr


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("# @assert status === 200", "bad.http:2:18: unknown predicate '==='"),
        ("# @assert nope == 1", "bad.http:2:11: unknown query 'nope'"),
        ('# @assert jsonpath "$.a" == "x', "bad.http:2:29: unterminated quoted string"),
        ("# @capture : status", "bad.http:2:12: expected a capture name"),
    ],
)
def test_parse_errors_name_file_line_and_column(tmp_path: Path, line: str, message: str) -> None:
    (tmp_path / "bad.http").write_text(f"GET http://127.0.0.1:9/\n{line}\n")
    proc = reqlab_run("--test", "bad.http", cwd=tmp_path)
    assert proc.returncode == 2
    assert f"  --> {message}" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


def test_unknown_environment_fails_the_file(workspace: Path) -> None:
    proc = reqlab_run("--test", "--env", "staging", "api/auth.http", cwd=workspace)
    assert proc.returncode == 2
    assert "unknown environment 'staging' (known: dev, prod)" in proc.stderr


def test_scripts_are_reported_not_run_and_strict_fails(workspace: Path, echo: EchoHandle) -> None:
    args = ("--test", "--variable", f"base={echo.url}", "api/script.http")
    proc = reqlab_run(*args, cwd=workspace)
    assert proc.returncode == 0, proc.stderr
    warning = (
        "warning: api/script.http:4:1: 1 script not run (reqlab does not run JavaScript; line 4)"
    )
    assert warning in proc.stderr.splitlines()
    strict = reqlab_run("--strict", *args, cwd=workspace)
    assert strict.returncode == 2
    assert "  --> api/script.http:4:1: 1 script not run" in strict.stderr
    assert "(--strict)" in strict.stderr


def test_a_directory_runs_http_and_rest_files_with_hurl_files(
    workspace: Path, echo: EchoHandle
) -> None:
    (workspace / "api/plain.hurl").write_text("GET {{base}}/echo\nHTTP 200\n")
    result = run(str(workspace / "api"), env="dev", variables={"base": echo.url})
    names = sorted(Path(f.filename).name for f in result.files)
    assert names == ["auth.http", "failing.rest", "plain.hurl", "script.http"]
    codes = {Path(f.filename).name: f.exit_code for f in result.files}
    assert codes == {"auth.http": 0, "failing.rest": 4, "plain.hurl": 0, "script.http": 0}


def test_check_lines_survive_the_writer() -> None:
    """They are comments to the .http format: written back byte for byte,
    and kept (in order) when a request is rendered anew."""
    file = parse(API, "auth.http")
    assert write_file(file) == API
    login = file.requests[0]
    rendered = render_request(login)
    for line in API.splitlines()[2:5]:
        assert line in rendered
    again = parse(rendered, "x.http").requests[0]
    assert again.tags == login.tags
    assert again.tag_lines == (3, 4, 5)


def test_pytest_plugin_collects_http_files(workspace: Path, echo: EchoHandle) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            *("-p", "no:reqlab", "-p", "reqlab_pytest", "-p", "no:cacheprovider"),
            *("--rootdir", str(workspace), "--reqlab", str(workspace / "api")),
            *("--reqlab-variable", f"base={echo.url}", "--reqlab-env", "dev", "-q"),
        ],
        cwd=workspace,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTEST_ADDOPTS": ""},
    )
    out = proc.stdout
    assert "1 failed, 2 passed" in out, out + proc.stderr
    assert "expected: string <bob>" in out and "failing.rest:2:11" in out


def test_ls_shows_the_assert_count(workspace: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "reqlab", "ls", "api", "--search", "echo"],
        cwd=workspace,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    lines = [" ".join(line.split()) for line in proc.stdout.splitlines()]
    assert lines == [
        "auth.http#login POST {{base}}/echo (2 asserts)",
        "auth.http#me GET {{base}}/echo?auth={{login.response.body.$.json.token}}"
        "&again={{token}} (6 asserts)",
        "failing.rest#1 GET {{base}}/echo?who={{user}} (1 assert)",
        "script.http#1 GET {{base}}/echo (1 assert)",
    ]


def test_reports_carry_the_script_warning(workspace: Path, echo: EchoHandle) -> None:
    proc = reqlab_run(
        *("--variable", f"base={echo.url}", "api/script.http"),
        *("--report-json", "r.json", "--report-junit", "j.xml", "--report-html", "html"),
        cwd=workspace,
    )
    assert proc.returncode == 0, proc.stderr
    warning = "api/script.http:4:1: 1 script not run (reqlab does not run JavaScript; line 4)"
    assert json.loads((workspace / "r.json").read_text())["files"][0]["warnings"] == [warning]
    assert f"<system-err>{warning}</system-err>" in (workspace / "j.xml").read_text()
    assert f"warning: {warning}" in (workspace / "html/index.html").read_text()


@pytest.mark.parametrize(
    "text",
    [
        "POST http://127.0.0.1:9/\n\n{}\n# @assert status == 200\n",  # in the body
        "@a = 1\n  # @capture x: status\n\n###\nGET http://127.0.0.1:9/\n",  # no request
        "GET http://127.0.0.1:9/\n\n> {% x %}\n# @assert status == 200\n",  # after a handler
    ],
)
def test_a_check_line_that_is_not_read_is_an_error(tmp_path: Path, text: str) -> None:
    (tmp_path / "stray.http").write_text(text)
    result = run(str(tmp_path / "stray.http"))
    line = next(n for n, s in enumerate(text.splitlines(), 1) if "@assert" in s or "@capture" in s)
    column = 3 if "  #" in text else 1
    assert result.exit_code == 2
    assert result.files[0].parse_error == (
        f"stray.http:{line}:{column}: a check line belongs to a request: before its request"
        " line or among its headers (here it is not read as one)"
    ).replace("stray.http", str(tmp_path / "stray.http"))
