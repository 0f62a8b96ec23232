"""node-fetch and node-axios snippets with AWS SigV4 or OAuth 2.0 client
credentials (see :mod:`._authlang` for how the writers wrap a renderer).

* node-fetch, SigV4: ``fetch(`` becomes ``signedFetch(``, which signs what
  fetch will send with the AWS SDK's own signer (``@smithy/signature-v4``
  with ``@aws-crypto/sha256-js``) and then calls fetch.
* node-axios, SigV4: aws4-axios's interceptor on the axios instance signs
  after axios has written the URL, headers and body.
* Client credentials: a ``fetch`` (``axios.post``) to the token endpoint
  first; the marker token in the rendered code becomes ``accessToken``.
"""

from __future__ import annotations

from reqlab.codegen._authcode import MARK, ClientCredentials, SigV4
from reqlab.codegen._escape import double_quoted_js


def node(code: str, flow: SigV4 | ClientCredentials) -> str | None:
    if isinstance(flow, ClientCredentials):
        code = code.replace(double_quoted_js(f"Bearer {MARK}"), "`Bearer ${accessToken}`")
        return node_insert(code, [], _node_token(flow))
    if "await fetch(" not in code:
        return None
    code = code.replace("await fetch(", "await signedFetch(")
    imports = [
        'import { Sha256 } from "@aws-crypto/sha256-js";',
        'import { SignatureV4 } from "@smithy/signature-v4";',
    ]
    return node_insert(code, imports, _node_signer(flow))


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


def node_insert(code: str, imports: list[str], preamble: list[str]) -> str:
    lines = code.split("\n")
    end = 0
    while end < len(lines) and (lines[end].startswith("import ") or not lines[end]):
        end += 1
    head = [line for line in lines[:end] if line]
    top = [*head, *(i for i in imports if i not in head)]
    return "\n".join([*top, *([""] if top else []), *preamble, *lines[end:]])


def axios(code: str, flow: SigV4 | ClientCredentials) -> str | None:
    if isinstance(flow, ClientCredentials):
        code = code.replace(double_quoted_js(f"Bearer {MARK}"), "`Bearer ${accessToken}`")
        return node_insert(code, [], _axios_token(flow))
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
    return node_insert("\n".join(lines), imports, preamble)


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
