"""Auth in a workspace: per request, per folder, per environment, against
the echo server (which reflects what it got) and a real Authlib server."""

from __future__ import annotations

import json
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import reqlab
from reqlab.auth import MemoryTokenCache
from reqlab.formats.httpfile import HttpFileError
from reqlab.workspace import Workspace, mask_request

from .conftest import run_reqlab
from .oauth_server import Client, Store, oauth_server

SECRET = "cl1ent-s3cret-value"
KEY = "k3y-fr0m-the-private-file"


@pytest.fixture
def server() -> Iterator[tuple[str, Store]]:
    with oauth_server() as (url, store):
        store.clients["ws"] = Client("ws", SECRET, "client_secret_basic")
        yield url, store


def write(root: Path, files: dict[str, object]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = content if isinstance(content, str) else json.dumps(content, indent=2)
        path.write_text(text)
    return root


def env_files(echo: str, oauth: str = "http://127.0.0.1:9") -> dict[str, object]:
    return {
        "http-client.env.json": {
            "dev": {
                "echo": echo,
                "Security": {
                    "Auth": {
                        "api": {
                            "Type": "OAuth2",
                            "Grant Type": "Client Credentials",
                            "Token URL": f"{oauth}/token",
                            "Client ID": "ws",
                            "Scope": "read",
                        },
                        "key": {"Type": "API Key", "Key": "X-Env-Key", "Value": "{{apiKey}}"},
                    },
                    "Default Auth": "key",
                },
            },
            "other": {"echo": echo},
        },
        "http-client.private.env.json": {
            "dev": {
                "apiKey": KEY,
                "Security": {"Auth": {"api": {"Client Secret": SECRET}}},
            },
        },
    }


def sent_headers(response: reqlab.Response) -> dict[str, str]:
    return {k.lower(): v for k, v in response.json()["headers"].items()}


def test_precedence_request_over_folder_over_environment(tmp_path: Path, echo_url: str) -> None:
    write(tmp_path, env_files(echo_url))
    write(
        tmp_path,
        {
            "top.http": "GET {{echo}}/headers\n",
            "team/_folder.http": (
                "# every request in team/ sends the folder's key\n"
                "# @reqlab.auth apikey name=X-Folder-Key value={{apiKey}}\n"
            ),
            "team/a.http": (
                "### folder\nGET {{echo}}/headers\n\n"
                "### own\n# @reqlab.auth bearer token={{apiKey}}\nGET {{echo}}/headers\n\n"
                "### none\n# @reqlab.auth none\nGET {{echo}}/headers\n\n"
                "### header\nGET {{echo}}/headers\nAuthorization: Basic ann pw\n"
            ),
        },
    )
    ws = Workspace(tmp_path)
    assert "team/_folder.http" not in ws.files  # folder defaults are not requests
    with reqlab.Client() as client:
        env_level = sent_headers(ws.send("top.http", env="dev", client=client))
        folder = sent_headers(ws.send("team/a.http#folder", env="dev", client=client))
        own = sent_headers(ws.send("team/a.http#own", env="dev", client=client))
        none = sent_headers(ws.send("team/a.http#none", env="dev", client=client))
        header = sent_headers(ws.send("team/a.http#header", env="dev", client=client))
        no_env = sent_headers(ws.send("top.http", env="other", client=client))
    assert env_level["x-env-key"] == KEY and "x-folder-key" not in env_level
    assert folder["x-folder-key"] == KEY and "x-env-key" not in folder
    assert own["authorization"] == f"Bearer {KEY}" and "x-folder-key" not in own
    assert "authorization" not in none and "x-folder-key" not in none
    assert header["authorization"].startswith("Basic ") and "x-folder-key" not in header
    assert "x-env-key" not in no_env  # the other environment has no default


def test_secrets_masked_in_what_is_kept(tmp_path: Path, echo_url: str) -> None:
    write(tmp_path, env_files(echo_url))
    write(
        tmp_path,
        {
            "a.http": "# @reqlab.auth apikey name=api_key value={{apiKey}} in=query\n"
            "GET {{echo}}/get\n"
        },
    )
    ws = Workspace(tmp_path)
    resolved = ws.resolve_full("a.http", env="dev")
    assert resolved.secrets[KEY] == "apiKey"
    with reqlab.Client() as client:
        response = ws.send("a.http", env="dev", client=client)
    assert response.json()["args"]["api_key"] == KEY  # sent
    shown = repr(mask_request(resolved.request, resolved.secrets))
    assert KEY not in shown and KEY not in repr(resolved.request.auth)


def test_a_secret_in_the_shared_file_is_refused_with_its_line(tmp_path: Path) -> None:
    files = env_files("http://127.0.0.1:9")
    public = files["http-client.env.json"]
    assert isinstance(public, dict)
    public["dev"]["Security"]["Auth"]["api"]["Client Secret"] = "in-clear"
    write(tmp_path, files)
    write(tmp_path, {"a.http": "# @reqlab.auth api\nGET {{echo}}/get\n"})
    ws = Workspace(tmp_path)
    with pytest.raises(HttpFileError) as caught:
        ws.resolve("a.http", env="dev")
    text = (tmp_path / "http-client.env.json").read_text().splitlines()
    line = next(i for i, t in enumerate(text, 1) if '"Client Secret"' in t)
    assert str(caught.value).startswith(f"http-client.env.json:{line}:1:")
    assert "in-clear" not in str(caught.value) and "private" in str(caught.value)


def test_a_secret_in_clear_in_a_http_file_is_a_warning(tmp_path: Path, echo_url: str) -> None:
    write(tmp_path, {"a.http": f"GET {echo_url}/get\n# @reqlab.auth bearer token=abc123\n"})
    resolved = Workspace(tmp_path).resolve_full("a.http")
    assert any(w.startswith("a.http:2:1: token written in clear") for w in resolved.warnings)
    assert resolved.secrets["abc123"] == "auth.token"  # still masked where shown


def test_bad_auth_lines_name_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, env_files("http://x"))
    write(
        tmp_path,
        {
            "a.http": "### k\n# @reqlab.auth apikey name=X\nGET http://x/\n\n"
            "### u\n# @reqlab.auth nope\nGET http://x/\n\n"
            "### g\n# @reqlab.auth oauth2 grant=implicit token-url=x client-id=y\nGET http://x/\n",
            "d/_folder.http": "# @reqlab.timeout 5s\n",
            "d/b.http": "GET http://x/\n",
        },
    )
    ws = Workspace(tmp_path)
    for ref, message in [
        ("a.http#k", "a.http:2:1: @reqlab.auth: apikey needs value"),
        ("a.http#u", "a.http:6:1: @reqlab.auth: no configuration 'nope' in environment 'dev'"),
        ("a.http#g", "a.http:10:1: @reqlab.auth: grant='implicit' is not one of"),
        ("d/b.http", "d/_folder.http:1:1: @reqlab.timeout: a folder file holds only @reqlab.auth"),
    ]:
        with pytest.raises(HttpFileError) as caught:
            ws.resolve(ref, env="dev")
        assert str(caught.value).startswith(message), str(caught.value)


