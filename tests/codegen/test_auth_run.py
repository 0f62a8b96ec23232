"""Generated snippets that sign (AWS SigV4) or fetch an OAuth 2.0 token, run
in their real runtimes against real servers: ``reqlab echo``'s SigV4
verifier (``/aws/verify``, the same handler ``reqlab echo --sigv4-secret``
installs) and the Authlib authorization server of tests/auth, whose
``/api/me`` answers 200 only to a valid bearer token.

Runtimes and their dependencies come from scripts/setup.d/46-codegen-auth.sh
(botocore in the test extra; @smithy/signature-v4 in an npm cache; the Go
modules pinned by go-auth.mod/go-auth.sum; jq); a missing one skips.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.auth.conftest import reqlab_echo, run_reqlab
from tests.auth.oauth_server import Client, Store, oauth_server

from reqlab.auth import AWSSigV4, OAuth2ClientCredentials
from reqlab.codegen import generate
from reqlab.model import (
    DigestAuth,
    FormBody,
    JsonBody,
    MultipartBody,
    MultipartField,
    MultipartFile,
    Request,
    TextBody,
)

KEY, SECRET = "AKIDREQLAB", "s3cr3t/KEY+value"
CLIENT_SECRET = "s3cret&client/secret+1"  # form-encoded in Basic (RFC 6749 2.3.1)
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "reqlab"
HERE = Path(__file__).parent
TARGETS = [
    "python-requests",
    "python-httpx",
    "node-fetch",
    "node-axios",
    "go-nethttp",
    "shell-curl",
]
STYLES = ["idiomatic", "exact"]
# HTTPie's `http` is in the venv beside this Python.
PATH = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])


@pytest.fixture(scope="module")
def aws_echo() -> Iterator[str]:
    """``reqlab echo --sigv4-secret KEY:SECRET`` as a user runs it; its base URL."""
    with reqlab_echo("--sigv4-secret", f"{KEY}:{SECRET}") as url:
        yield url


@pytest.fixture(scope="module")
def oauth() -> Iterator[tuple[str, Store]]:
    with oauth_server() as (url, store):
        store.clients["basic"] = Client("basic", CLIENT_SECRET, "client_secret_basic")
        store.clients["post"] = Client("post", CLIENT_SECRET, "client_secret_post")
        yield url, store


def run_snippet(target: str, code: str, tmp_path: Path) -> str:
    """Run ``code`` as ``target``'s runtime does; its standard output."""
    if target.startswith("python-"):
        path = tmp_path / "main.py"
        argv = [sys.executable, str(path)]
    elif target.startswith("node-"):
        modules = CACHE / "npm-auth" / "node_modules"
        if shutil.which("node") is None or not (modules / "@smithy").is_dir():
            pytest.skip("node or @smithy/signature-v4 missing (scripts/setup.d/46-codegen-auth.sh)")
        (tmp_path / "node_modules").symlink_to(modules)
        path = tmp_path / "main.mjs"
        argv = ["node", str(path)]
    elif target == "go-nethttp":
        go = shutil.which("go")
        if go is None:
            pytest.skip("go not installed")
        shutil.copy(HERE / "go-auth.mod", tmp_path / "go.mod")
        shutil.copy(HERE / "go-auth.sum", tmp_path / "go.sum")
        path = tmp_path / "main.go"
        path.write_text(code)
        built = subprocess.run(
            [go, "build", "-o", "snippet", "."],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert built.returncode == 0, built.stderr + code
        argv = [str(tmp_path / "snippet")]
    else:
        tool = {"shell-wget": "wget", "shell-httpie": "http"}.get(target, "jq")
        if shutil.which(tool, path=PATH) is None or shutil.which("curl") is None:
            pytest.skip(f"{tool} or curl not installed")
        path = tmp_path / "main.sh"
        argv = ["bash", str(path)]
    path.write_text(code)
    env = {**os.environ, "PATH": PATH}
    done = subprocess.run(
        argv, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False, env=env
    )
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}\n{code}"
    return done.stdout


