"""The cookie manager: Netscape cookie files in and out of a client, and the CLI."""

from __future__ import annotations

import stat
from pathlib import Path

import reqlab
from reqlab.auth.cookies import load_cookies, read_rows, save_cookies

from .conftest import run_reqlab

CURL_FILE = """# Netscape HTTP Cookie File
# written by curl
127.0.0.1\tFALSE\t/\tFALSE\t0\tsid\tabc123
#HttpOnly_127.0.0.1\tFALSE\t/cookies\tFALSE\t4102444800\ttheme\tdark
example.org\tFALSE\t/\tFALSE\t0\tother\tnot-for-us
"""


def test_cookies_from_a_curl_file_are_sent_and_new_ones_saved(
    echo_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "cookies.txt"
    path.write_text(CURL_FILE)
    with reqlab.Client() as client:
        assert load_cookies(client, path) == 3
        r = client.get(echo_url + "/cookies")
        assert r.json() == {"cookies": {"sid": "abc123", "theme": "dark"}}
        client.get(echo_url + "/cookies/set?fresh=1")
        assert save_cookies(client, path) == 4
    assert (
        "#HttpOnly_127.0.0.1\tFALSE\t/cookies\tFALSE\t4102444800\ttheme\tdark" in path.read_text()
    )
    names = {(row.domain, row.name) for row in read_rows(path)}
    assert ("127.0.0.1", "fresh") in names and ("example.org", "other") in names
    with reqlab.Client() as again:
        load_cookies(again, path)
        assert again.get(echo_url + "/cookies").json()["cookies"]["fresh"] == "1"


def test_send_cookie_jar_keeps_a_login_between_runs(echo_url: str, tmp_path: Path) -> None:
    jar = tmp_path / "jar.txt"
    first = run_reqlab("send", "--cookie-jar", str(jar), echo_url + "/cookies/set?session=s3cr3t")
    assert first.code == 0, first.err
    assert stat.S_IMODE(jar.stat().st_mode) == 0o600
    second = run_reqlab("send", "--output", "json", "--cookie-jar", str(jar), echo_url + "/cookies")
    assert '\\"session\\": \\"s3cr3t\\"' in second.out
    listing = run_reqlab("cookies", str(jar))
    assert listing.code == 0 and "session=***" in listing.out and "s3cr3t" not in listing.out
    assert "session=s3cr3t" in run_reqlab("cookies", "--values", str(jar)).out


def test_bad_cookie_file_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("this is not a cookie file\n")
    run = run_reqlab("cookies", str(bad))
    assert run.code == 2 and "not a Netscape cookie file" in run.err and "Traceback" not in run.err
    missing = run_reqlab("cookies", str(tmp_path / "none.txt"))
    assert missing.code == 2 and "no such file" in missing.err
