"""`reqlab send` with OAuth 2.0 and API keys, as a user runs it (a subprocess)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import run_reqlab
from .oauth_server import Client, Store, oauth_server

SECRET = "cli-client-secret"


@pytest.fixture
def server() -> Iterator[tuple[str, Store]]:
    with oauth_server() as (url, store):
        store.clients["cli"] = Client("cli", SECRET, "client_secret_post")
        store.clients["tv"] = Client("tv", auth_method="none")
        yield url, store


def oauth_args(url: str, cache: Path, *extra: str) -> list[str]:
    return [
        "send",
        "--output",
        "json",
        "--oauth2",
        "client-credentials",
        "--oauth2-token-url",
        url + "/token",
        "--oauth2-client-id",
        "cli",
        "--oauth2-scope",
        "read",
        "--oauth2-client-auth",
        "client_secret_post",
        "--oauth2-cache",
        str(cache),
        *extra,
        url + "/api/me",
    ]


def test_client_credentials_token_is_cached_between_runs(
    server: tuple[str, Store], tmp_path: Path
) -> None:
    url, store = server
    cache = tmp_path / "tokens.json"
    env = {"REQLAB_OAUTH2_CLIENT_SECRET": SECRET}
    first = run_reqlab(*oauth_args(url, cache), env=env)
    assert first.code == 0, first.err
    records = [json.loads(line) for line in first.out.splitlines()]
    assert records[0]["purpose"].startswith("oauth2 token request (client_credentials)")
    assert SECRET not in first.out and store.tokens[0].access_token not in json.dumps(records[0])
    assert json.loads(records[-1]["response"]["body"]["text"])["client"] == "cli"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600 and SECRET not in cache.read_text()
    second = run_reqlab(*oauth_args(url, cache), env=env)
    assert second.code == 0 and len(second.out.splitlines()) == 1  # no token request
    assert len(store.token_requests) == 1


def test_wrong_secret_exit_15_one_line(server: tuple[str, Store], tmp_path: Path) -> None:
    url, _ = server
    run = run_reqlab(*oauth_args(url, tmp_path / "t.json", "--oauth2-client-secret", "bad-one"))
    assert run.code == 15, run.err  # Exit.AUTH
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in run.err
    assert lines[0].startswith(
        "reqlab: error: OAuth 2.0 token request (client_credentials) failed (HTTP 401): invalid_client"
    )
    assert "bad-one" not in run.err


def test_text_output_names_the_token_request(server: tuple[str, Store], tmp_path: Path) -> None:
    url, _ = server
    args = oauth_args(url, tmp_path / "t.json", "--oauth2-client-secret", SECRET)
    # main's send writes the body alone into a pipe (HTTPie); --all shows every
    # exchange, and the timings (t) name the one reqlab sent on its own
    plain = [a for a in args if a not in ("--output", "json")]
    run = run_reqlab(*plain[:-1], "--all", "-p", "Hht", plain[-1])
    assert run.code == 0, run.err
    assert f"oauth2 token request (client_credentials) for GET {url}/api/me" in run.out
    assert SECRET not in run.out


def test_missing_option_is_named(server: tuple[str, Store]) -> None:
    url, _ = server
    run = run_reqlab(
        "send",
        "--oauth2",
        "device-code",
        "--oauth2-token-url",
        url + "/token",
        "--oauth2-client-id",
        "tv",
        url + "/api/me",
    )
    assert run.code == 2 and "--oauth2 device-code needs --oauth2-device-url" in run.err


def test_device_code_in_the_terminal(server: tuple[str, Store], tmp_path: Path) -> None:
    url, store = server
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "reqlab",
            "send",
            "--output",
            "json",
            "--oauth2",
            "device-code",
            "--oauth2-token-url",
            url + "/token",
            "--oauth2-device-url",
            url + "/device_authorization",
            "--oauth2-client-id",
            "tv",
            "--oauth2-scope",
            "read",
            "--oauth2-cache",
            str(tmp_path / "t.json"),
            url + "/api/me",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ,
    )
    assert proc.stderr is not None
    line = proc.stderr.readline()  # waits for the prompt
    assert line.startswith(f"To sign in, open {url}/device?user_code="), line
    store.approve_device(line.split()[-1])
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert (
        json.loads(json.loads(out.splitlines()[-1])["response"]["body"]["text"])["user"] == "alice"
    )


def test_api_key_from_the_environment_only_when_asked(echo_url: str) -> None:
    env = {"REQLAB_API_KEY": "s3cr3t"}
    run = run_reqlab(
        "send", "--output", "json", "--api-key", "key:", "--api-key-in", "query",
        echo_url + "/get", env=env,
    )  # fmt: skip
    assert run.code == 0, run.err
    record = json.loads(run.out)
    assert json.loads(record["response"]["body"]["text"])["args"] == {"key": "s3cr3t"}
    # the key in the environment alone is never sent: it would go to every host
    plain = run_reqlab("send", "--output", "json", echo_url + "/get", env=env)
    assert plain.code == 0, plain.err
    assert json.loads(json.loads(plain.out)["response"]["body"]["text"])["args"] == {}


@pytest.mark.browser
@pytest.mark.skipif(
    not os.path.exists("/usr/bin/chromium"), reason="Debian chromium is not installed"
)
def test_authorization_code_sign_in_from_the_terminal(
    server: tuple[str, Store], tmp_path: Path
) -> None:
    """`reqlab send --oauth2 authorization-code` opens "the browser" ($BROWSER: chromium
    driven by Playwright, signing in as alice); the token then serves the next run too."""
    url, store = server
    store.clients["app"] = Client("app", auth_method="none")
    person = f"{sys.executable} {Path(__file__).with_name('browser_person.py')} %s"
    args = [
        "send",
        "--output",
        "json",
        "--oauth2",
        "authorization-code",
        "--oauth2-auth-url",
        url + "/authorize",
        "--oauth2-token-url",
        url + "/token",
        "--oauth2-client-id",
        "app",
        "--oauth2-scope",
        "read",
        "--oauth2-cache",
        str(tmp_path / "t.json"),
        url + "/api/me",
    ]
    first = run_reqlab(*args, env={"BROWSER": person}, timeout=60)
    assert first.code == 0, first.err
    last = json.loads(first.out.splitlines()[-1])
    assert json.loads(last["response"]["body"]["text"]) == {"user": "alice", "client": "app"}
    second = run_reqlab(*args, env={"BROWSER": "false"})  # no browser needed: cached
    assert second.code == 0 and len(second.out.splitlines()) == 1