def verdict(stdout: str) -> dict[str, object]:
    """The echo verifier's answer in what a snippet printed: its JSON, or
    (idiomatic axios prints the parsed object) node's rendering of it."""
    text = stdout[stdout.index("{") : stdout.rindex("}") + 1]
    try:
        return json.loads(text)  # type: ignore[no-any-return]
    except json.JSONDecodeError:
        found = re.findall(r"^\s*(valid|service): (true|false|'[^']*')", text, re.M)
        return {k: v == "true" if v in ("true", "false") else v.strip("'") for k, v in found}


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("target", TARGETS)
def test_sigv4_snippets_verify(target: str, style: str, aws_echo: str, tmp_path: Path) -> None:
    auth = AWSSigV4(KEY, SECRET, "eu-west-1", "execute-api")
    url = aws_echo + "/aws/verify/items/a%20b?z=1&a=%C3%A9&a=0"
    if target == "shell-curl":
        # curl 7.88 (Debian 12) signs the path and query as written: it sorts
        # and re-encodes them (as SigV4 asks) from 8.x on.
        url = aws_echo + "/aws/verify/items?a=0&z=1"
    request = Request(
        "POST", url, headers=(("X-Trace", "t-1"),), body=JsonBody({"n": 1, "s": "é"}), auth=auth
    )
    snippet = generate(request, target, style=style)  # type: ignore[arg-type]
    assert not any("AWSSigV4" in w for w in snippet.warnings), snippet.warnings
    answer = verdict(run_snippet(target, snippet.code, tmp_path))
    assert answer["valid"] is True, answer
    assert answer["service"] == "execute-api"


@pytest.mark.parametrize("target", TARGETS)
def test_sigv4_signs_form_and_multipart_bodies(target: str, aws_echo: str, tmp_path: Path) -> None:
    """The library writes these bodies (boundary, encoding): the signer sees its bytes."""
    auth = AWSSigV4(KEY, SECRET, "eu-west-1", "execute-api")
    parts = (
        MultipartField("note", "é"),
        MultipartFile("f", "a.bin", "application/x", data=b"\x00\xff"),
    )
    for n, body in enumerate((FormBody((("a", "1 2"), ("b", "&"))), MultipartBody(parts))):
        request = Request("POST", aws_echo + "/aws/verify/upload", body=body, auth=auth)
        snippet = generate(request, target)
        if target == "node-axios" and isinstance(body, MultipartBody):
            assert any("aws4-axios" in w or "AWSSigV4" in w for w in snippet.warnings)
            continue  # aws4-axios cannot hash FormData: warned
        run_dir = tmp_path / str(n)
        run_dir.mkdir()
        assert verdict(run_snippet(target, snippet.code, run_dir))["valid"] is True, snippet.code


@pytest.mark.parametrize(
    "target", ["python-requests", "python-httpx", "node-fetch", "node-axios", "go-nethttp"]
)
def test_sigv4_s3_with_session_token(target: str, aws_echo: str, tmp_path: Path) -> None:
    auth = AWSSigV4(KEY, SECRET, "us-east-1", "s3", session_token="FwoGZXIvYXdzEJr//token")
    url = aws_echo + "/aws/verify/bucket/my%20key.txt"
    request = Request("PUT", url, body=TextBody("data\n"), auth=auth)
    snippet = generate(request, target)
    answer = verdict(run_snippet(target, snippet.code, tmp_path))
    assert answer["valid"] is True, answer
    assert answer["service"] == "s3"


@pytest.mark.parametrize("target", ["python-requests", "python-httpx"])
def test_python_presigned_url_verifies(target: str, aws_echo: str, tmp_path: Path) -> None:
    auth = AWSSigV4(KEY, SECRET, "us-east-1", "s3", expires=300)
    snippet = generate(Request("GET", aws_echo + "/aws/verify/bucket/k", auth=auth), target)
    assert "SigV4QueryAuth" in snippet.code
    assert verdict(run_snippet(target, snippet.code, tmp_path))["valid"] is True


@pytest.mark.parametrize("client", ["basic", "post"])
@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("target", TARGETS)
def test_client_credentials_snippets_fetch_a_token_and_use_it(
    target: str, style: str, client: str, oauth: tuple[str, Store], tmp_path: Path
) -> None:
    url, store = oauth
    auth = OAuth2ClientCredentials(
        url + "/token", client, CLIENT_SECRET, scope="read", client_auth=f"client_secret_{client}"
    )
    snippet = generate(Request("GET", url + "/api/me", auth=auth), target, style=style)  # type: ignore[arg-type]
    assert not any("OAuth2" in w for w in snippet.warnings), snippet.warnings
    out = run_snippet(target, snippet.code, tmp_path)
    assert re.search(rf"""["']?client["']?: ?["']{client}["']""", out), out
    assert any(t.client_id == client for t in store.tokens)


