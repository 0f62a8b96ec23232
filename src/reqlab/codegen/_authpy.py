"""requests and httpx with the ``reqlab.auth`` flows and digest auth.

Both libraries take a callable as ``auth=`` (requests calls it with the
prepared request, httpx with its ``Request``): the snippet signs there with
botocore, the AWS SDK's own SigV4 signer, over the method, URL, headers and
body exactly as the library will send them; for OAuth 2.0 client
credentials it fetches the token from the token endpoint first and the
callable adds the bearer header.  Digest is the library's own helper
(``requests.auth.HTTPDigestAuth``, ``httpx.DigestAuth``).

The target renders the request with a stand-in Basic auth, which both
styles write as ``auth=("user", "password")``; that argument is replaced
here and the definitions go after the imports, so the renderers need no
change.
"""

from __future__ import annotations

from reqlab.codegen._authcode import ClientCredentials, Render, SigV4
from reqlab.codegen._pysrc import _is_stdlib, _module, call, s
from reqlab.model import BasicAuth, DigestAuth, Request

STAND_IN = BasicAuth("reqlab-stand-in-user", "reqlab-stand-in-password")
_STAND_IN_ARG = f"auth=({s(STAND_IN.username)}, {s(STAND_IN.password)})"


def rewrite(
    library: str, request: Request, flow: SigV4 | ClientCredentials | None, render: Render
) -> tuple[str, tuple[str, ...]] | None:
    """(code, warnings) of ``library``'s snippet with the flow (or the
    request's digest auth) written in, or None when the renderer did not
    use ``auth=`` (an Authorization header of the request's own wins)."""
    if flow is None:
        return _digest(library, request, render)
    snippet = render(_with_auth(request, STAND_IN))
    if _STAND_IN_ARG not in snippet.code:
        return None
    if isinstance(flow, SigV4):
        imports, preamble, name = _sigv4(library, flow)
    else:
        imports, preamble, name = _client_credentials(library, flow)
    code = snippet.code.replace(_STAND_IN_ARG, f"auth={name}")
    return insert(code, imports, preamble), tuple(snippet.warnings)


def _with_auth(request: Request, auth: BasicAuth) -> Request:
    from dataclasses import replace

    return replace(request, auth=auth)


def _digest(library: str, request: Request, render: Render) -> tuple[str, tuple[str, ...]] | None:
    auth = request.auth
    if not isinstance(auth, DigestAuth) or not (auth.username + auth.password).isascii():
        return None
    snippet = render(_with_auth(request, BasicAuth(auth.username, auth.password)))
    pair = f"({s(auth.username)}, {s(auth.password)})"
    if f"auth={pair}" not in snippet.code:
        return None
    helper = "HTTPDigestAuth" if library == "requests" else "httpx.DigestAuth"
    code = snippet.code.replace(f"auth={pair}", "auth=digest")
    imports = ["from requests.auth import HTTPDigestAuth"] if library == "requests" else []
    preamble = [
        f"# {helper} answers the server's digest challenge.",
        f"digest = {helper}{pair}",
        "",
    ]
    return insert(code, imports, preamble), tuple(snippet.warnings)


def _sigv4(library: str, flow: SigV4) -> tuple[list[str], list[str], str]:
    imports = [
        "from botocore.auth import " + _signer_class(flow),
        "from botocore.awsrequest import AWSRequest",
        "from botocore.credentials import Credentials",
    ]
    creds = [s(flow.access_key), s(flow.secret_key)]
    if flow.session_token:
        creds.append(s(flow.session_token))
    signer_args = ["credentials", s(flow.service), s(flow.region)]
    if flow.expires is not None:
        signer_args.append(f"expires={flow.expires}")
    if library == "requests":
        what = "requests' auth= hook: botocore (the AWS SDK) signs the prepared request"
        url, body = "request.url", "request.body"
    else:
        what = "httpx's auth= hook: botocore (the AWS SDK) signs the request"
        url, body = "str(request.url)", "request.read()"
    aws_args = ["request.method", url, "dict(request.headers)", body]
    lines = [
        *call("credentials = ", "Credentials", creds),
        "",
        "",
        "def sign_aws(request):",
        f"    # {what},",
        "    # its method, URL, headers and body exactly as they will be sent.",
        *call("aws = ", "AWSRequest", aws_args, indent="    "),
    ]
    if flow.unsigned_payload:
        lines += [
            "    # UNSIGNED-PAYLOAD (botocore signs the body anyway over plain http).",
            '    aws.context["payload_signing_enabled"] = False',
        ]
    lines += [*call("signer = ", _signer_class(flow), signer_args, indent="    ")]
    lines.append("    signer.add_auth(aws)")
    if flow.expires is not None:
        new_url = "aws.url" if library == "requests" else "httpx.URL(aws.url)"
        lines.append(f"    request.url = {new_url}  # presigned: the signature is in the query")
    else:
        lines.append("    request.headers.update(dict(aws.headers.items()))")
    lines += ["    return request", "", ""]
    return imports, lines, "sign_aws"


def _signer_class(flow: SigV4) -> str:
    name = "SigV4QueryAuth" if flow.expires is not None else "SigV4Auth"
    return "S3" + name if flow.s3 else name


def _client_credentials(library: str, flow: ClientCredentials) -> tuple[list[str], list[str], str]:
    owner = "requests'" if library == "requests" else "httpx's"
    form = ", ".join(f"{s(n)}: {s(v)}" for n, v in flow.form())
    args = [s(flow.token_url), f"data={{{form}}}"]
    if flow.method == "client_secret_basic":
        user, password = flow.basic_pair
        args.append(f"auth=({s(user)}, {s(password)})")
    args += ['headers={"Accept": "application/json"}', "timeout=30"]
    lines = [
        "# OAuth 2.0 client credentials (RFC 6749 4.4): a token from the token endpoint,",
        f"# the client authenticated by {flow.method}.",
        "token_response = " + f"{library}.post(",
        *[f"    {a}," for a in args],
        ")",
        "token_response.raise_for_status()",
        'access_token = token_response.json()["access_token"]',
        "",
        "",
        "def bearer(request):",
        f"    # {owner} auth= hook: the token in the Authorization header.",
        '    request.headers["Authorization"] = f"Bearer {access_token}"',
        "    return request",
        "",
        "",
    ]
    return [], lines, "bearer"


def insert(code: str, imports: list[str], preamble: list[str]) -> str:
    """``code`` with ``imports`` merged into its import block (isort's
    order, as the renderers write it) and ``preamble`` right after it."""
    lines = code.split("\n")
    start = 0
    while start < len(lines) and lines[start].startswith("#"):
        start += 1  # the snippet's own header comments stay first
    comments, end = lines[:start], start
    while end < len(lines) and (lines[end].startswith(("import ", "from ")) or not lines[end]):
        end += 1
    head = [line for line in lines[start:end] if line]
    merged = list(dict.fromkeys([*head, *imports]))
    stdlib = sorted((i for i in merged if _is_stdlib(i)), key=_module)
    other = sorted((i for i in merged if not _is_stdlib(i)), key=_module)
    blocks = [b for b in ("\n".join(stdlib), "\n".join(other)) if b]
    top = "\n".join(comments) + ("\n" if comments else "") + "\n\n".join(blocks)
    body = "\n".join([*preamble, *lines[end:]])
    return top + "\n\n" + body
