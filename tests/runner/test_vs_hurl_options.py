"""Hurl's run options, differential: ``hurl`` (8.0.1) and ``reqlab run`` as
commands with the same flags on the same files against one echo server must
exit alike and run the same entries (counted by the requests that arrived,
which the echo server numbers per test by a header only these files send).

Checked on reqlab alone where the two print differently: ``--verbose``,
``--very-verbose`` and ``--error-format long`` (what they show, secrets
masked), and that Hurl's cosmetic flags are accepted.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from http.cookiejar import MozillaCookieJar
from pathlib import Path

import pytest

from reqlab.echo.testing import EchoHandle, start_echo_server

HURL = Path(os.environ.get("REQLAB_HURL", Path.home() / ".cache/reqlab/hurl/bin/hurl"))
pytestmark = pytest.mark.skipif(not HURL.exists(), reason=f"Hurl 8.0.1 is not built at {HURL}")

THREE = """\
GET {{base}}/get?entry=1
HTTP 200

GET {{base}}/status/500
HTTP 200

GET {{base}}/get?entry=3
HTTP 200
[Asserts]
jsonpath "$.args.entry" == "3"
"""


@pytest.fixture(scope="module")
def echo() -> Iterator[EchoHandle]:
    with start_echo_server() as server:
        yield server


def _run(
    tool: str, echo: EchoHandle, cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    command = [str(HURL)] if tool == "hurl" else [sys.executable, "-m", "reqlab", "run"]
    return subprocess.run(
        [*command, f"--variable=base={echo.url}", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def _executed(proc: subprocess.CompletedProcess[str]) -> int:
    """'Executed files: N' from either tool's --test summary (Hurl's on stderr)."""
    found = re.search(r"Executed files:\s+(\d+)", proc.stdout + proc.stderr)
    assert found, proc.stdout + proc.stderr
    return int(found.group(1))


@pytest.mark.parametrize(
    ("flags", "code"),
    [
        ([], 4),  # entry 2 fails
        (["--from-entry", "3"], 0),  # entries 1 and 2 not run
        (["--to-entry", "1"], 0),
        (["--from-entry", "2", "--to-entry", "2"], 4),
        (["--no-assert"], 0),  # the status asserts too
        (["--continue-on-error", "--no-assert"], 0),
    ],
)
def test_entries_chosen_and_asserts_ignored_as_hurl_does(
    echo: EchoHandle, tmp_path: Path, flags: list[str], code: int
) -> None:
    (tmp_path / "three.hurl").write_text(THREE)
    theirs = _run("hurl", echo, tmp_path, *flags, "three.hurl")
    ours = _run("reqlab", echo, tmp_path, *flags, "three.hurl")
    assert ours.returncode == theirs.returncode == code, (theirs.stderr, ours.stderr)


def test_no_assert_still_runs_captures(echo: EchoHandle, tmp_path: Path) -> None:
    (tmp_path / "c.hurl").write_text(
        'GET {{base}}/get?v=kept\nHTTP 500\n[Captures]\nv: jsonpath "$.args.v"\n\n'
        'GET {{base}}/get?again={{v}}\nHTTP 200\n[Asserts]\njsonpath "$.args.again" == "x"\n'
    )
    for tool in ("hurl", "reqlab"):
        proc = _run(tool, echo, tmp_path, "--no-assert", "c.hurl")
        assert proc.returncode == 0, proc.stderr
        assert '"again": "kept"' in proc.stdout  # the last body: the capture was used


def test_repeat_and_glob_run_the_same_files(echo: EchoHandle, tmp_path: Path) -> None:
    (tmp_path / "api").mkdir()
    for name in ("a", "b"):
        (tmp_path / "api" / f"{name}.hurl").write_text("GET {{base}}/get\nHTTP 200\n")
    (tmp_path / "api" / "notes.txt").write_text("not a test")
    for flags, files in (
        (["--glob", "api/*.hurl"], 2),
        (["--glob", "api/*.hurl", "--repeat", "3"], 6),
        (["--repeat", "2", "api/a.hurl"], 2),
    ):
        theirs = _run("hurl", echo, tmp_path, "--test", *flags)
        ours = _run("reqlab", echo, tmp_path, "--test", *flags)
        assert ours.returncode == theirs.returncode == 0, (theirs.stderr, ours.stderr)
        assert _executed(ours) == _executed(theirs) == files


def test_file_root(echo: EchoHandle, tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "body.txt").write_text("from the file root")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "f.hurl").write_text(
        "POST {{base}}/post\nfile,body.txt;\nHTTP 200\n[Asserts]\n"
        'jsonpath "$.data" == "from the file root"\n'
    )
    for flags, code in ((["--file-root", "data"], 0), ([], 3)):  # not found by the file's folder
        theirs = _run("hurl", echo, tmp_path, *flags, "tests/f.hurl")
        ours = _run("reqlab", echo, tmp_path, *flags, "tests/f.hurl")
        assert ours.returncode == theirs.returncode == code, (theirs.stderr, ours.stderr)


def test_cookie_files_in_and_out(echo: EchoHandle, tmp_path: Path) -> None:
    (tmp_path / "set.hurl").write_text("GET {{base}}/cookies/set?flavour=oat&size=big\nHTTP 302\n")
    (tmp_path / "use.hurl").write_text(
        'GET {{base}}/cookies\nHTTP 200\n[Asserts]\njsonpath "$.cookies.flavour" == "oat"\n'
    )
    jars = {}
    for tool in ("hurl", "reqlab"):
        jar = tmp_path / f"{tool}-jar.txt"
        proc = _run(tool, echo, tmp_path, "--cookie-jar", str(jar), "set.hurl")
        assert proc.returncode == 0, proc.stderr
        loaded = MozillaCookieJar(str(jar))
        loaded.load(ignore_discard=True, ignore_expires=True)  # session cookies: expiry 0
        jars[tool] = sorted((c.domain, c.path, c.name, c.value) for c in loaded)
        # and read back: the next run starts with them
        proc = _run(tool, echo, tmp_path, "--cookie", str(jar), "use.hurl")
        assert proc.returncode == 0, proc.stderr
        proc = _run(tool, echo, tmp_path, "use.hurl")  # without: no cookie
        assert proc.returncode == 4, proc.stderr
    assert jars["reqlab"] == jars["hurl"] and len(jars["hurl"]) == 2


def test_cookie_jar_takes_one_file(echo: EchoHandle, tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.hurl").write_text("GET {{base}}/get\n")
    ours = _run("reqlab", echo, tmp_path, "-c", "jar.txt", "a.hurl", "b.hurl")
    assert ours.returncode == 2 and "--cookie-jar takes one file" in ours.stderr
    assert "Traceback" not in ours.stderr


def test_verbose_shows_each_exchange_with_secrets_masked(echo: EchoHandle, tmp_path: Path) -> None:
    (tmp_path / "v.hurl").write_text(
        "POST {{base}}/post\nX-Token: {{token}}\n```\nhello body\n```\nHTTP 200\n"
    )
    ours = _run("reqlab", echo, tmp_path, "-v", "--secret", "token=tippy-top", "v.hurl")
    assert ours.returncode == 0, ours.stderr
    err = ours.stderr
    assert "* v.hurl:1: entry 1" in err and f"> POST {echo.url}/post HTTP/1.1" in err
    assert "> X-Token: ***" in err and "< HTTP/1.1 200 OK" in err
    assert "tippy-top" not in err and "hello body" not in err  # heads only
    very = _run("reqlab", echo, tmp_path, "--very-verbose", "--secret", "token=tippy-top", "v.hurl")
    assert "hello body" in very.stderr and '"X-Token": "***"' in very.stderr
    assert "tippy-top" not in very.stderr


def test_long_error_format_and_hurls_cosmetic_flags(echo: EchoHandle, tmp_path: Path) -> None:
    (tmp_path / "three.hurl").write_text(THREE)
    ours = _run("reqlab", echo, tmp_path, "--error-format", "long", "three.hurl")
    assert ours.returncode == 4
    assert "* three.hurl:4: entry 2" in ours.stderr  # only the failing entry's exchange
    assert "< HTTP/1.1 500 Internal Server Error" in ours.stderr
    assert "entry 1" not in ours.stderr
    for flags in (["--color"], ["--no-color"], ["--progress-bar", "--test"]):
        theirs = _run("hurl", echo, tmp_path, *flags, "--to-entry", "1", "three.hurl")
        ours = _run("reqlab", echo, tmp_path, *flags, "--to-entry", "1", "three.hurl")
        assert ours.returncode == theirs.returncode == 0, (flags, theirs.stderr, ours.stderr)


def test_output_option_and_flag_write_the_bodies(echo: EchoHandle, tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "o.hurl").write_text(
        "GET {{base}}/get?o=1\n[Options]\noutput: first.json\nHTTP 200\n\n"
        "GET {{base}}/get?o=2\nHTTP 200\n"
    )
    written = {}
    for tool in ("hurl", "reqlab"):
        proc = _run(tool, echo, tmp_path, "-o", f"{tool}-last.json", "sub/o.hurl")
        assert proc.returncode == 0 and proc.stdout == "", proc.stderr
        first = tmp_path / "sub" / "first.json"  # relative to the file's folder
        written[tool] = (
            json.loads(first.read_text())["args"],
            json.loads((tmp_path / f"{tool}-last.json").read_text())["args"],
        )
        first.unlink()
    assert written["reqlab"] == written["hurl"] == ({"o": "1"}, {"o": "2"})
    (tmp_path / "sub" / "nowhere.hurl").write_text(
        "GET {{base}}/get\n[Options]\noutput: missing/first.json\nHTTP 200\n"
    )
    theirs = _run("hurl", echo, tmp_path, "sub/nowhere.hurl")
    ours = _run("reqlab", echo, tmp_path, "sub/nowhere.hurl")
    assert ours.returncode == theirs.returncode == 3, (theirs.stderr, ours.stderr)
    assert "cannot write" in ours.stderr and "missing/first.json" in ours.stderr


def test_netrc_logins(echo: EchoHandle, tmp_path: Path) -> None:
    (tmp_path / "home").mkdir()
    netrc = "machine 127.0.0.1\n  login ada\n  password lovelace\n"
    (tmp_path / "home" / ".netrc").write_text(netrc)
    (tmp_path / "logins").write_text(netrc)
    (tmp_path / "auth.hurl").write_text("GET {{base}}/basic-auth/ada/lovelace\nHTTP 200\n")
    (tmp_path / "opt.hurl").write_text(
        "GET {{base}}/basic-auth/ada/lovelace\n[Options]\nnetrc-file: {{file}}\nHTTP 200\n"
    )
    home = {**os.environ, "HOME": str(tmp_path / "home")}
    cases: list[tuple[list[str], int]] = [
        (["--netrc-file", str(tmp_path / "logins"), "auth.hurl"], 0),
        (["--netrc", "auth.hurl"], 0),  # $HOME/.netrc
        (["--netrc-optional", "auth.hurl"], 0),
        ([f"--variable=file={tmp_path / 'logins'}", "opt.hurl"], 0),
        (["auth.hurl"], 4),  # no login: 401
    ]
    for flags, code in cases:
        theirs = _run("hurl", echo, tmp_path, *flags, env=home)
        ours = _run("reqlab", echo, tmp_path, *flags, env=home)
        assert ours.returncode == theirs.returncode == code, (flags, theirs.stderr, ours.stderr)


def test_output_switches_and_limits(echo: EchoHandle, tmp_path: Path) -> None:
    (tmp_path / "one.hurl").write_text("GET {{base}}/get?n=1\nHTTP 200\n")
    (tmp_path / "big.hurl").write_text("GET {{base}}/bytes/2000\nHTTP 200\n")
    (tmp_path / "secret.hurl").write_text(
        'GET {{base}}/get?t={{token}}\nHTTP 200\n[Asserts]\njsonpath "$.args.t" == "no"\n'
    )
    (tmp_path / "secrets.env").write_text("# the CI's\ntoken=sesame-open-42\n")
    got = {}
    for tool in ("hurl", "reqlab"):
        quiet = _run(tool, echo, tmp_path, "--no-output", "one.hurl")
        assert quiet.returncode == 0 and quiet.stdout == "", quiet.stderr
        head = _run(tool, echo, tmp_path, "-i", "one.hurl")
        assert head.returncode == 0, head.stderr
        got[tool] = head.stdout.splitlines()[0].split()[:2]  # "HTTP/1.1 200"
        assert '"n": "1"' in head.stdout
        big = _run(tool, echo, tmp_path, "--no-output", "--max-filesize", "1000", "big.hurl")
        assert big.returncode == 3, big.stderr  # over the limit: a runtime error
        fits = _run(tool, echo, tmp_path, "--no-output", "--max-filesize", "5000", "big.hurl")
        assert fits.returncode == 0, fits.stderr
        hidden = _run(tool, echo, tmp_path, "--secrets-file", "secrets.env", "secret.hurl")
        assert hidden.returncode == 4 and "sesame-open-42" not in hidden.stderr, hidden.stderr
        in_env = {**os.environ, "HURL_SECRET_token": "from-the-env-7"}
        hidden = _run(tool, echo, tmp_path, "secret.hurl", env=in_env)
        assert hidden.returncode == 4 and "from-the-env-7" not in hidden.stderr, hidden.stderr
        assert "***" in hidden.stderr  # the value is there, masked
    assert got["reqlab"] == got["hurl"] == ["HTTP/1.1", "200"]


def _reflections(stdout: str) -> list[dict[str, object]]:
    decoder, out, at = json.JSONDecoder(), [], 0
    while at < len(stdout.rstrip()):
        value, at = decoder.raw_decode(stdout, at)
        out.append(value)
        while at < len(stdout) and stdout[at].isspace():
            at += 1
    return out


def test_curl_commands_resend_the_same_requests(echo: EchoHandle, tmp_path: Path) -> None:
    """--curl FILE: each request as a curl command; run with the real curl,
    Hurl's commands and reqlab's make the echo server see the same requests."""
    (tmp_path / "c.hurl").write_text(
        'POST {{base}}/post?x=1\nX-A: b c\n{"k": "{{word}}"}\nHTTP 200\n\n'
        "GET {{base}}/get?q=a%20b\n[Options]\ncompressed: true\nHTTP 200\n"
    )
    seen = {}
    for tool in ("hurl", "reqlab"):
        ran = _run(tool, echo, tmp_path, "--variable", "word=hi", "--curl", f"{tool}.sh", "c.hurl")
        assert ran.returncode == 0, ran.stderr
        resent = subprocess.run(
            ["sh", f"{tool}.sh"], cwd=tmp_path, capture_output=True, text=True, timeout=60
        )
        assert resent.returncode == 0, resent.stderr
        posted, got = _reflections(resent.stdout)
        seen[tool] = (
            posted["url"], posted["json"], posted["headers"]["X-A"],  # type: ignore[index]
            posted["headers"]["Content-Type"], got["url"], "gzip" in got["headers"]["Accept-Encoding"],  # type: ignore[index]
        )  # fmt: skip
    assert seen["reqlab"] == seen["hurl"]
    assert seen["reqlab"][1] == {"k": "hi"} and seen["reqlab"][5] is True


def test_json_lines_one_per_file(echo: EchoHandle, tmp_path: Path) -> None:
    """--json: a line of JSON per file (each tool its own document), the
    verdict under "success" in both; no secret in reqlab's (Hurl 8.0.1's
    shows the URL it sent, secret and all)."""
    (tmp_path / "ok.hurl").write_text("GET {{base}}/get?t={{t}}\nHTTP 200\n")
    (tmp_path / "three.hurl").write_text(THREE)
    verdicts = {}
    for tool in ("hurl", "reqlab"):
        proc = _run(
            tool, echo, tmp_path, "--json", "--secret", "t=hush-now", "ok.hurl", "three.hurl"
        )
        assert proc.returncode == 4, proc.stderr
        lines = [json.loads(line) for line in proc.stdout.splitlines()]
        verdicts[tool] = sorted((Path(d["filename"]).name, d["success"]) for d in lines)
        assert tool == "hurl" or "hush-now" not in proc.stdout
    assert verdicts["reqlab"] == verdicts["hurl"] == [("ok.hurl", True), ("three.hurl", False)]


def test_a_bad_cookie_file_is_one_line_from_a_worker_too(echo: EchoHandle, tmp_path: Path) -> None:
    """With --jobs 2 the file is read in a forked worker: its error reaches
    the parent whole (it used to fail to unpickle: "internal error")."""
    for name in ("a", "b"):
        (tmp_path / f"{name}.hurl").write_text("GET {{base}}/get\nHTTP 200\n")
    (tmp_path / "jar.txt").write_text("not a cookie line\n")
    for jobs in ("1", "2"):
        ours = _run("reqlab", echo, tmp_path, "--jobs", jobs, "-b", "jar.txt", "a.hurl", "b.hurl")
        assert ours.returncode == 2, ours.stderr
        assert ours.stderr.count("\n") == 1 and "--cookie: jar.txt: not a Netscape" in ours.stderr