@pytest.mark.parametrize(
    "target",
    [
        "python-requests",
        "python-httpx",
        "python-aiohttp",
        "shell-curl",
        "shell-wget",
        "shell-httpie",
    ],
)
def test_digest_through_the_library(target: str, aws_echo: str, tmp_path: Path) -> None:
    request = Request("GET", aws_echo + "/digest-auth/auth/usr/pwd", auth=DigestAuth("usr", "pwd"))
    snippet = generate(request, target)
    assert not snippet.warnings, snippet.warnings
    out = run_snippet(target, snippet.code, tmp_path)
    assert '"authenticated": true' in out, out


def test_reqlab_gen_signs_a_curl_aws_sigv4_command(aws_echo: str, tmp_path: Path) -> None:
    """curl --aws-sigv4 in, a python-requests snippet signing with botocore out."""
    command = tmp_path / "c.txt"
    command.write_text(
        f"curl --aws-sigv4 aws:amz:eu-west-1:execute-api -u {KEY}:{SECRET} "
        f"'{aws_echo}/aws/verify/x?b=2&a=1' --json '{{\"n\":1}}'\n"
    )
    done = run_reqlab("gen", "python-requests", str(command))
    assert done.code == 0 and "SigV4Auth" in done.out, done.err
    assert "AWSSigV4" not in done.err  # nothing left out
    assert verdict(run_snippet("python-requests", done.out, tmp_path))["valid"] is True


def _flows() -> list[Request]:
    base = "https://api.example/items?x=1"
    auths = [
        AWSSigV4(KEY, SECRET, "eu-west-1", "execute-api"),
        AWSSigV4(KEY, SECRET, "us-east-1", "s3", session_token="t", unsigned_payload=True),
        OAuth2ClientCredentials("https://auth.example/token", "cid", CLIENT_SECRET, scope="a b"),
        OAuth2ClientCredentials(
            "https://auth.example/token", "cid", "s", client_auth="client_secret_post"
        ),
        DigestAuth("usr", "pwd"),
    ]
    return [Request("POST", base, body=JsonBody({"a": 1}), auth=a) for a in auths]


def _write_all(targets: list[str], tmp_path: Path, name: str) -> list[Path]:
    files = []
    for target in targets:
        for n, request in enumerate(_flows()):
            for style in STYLES:
                path = tmp_path / f"{target}_{n}_{style}".replace("-", "_") / name
                path.parent.mkdir(parents=True)
                path.write_text(generate(request, target, style=style).code)  # type: ignore[arg-type]
                files.append(path)
    return files


def test_the_auth_snippets_pass_ruff_and_gofmt(tmp_path: Path) -> None:
    """What a developer's linter says of them: ruff's default rules (and its
    formatter for requests and httpx, whose renderers wrap at 88 columns),
    gofmt for Go (the builds above are go's compiler)."""
    py = _write_all(["python-requests", "python-httpx"], tmp_path / "fmt", "main.py")
    aio = _write_all(["python-aiohttp"], tmp_path / "aio", "main.py")
    ruff = shutil.which("ruff", path=PATH)
    if ruff is None:
        pytest.skip("ruff not installed")
    for argv in (["check", *map(str, py + aio)], ["format", "--check", *map(str, py)]):
        done = subprocess.run(
            [ruff, *argv[:1], "--isolated", "--no-cache", *argv[1:]],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout
    gofmt = shutil.which("gofmt")
    if gofmt is not None:
        go = _write_all(["go-nethttp"], tmp_path / "go", "main.go")
        listed = subprocess.run(
            [gofmt, "-l", *map(str, go)], capture_output=True, text=True, check=False
        )
        assert listed.stdout == "", listed.stdout


def test_the_node_auth_snippets_pass_eslint(tmp_path: Path) -> None:
    eslint_dir = CACHE / "npm-lint"
    eslint = eslint_dir / "node_modules/eslint/bin/eslint.js"
    if shutil.which("node") is None or not eslint.exists():
        pytest.skip("node or eslint missing (scripts/setup.d/50-codegen-lint.sh)")
    _write_all(["node-fetch", "node-axios"], tmp_path, "main.mjs")
    (tmp_path / "eslint.config.mjs").write_text(
        f'import js from "{eslint_dir}/node_modules/@eslint/js/src/index.js";\n'
        f'import globals from "{eslint_dir}/node_modules/globals/index.js";\n'
        "export default [js.configs.recommended, { languageOptions: {\n"
        '  ecmaVersion: "latest", sourceType: "module", globals: globals.node } }];\n'
    )
    done = subprocess.run(
        ["node", str(eslint), "--config", "eslint.config.mjs", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-1000:]