def test_oauth2_from_the_environment_cached_per_environment(
    tmp_path: Path, server: tuple[str, Store], echo_url: str
) -> None:
    url, store = server
    files = env_files(echo_url, url)
    public = files["http-client.env.json"]
    assert isinstance(public, dict)
    public["dev"]["Security"]["Default Auth"] = "api"
    public["stage"] = public["dev"]
    private = files["http-client.private.env.json"]
    assert isinstance(private, dict)
    private["stage"] = private["dev"]
    write(tmp_path, files)
    write(
        tmp_path,
        {
            "me.http": f"GET {url}/api/me\n",
            "tok.http": f'GET {url}/api/me\nAuthorization: Bearer {{{{$auth.token("api")}}}}\n',
        },
    )
    cache = MemoryTokenCache()
    ws = Workspace(tmp_path)
    ws.auth.cache = cache
    with reqlab.Client() as client:
        first = ws.send("me.http", env="dev", client=client)
        again = ws.send("me.http", env="dev", client=client)
        inserted = ws.send("tok.http", env="dev", client=client)
        other = ws.send("me.http", env="stage", client=client)
    assert first.status_code == again.status_code == inserted.status_code == 200
    assert first.json() == {"user": None, "client": "ws"}
    assert other.status_code == 200
    # one token for dev (reused three times), one for stage
    assert len(store.token_requests) == 2
    assert len(first.history) == 1 and not again.history and not inserted.history
    assert first.history[0].purpose.startswith("oauth2 token request (client_credentials)")
    assert (
        SECRET not in first.history[0].request_raw.decode()
        if first.history[0].request_raw
        else True
    )
    # expiring: refreshed before it runs out (client credentials: a new grant)
    key = next(k for k in cache._tokens if f"{tmp_path.resolve()}#dev" in k)
    token = cache._tokens[key]
    cache._tokens[key] = type(token)(token.access_token, expires_at=time.time() + 5)
    with reqlab.Client() as client:
        assert ws.send("me.http", env="dev", client=client).status_code == 200
    assert len(store.token_requests) == 3


