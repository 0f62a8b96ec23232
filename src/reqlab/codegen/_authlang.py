"""The ``reqlab.auth`` flows in node-fetch and go-nethttp snippets, and the
dispatch that :meth:`Target.generate` calls for every target.

Like :mod:`._authpy`, each writer renders the request with a stand-in (no
auth, or a bearer token whose value is a marker) through the target's own
renderer, in either style, and writes the flow around it:

* node-fetch, AWS SigV4: ``fetch(`` becomes ``signedFetch(``, which signs
  what fetch will send with the AWS SDK's signer (``@smithy/signature-v4``
  with ``@aws-crypto/sha256-js``) and then calls fetch.
* node-axios, AWS SigV4: aws4-axios's interceptor on the axios instance.
* go-nethttp, AWS SigV4: aws-sdk-go-v2's ``v4.Signer.SignHTTP`` signs
  ``req`` just before the client sends it, over the body's SHA-256.
* OAuth 2.0 client credentials: node fetches the token with fetch (axios
  with axios.post), Go with
  ``golang.org/x/oauth2/clientcredentials``; the marker becomes the token.
* shell-curl writes SigV4 itself (``--aws-sigv4``, through the curl
  writer); for client credentials a first curl fetches the token and jq
  reads it into ``ACCESS_TOKEN``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from reqlab.codegen import _authpy
from reqlab.codegen._authcode import (
    ClientCredentials,
    Render,
    SigV4,
    flow_of,
    left_out,
    with_api_key,
    with_digest_link,
)
from reqlab.codegen._escape import double_quoted_js, go_str, shell_str
from reqlab.codegen._pysrc import s
from reqlab.model import BasicAuth, BearerAuth, DigestAuth, MultipartBody, Request

MARK = "REQLAB-OAUTH2-ACCESS-TOKEN"
# Which target writes which auth itself (the rest warn: _authcode.left_out).
WRITES: dict[str, frozenset[str]] = {
    "python-requests": frozenset({"AWSSigV4", "OAuth2ClientCredentials", "DigestAuth"}),
    "python-httpx": frozenset({"AWSSigV4", "OAuth2ClientCredentials", "DigestAuth"}),
    "node-fetch": frozenset({"AWSSigV4", "OAuth2ClientCredentials"}),
    "node-axios": frozenset({"AWSSigV4", "OAuth2ClientCredentials"}),
    "go-nethttp": frozenset({"AWSSigV4", "OAuth2ClientCredentials"}),
    "shell-curl": frozenset({"AWSSigV4", "OAuth2ClientCredentials"}),
    "curl": frozenset({"AWSSigV4"}),
    "python-aiohttp": frozenset({"DigestAuth"}),
    "shell-wget": frozenset({"DigestAuth"}),
    "shell-httpie": frozenset({"DigestAuth"}),
}


def with_auth(target: str, request: Request, render: Render) -> tuple[str, tuple[str, ...]]:
    """(code, warnings) of ``target`` for a request with digest auth or a
    ``reqlab.auth`` flow: written in where the target can, else warned."""
    # An API key is a header or a query parameter: every target sends it so.
    request = with_api_key(request)
    if flow_of(request) is not None:
        # The flow sets Authorization itself, as reqlab's client does (SigV4
        # drops the request's own, OAuth 2.0 replaces it).
        kept = tuple(h for h in request.headers if h[0].lower() != "authorization")
        request = replace(request, headers=kept)
    written = write(target, request, render)
    done = written is not None
    if written is None:
        snippet = render(request)
        written = snippet.code, tuple(snippet.warnings)
    code, warnings = written[0], with_digest_link(written[1], target)
    if _left_out(request, target, code, done):
        missing = left_out(request, target) or ""
        # The curl writer's own "X is not written" gives way to the warning with the link.
        kind = missing.split()[0]
        warnings = tuple(w for w in warnings if not w.startswith(f"{kind} is not written"))
        warnings += (missing,)
    return code, warnings


def _left_out(request: Request, target: str, code: str, written: bool) -> bool:
    """True when ``code`` sends the request without its SigV4 or OAuth 2.0
    flow: the target has no writer for it, or its writer could not apply."""
    auth = request.auth
    if auth is None or isinstance(auth, BasicAuth | BearerAuth | DigestAuth):
        return False
    if type(auth).__name__ == "AWSSigV4" and target in ("curl", "shell-curl"):
        return "--aws-sigv4" not in code  # the curl writer spells it itself
    return not written


def writes(target: str, request: Request) -> bool:
    """True when ``target``'s snippet carries ``request``'s auth flow."""
    kind = type(request.auth).__name__
    if kind not in WRITES.get(target, ()):
        return False
    flow = flow_of(request)
    if kind == "AWSSigV4" and target == "node-axios" and isinstance(request.body, MultipartBody):
        return False  # aws4-axios cannot hash a FormData body
    if kind == "AWSSigV4" and target in ("node-fetch", "node-axios", "go-nethttp"):
        return isinstance(flow, SigV4) and flow.expires is None
    return flow is not None or kind == "DigestAuth"


def write(target: str, request: Request, render: Render) -> tuple[str, tuple[str, ...]] | None:
    """(code, warnings) with the auth written in, or None: render as usual."""
    if not writes(target, request) or target == "curl":
        return None
    flow = flow_of(request)
    if isinstance(request.auth, DigestAuth) and target in _DIGEST:
        return _digest(target, request.auth, request, render)
    if target in ("python-requests", "python-httpx"):
        if isinstance(request.auth, DigestAuth):
            flow = None
        return _authpy.rewrite(target.removeprefix("python-"), request, flow, render)
    if flow is None:
        return None
    if target == "shell-curl":
        return _curl(request, flow, render)
    stand_in = BearerAuth(MARK) if isinstance(flow, ClientCredentials) else None
    snippet = render(replace(request, auth=stand_in))
    if isinstance(flow, ClientCredentials) and MARK not in snippet.code:
        return None  # the request's own Authorization header won
    writer = {"node-fetch": _node, "node-axios": _axios}.get(target, _go)
    code = writer(snippet.code, flow)
    return (code, tuple(snippet.warnings)) if code else None


# ---------------------------------------------------------------- digest
def _aiohttp(code: str, user: str, password: str) -> str:
    """aiohttp 3.12+: DigestAuthMiddleware answers the challenge on the session."""
    pair = f"({s(user)}, {s(password)})"
    code = code.replace(f", auth=aiohttp.BasicAuth{pair}", "")
    if "aiohttp.ClientSession()" in code:
        code = code.replace(
            "aiohttp.ClientSession()", "aiohttp.ClientSession(middlewares=(digest,))"
        )
    else:
        code = code.replace(
            "aiohttp.ClientSession(", "aiohttp.ClientSession(middlewares=(digest,), "
        )
    preamble = [
        "# aiohttp's DigestAuthMiddleware (3.12+) answers the server's digest challenge.",
        f"digest = aiohttp.DigestAuthMiddleware{pair}",
        "",
        "",
    ]
    return _authpy.insert(code, [], preamble)


# target -> (what the Basic rendering holds, how it becomes digest)
_DIGEST: dict[str, tuple[Callable[[str, str], str], Callable[[str, str, str], str]]] = {
    "python-aiohttp": (lambda u, p: f"auth=aiohttp.BasicAuth({s(u)}, {s(p)})", _aiohttp),
    # Without --auth-no-challenge wget waits for the 401 and answers Basic or Digest.
    "shell-wget": (
        lambda u, p: "  --auth-no-challenge \\\n",
        lambda code, u, p: code.replace("  --auth-no-challenge \\\n", "", 1),
    ),
    "shell-httpie": (
        lambda u, p: f"--auth={shell_str(u + ':' + p)}",
        lambda code, u, p: code.replace(
            f"--auth={shell_str(u + ':' + p)}",
            f"--auth-type=digest \\\n  --auth={shell_str(u + ':' + p)}",
            1,
        ),
    ),
}


def _digest(
    target: str, auth: DigestAuth, request: Request, render: Render
) -> tuple[str, tuple[str, ...]] | None:
    if not (auth.username + auth.password).isascii():
        return None  # the helpers encode latin-1, reqlab UTF-8
    marker, rewrite = _DIGEST[target]
    snippet = render(replace(request, auth=BasicAuth(auth.username, auth.password)))
    if marker(auth.username, auth.password) not in snippet.code:
        return None
    return rewrite(snippet.code, auth.username, auth.password), tuple(snippet.warnings)


# ------------------------------------------------------------------ node
def _node(code: str, flow: SigV4 | ClientCredentials) -> str | None:
    if isinstance(flow, ClientCredentials):
        code = code.replace(double_quoted_js(f"Bearer {MARK}"), "`Bearer ${accessToken}`")
        return _node_insert(code, [], _node_token(flow))
    if "await fetch(" not in code:
        return None
    code = code.replace("await fetch(", "await signedFetch(")
    imports = [
        'import { Sha256 } from "@aws-crypto/sha256-js";',
        'import { SignatureV4 } from "@smithy/signature-v4";',
    ]
    return _node_insert(code, imports, _node_signer(flow))


def _node_signer(flow: SigV4) -> list[str]:
    creds = [
        f"accessKeyId: {double_quoted_js(flow.access_key)}",
        f"secretAccessKey: {double_quoted_js(flow.secret_key)}",
    ]
    if flow.session_token:
        creds.append(f"sessionToken: {double_quoted_js(flow.session_token)}")
    unsigned = (
        ['    headers["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD";']
        if flow.unsigned_payload
        else []
    )
    return [
        "// The AWS SDK's own SigV4 signer.",
        "const signer = new SignatureV4({",
        f"  service: {double_quoted_js(flow.service)},",
        f"  region: {double_quoted_js(flow.region)},",
        "  credentials: {",
        *[f"    {c}," for c in creds],
        "  },",
        "  sha256: Sha256,",
        # S3 signs the path as sent; every other service encodes it once more.
        f"  uriEscapePath: {'false' if flow.s3 else 'true'},",
        "});",
        "",
        "// Signs what fetch will send (method, URL, headers, body bytes), then sends it.",
        "async function signedFetch(url, init = {}) {",
        "  const prepared = new Request(url, init);",
        "  const hasBody = init.body !== undefined && init.body !== null;",
        "  const body = hasBody ? Buffer.from(await prepared.arrayBuffer()) : undefined;",
        "  const target = new URL(prepared.url);",
        "  const query = {};",
        "  for (const [name, value] of target.searchParams) {",
        "    query[name] = name in query ? [].concat(query[name], value) : value;",
        "  }",
        "  const headers = Object.fromEntries(prepared.headers);",
        *unsigned,
        "  headers.host = target.host;",
        "  const signed = await signer.sign({",
        "    method: prepared.method,",
        "    protocol: target.protocol,",
        "    hostname: target.hostname,",
        "    port: target.port ? Number(target.port) : undefined,",
        "    path: target.pathname,",
        "    query,",
        "    headers,",
        "    body,",
        "  });",
        "  delete signed.headers.host; // fetch writes Host itself, the same value",
        "  return fetch(url, { ...init, headers: signed.headers, body });",
        "}",
        "",
    ]


def _node_token(flow: ClientCredentials) -> list[str]:
    headers = [
        '"Content-Type": "application/x-www-form-urlencoded"',
        '"Accept": "application/json"',
    ]
    if flow.method == "client_secret_basic":
        pair = double_quoted_js(":".join(flow.basic_pair))
        headers.append(f'"Authorization": "Basic " + Buffer.from({pair}).toString("base64")')
    return [
        "// OAuth 2.0 client credentials (RFC 6749 4.4): a token from the token endpoint,",
        f"// the client authenticated by {flow.method}.",
        f"const tokenResponse = await fetch({double_quoted_js(flow.token_url)}, {{",
        '  method: "POST",',
        "  headers: {",
        *[f"    {h}," for h in headers],
        "  },",
        f"  body: {double_quoted_js(flow.form_text())},",
        "});",
        "if (!tokenResponse.ok) {",
        "  throw new Error(`token request: HTTP ${tokenResponse.status}`);",
        "}",
        "const { access_token: accessToken } = await tokenResponse.json();",
        "",
    ]


def _node_insert(code: str, imports: list[str], preamble: list[str]) -> str:
    lines = code.split("\n")
    end = 0
    while end < len(lines) and (lines[end].startswith("import ") or not lines[end]):
        end += 1
    head = [line for line in lines[:end] if line]
    top = [*head, *(i for i in imports if i not in head)]
    return "\n".join([*top, *([""] if top else []), *preamble, *lines[end:]])


# ----------------------------------------------------------------- axios
def _axios(code: str, flow: SigV4 | ClientCredentials) -> str | None:
    if isinstance(flow, ClientCredentials):
        code = code.replace(double_quoted_js(f"Bearer {MARK}"), "`Bearer ${accessToken}`")
        return _node_insert(code, [], _axios_token(flow))
    creds = [
        f"accessKeyId: {double_quoted_js(flow.access_key)}",
        f"secretAccessKey: {double_quoted_js(flow.secret_key)}",
    ]
    if flow.session_token:
        creds.append(f"sessionToken: {double_quoted_js(flow.session_token)}")
    preamble = [
        "// aws4-axios signs every request axios sends with AWS SigV4 (the aws4 library),",
        "// after axios has written its URL, headers and body.",
        "const signer = aws4Interceptor({",
        "  options: {",
        f"    region: {double_quoted_js(flow.region)},",
        f"    service: {double_quoted_js(flow.service)},",
        "  },",
        "  credentials: {",
        *[f"    {c}," for c in creds],
        "  },",
        "});",
    ]
    lines = code.split("\n")
    made = next(
        (i for i, x in enumerate(lines) if x.startswith("const client = axios.create(")), None
    )
    if made is None:
        preamble += ["axios.interceptors.request.use(signer);", ""]
    else:  # the exact style's own instance
        end = next(i for i in range(made, len(lines)) if lines[i].endswith(");"))
        lines.insert(end + 1, "client.interceptors.request.use(signer);")
        preamble.append("")
    imports = ['import { aws4Interceptor } from "aws4-axios";']
    return _node_insert("\n".join(lines), imports, preamble)


def _axios_token(flow: ClientCredentials) -> list[str]:
    options = [
        "  headers: {",
        '    "Content-Type": "application/x-www-form-urlencoded",',
        '    "Accept": "application/json",',
        "  },",
    ]
    if flow.method == "client_secret_basic":
        user, password = flow.basic_pair
        options.append(
            f"  auth: {{ username: {double_quoted_js(user)}, "
            f"password: {double_quoted_js(password)} }},"
        )
    return [
        "// OAuth 2.0 client credentials (RFC 6749 4.4): a token from the token endpoint,",
        f"// the client authenticated by {flow.method}.",
        "const tokenResponse = await axios.post(",
        f"  {double_quoted_js(flow.token_url)},",
        f"  {double_quoted_js(flow.form_text())},",
        "  {",
        *[f"  {o}" for o in options],
        "  },",
        ");",
        "const accessToken = tokenResponse.data.access_token;",
        "",
    ]


# -------------------------------------------------------------------- go
_AWS = "github.com/aws/aws-sdk-go-v2/aws"
_V4 = 'v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"'


def _go(code: str, flow: SigV4 | ClientCredentials) -> str | None:
    lines = code.split("\n")
    if isinstance(flow, ClientCredentials):
        # gofmt spaces the + alone in a literal, not among call arguments.
        code = code.replace(f"{{{go_str(f'Bearer {MARK}')}}}", '{"Bearer " + token.AccessToken}')
        code = code.replace(go_str(f"Bearer {MARK}"), '"Bearer "+token.AccessToken')
        lines = code.split("\n")
        start = lines.index("func main() {") + 1
        lines[start:start] = _go_token(flow)
        imports = ["context", "log", "golang.org/x/oauth2", "golang.org/x/oauth2/clientcredentials"]
        return _go_imports("\n".join(lines), imports)
    send = next((i for i, line in enumerate(lines) if ".Do(req)" in line), None)
    if send is None:
        return None
    lines[send:send] = _go_signer(flow)
    imports = ["context", "crypto/sha256", "encoding/hex", "io", "log", "time", _AWS, _V4]
    return _go_imports("\n".join(lines), imports)


def _go_signer(flow: SigV4) -> list[str]:
    hash_lines = [
        "\t// The payload's SHA-256, read from a copy of the body net/http will send.",
        "\tvar signedBody []byte",
        "\tif req.GetBody != nil {",
        "\t\tcopyOfBody, err := req.GetBody()",
        "\t\tif err != nil {",
        "\t\t\tlog.Fatal(err)",
        "\t\t}",
        "\t\tif signedBody, err = io.ReadAll(copyOfBody); err != nil {",
        "\t\t\tlog.Fatal(err)",
        "\t\t}",
        "\t}",
        "\tbodySum := sha256.Sum256(signedBody)",
        "\tbodyHash := hex.EncodeToString(bodySum[:])",
    ]
    if flow.unsigned_payload:
        hash_lines = ['\tbodyHash := "UNSIGNED-PAYLOAD"']
    creds = [
        f"AccessKeyID: {go_str(flow.access_key)}",
        f"SecretAccessKey: {go_str(flow.secret_key)}",
    ]
    if flow.session_token:
        creds.append(f"SessionToken: {go_str(flow.session_token)}")
    s3 = [
        '\treq.Header.Set("X-Amz-Content-Sha256", bodyHash)',
    ]
    signer = (
        "\tsigner := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })"
        if flow.s3
        else "\tsigner := v4.NewSigner()"
    )
    return [
        "\t// AWS SigV4 by the AWS SDK's signer (aws-sdk-go-v2), over the request as it is sent.",
        *hash_lines,
        *(s3 if flow.s3 else []),
        f"\tcredentials := aws.Credentials{{{', '.join(creds)}}}",
        signer,
        "\terr = signer.SignHTTP(context.Background(), credentials, req, bodyHash,",
        f"\t\t{go_str(flow.service)}, {go_str(flow.region)}, time.Now())",
        "\tif err != nil {",
        "\t\tlog.Fatal(err)",
        "\t}",
        "",
    ]


def _go_token(flow: ClientCredentials) -> list[str]:
    style = "AuthStyleInHeader" if flow.method == "client_secret_basic" else "AuthStyleInParams"
    fields = [
        f"ClientID:     {go_str(flow.client_id)},",
        f"ClientSecret: {go_str(flow.client_secret)},",
        f"TokenURL:     {go_str(flow.token_url)},",
    ]
    if flow.scope:
        scopes = ", ".join(go_str(x) for x in flow.scope.split())
        fields.append(f"Scopes:       []string{{{scopes}}},")
    fields.append(f"AuthStyle:    oauth2.{style},")
    return [
        "\t// OAuth 2.0 client credentials (RFC 6749 4.4): golang.org/x/oauth2 fetches",
        f"\t// the token, the client authenticated by {flow.method}.",
        "\ttokenSource := clientcredentials.Config{",
        *[f"\t\t{f}" for f in fields],
        "\t}",
        "\ttoken, err := tokenSource.Token(context.Background())",
        "\tif err != nil {",
        "\t\tlog.Fatal(err)",
        "\t}",
        "",
    ]


def _go_imports(code: str, extra: list[str]) -> str:
    """``code`` with ``extra`` merged into its import block: the standard
    library, a blank line, the modules (gofmt's order within each)."""
    start = code.index("import (\n") + len("import (\n")
    end = code.index("\n)", start)
    have = [line.strip() for line in code[start:end].split("\n") if line.strip()]
    specs = dict.fromkeys([*have, *(e if " " in e else f'"{e}"' for e in extra)])

    def path(spec: str) -> str:
        return spec.split(" ")[-1].strip('"')

    std = sorted((x for x in specs if "." not in path(x).split("/")[0]), key=path)
    mods = sorted((x for x in specs if "." in path(x).split("/")[0]), key=path)
    block = "\n".join(f"\t{x}" for x in std)
    if mods:
        block += "\n\n" + "\n".join(f"\t{x}" for x in mods)
    return code[:start] + block + code[end:]


# ----------------------------------------------------------------- curl
def _curl(
    request: Request, flow: SigV4 | ClientCredentials, render: Render
) -> tuple[str, tuple[str, ...]] | None:
    if isinstance(flow, SigV4):
        return None  # the curl writer spells --aws-sigv4 itself
    snippet = render(replace(request, auth=BearerAuth(MARK)))
    if f"--oauth2-bearer {MARK}" not in snippet.code:
        return None
    args = ["curl -sS --fail", "-H 'Accept: application/json'"]
    if flow.method == "client_secret_basic":
        args.append("-u " + shell_str(":".join(flow.basic_pair)))
    args.append("--data " + shell_str(flow.form_text()))
    args.append(shell_str(flow.token_url))
    token = [
        "# OAuth 2.0 client credentials (RFC 6749 4.4): the token first, then the request",
        f"# (the client authenticated by {flow.method}; jq reads the token).",
        "ACCESS_TOKEN=$(" + " \\\n  ".join(args) + " | jq -r .access_token)",
        "",
    ]
    code = snippet.code.replace(f"--oauth2-bearer {MARK}", '--oauth2-bearer "$ACCESS_TOKEN"')
    lines = code.split("\n")
    at = 1 if lines and lines[0].startswith("#!") else 0
    if at:
        lines[at:at] = ["set -euo pipefail", *token]
    else:
        lines[0:0] = ["#!/usr/bin/env bash", "set -euo pipefail", *token]
    return "\n".join(lines), tuple(snippet.warnings)