def test_cli_send_and_run_use_workspace_auth_and_a_0600_token_file(
    tmp_path: Path, server: tuple[str, Store]
) -> None:
    url, store = server
    files = env_files("http://unused", url)
    public = files["http-client.env.json"]
    assert isinstance(public, dict)
    public["dev"]["Security"]["Default Auth"] = "api"
    ws = write(tmp_path / "ws", files)
    write(ws, {"me.http": f"# @name me\n# @assert status == 200\nGET {url}/api/me\n"})
    data = tmp_path / "data"
    env = {"XDG_DATA_HOME": str(data)}
    sent = run_reqlab("send", f"{ws}/me.http#me", "--env", "dev", env=env)
    assert sent.code == 0, sent.err
    assert json.loads(sent.out) == {"user": None, "client": "ws"}
    cache = data / "reqlab" / "workspace-tokens.json"
    assert stat.S_IMODE(os.stat(cache).st_mode) == 0o600
    assert SECRET not in cache.read_text() and f"{ws}#dev" in cache.read_text()
    ran = run_reqlab("run", "--env", "dev", f"{ws}/me.http", env=env)
    assert ran.code == 0, ran.out + ran.err
    assert len(store.token_requests) == 1  # the run reused the cached token
    verbose = run_reqlab("send", "-v", f"{ws}/me.http#me", "--env", "dev", env=env)
    assert SECRET not in verbose.out + verbose.err


def test_run_reports_mask_the_auth_secrets(tmp_path: Path, echo_url: str) -> None:
    ws = write(tmp_path / "ws", env_files(echo_url))
    write(
        ws,
        {
            "k.http": "# @name k\n# @assert status == 200\n"
            "# @reqlab.auth apikey name=api_key value={{apiKey}} in=query\n"
            "GET {{echo}}/get\n"
        },
    )
    report, html = tmp_path / "r.json", tmp_path / "html"
    ran = run_reqlab(
        "run",
        "--env",
        "dev",
        "--report-json",
        str(report),
        "--report-html",
        str(html),
        f"{ws}/k.http",
        env={"XDG_DATA_HOME": str(tmp_path / "d")},
    )
    assert ran.code == 0, ran.out + ran.err
    # (stdout is the last response's body, as the server sent it: the echo reflects the key)
    texts = [report.read_text(), ran.err]
    texts += [p.read_text() for p in html.rglob("*.html")]
    assert "api_key=" in report.read_text()  # the request is there...
    assert all(KEY not in t for t in texts)  # ...with its key masked


def test_every_environment_type_signs_or_sends(tmp_path: Path) -> None:
    from .conftest import reqlab_echo

    with reqlab_echo("--sigv4-secret", "AKIDWS:ws-aws-s3cret") as echo:
        aws = {
            "Type": "AWS Signature v4",
            "Access Key": "AKIDWS",
            "Region": "eu-west-1",
            "Service": "execute-api",
        }
        public = {
            "dev": {
                "echo": echo,
                "Security": {
                    "Auth": {
                        "aws": aws,
                        "user": {"Type": "Basic", "Username": "ann"},
                        "tok": {"Type": "Bearer"},
                    }
                },
            }
        }
        private = {
            "dev": {
                "Security": {
                    "Auth": {
                        "aws": {"Secret Key": "ws-aws-s3cret"},
                        "user": {"Password": "pw"},
                        "tok": {"Token": "tok-123"},
                    }
                }
            }
        }
        write(tmp_path, {"http-client.env.json": public, "http-client.private.env.json": private})
        write(
            tmp_path,
            {
                "a.http": "### aws\n# @reqlab.auth aws\nGET {{echo}}/aws/verify/items?b=2&a=1\n\n"
                "### basic\n# @reqlab.auth user\nGET {{echo}}/headers\n\n"
                "### bearer\n# @reqlab.auth tok\nGET {{echo}}/headers\n"
            },
        )
        ws = Workspace(tmp_path)
        with reqlab.Client() as client:
            signed = ws.send("a.http#aws", env="dev", client=client)
            basic = sent_headers(ws.send("a.http#basic", env="dev", client=client))
            bearer = sent_headers(ws.send("a.http#bearer", env="dev", client=client))
        assert signed.status_code == 200 and signed.json()["valid"] is True, signed.text
        assert basic["authorization"] == "Basic YW5uOnB3"
        assert bearer["authorization"] == "Bearer tok-123"
        resolved = ws.resolve_full("a.http#aws", env="dev")
        assert resolved.secrets["ws-aws-s3cret"] == "auth.secret-key"
