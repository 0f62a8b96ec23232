"""The ``reqlab.auth`` flows in generated code (issue 19).

Codegen imports the model only, so the flows are read by their public
attributes (``type(auth).__name__`` and fields), never by importing
``reqlab.auth``.  What each target does:

* ``APIKey`` is a header or a query parameter: :func:`with_api_key` puts it
  in the request before any target renders it, so every target (both
  styles) sends it as written, with the value the request holds.
* ``AWSSigV4`` and ``OAuth2ClientCredentials`` become :class:`SigV4` and
  :class:`ClientCredentials`, which the language modules (``_authpy``,
  ``_authjs``, ``_authgo``, the shell-curl hook) turn into code that uses the
  library's or the AWS SDK's own signer and token request.
* Everything else (authorization code, device code, private_key_jwt, a
  target without a helper) stays a warning, with a link to the docs of the
  library that would do it: :func:`left_out`.

Secrets go into the snippet as the request holds them - as Basic auth's
password always has: a request whose secrets were replaced by ``{{name}}``
placeholders (the web page's masking) shows the placeholders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol
from urllib.parse import quote, quote_plus

from reqlab.model import Request

# The bearer token a renderer writes for OAuth 2.0, which the writers replace
# by the token the snippet fetched.
MARK = "REQLAB-OAUTH2-ACCESS-TOKEN"


class Rendered(Protocol):
    """What a target's renderer returns (a Snippet)."""

    @property
    def code(self) -> str: ...
    @property
    def warnings(self) -> tuple[str, ...]: ...


# A target's renderer, in the style asked for: request -> snippet.
Render = Callable[[Request], Rendered]


@dataclass(frozen=True)
class SigV4:
    access_key: str
    secret_key: str
    region: str
    service: str
    session_token: str | None = None
    unsigned_payload: bool = False
    expires: int | None = None

    @property
    def s3(self) -> bool:
        return self.service == "s3"


@dataclass(frozen=True)
class ClientCredentials:
    token_url: str
    client_id: str
    client_secret: str
    scope: str | None
    method: str  # client_secret_basic or client_secret_post

    @property
    def basic_pair(self) -> tuple[str, str]:
        """RFC 6749 2.3.1: the id and secret are form-encoded before Basic."""
        return quote_plus(self.client_id), quote_plus(self.client_secret)

    def form(self) -> list[tuple[str, str]]:
        fields = [("grant_type", "client_credentials")]
        if self.scope:
            fields.append(("scope", self.scope))
        if self.method == "client_secret_post":
            fields += [("client_id", self.client_id), ("client_secret", self.client_secret)]
        return fields

    def form_text(self) -> str:
        return "&".join(f"{quote_plus(n)}={quote_plus(v)}" for n, v in self.form())


Flow = SigV4 | ClientCredentials


def flow_of(request: Request) -> Flow | None:
    """The flow a snippet can write for ``request``'s auth, if any."""
    auth: Any = request.auth
    kind = type(auth).__name__
    if kind == "AWSSigV4":
        return SigV4(
            auth.access_key,
            auth.secret_key,
            auth.region,
            auth.service,
            auth.session_token,
            bool(auth.unsigned_payload),
            auth.expires,
        )
    if kind == "OAuth2ClientCredentials":
        client = auth.client
        if client.method not in ("client_secret_basic", "client_secret_post"):
            return None  # private_key_jwt signs an assertion per request: not in a snippet
        return ClientCredentials(
            auth.token_url, auth.client_id, client.client_secret or "", auth.scope, client.method
        )
    return None


def with_api_key(request: Request) -> Request:
    """``request`` with its ``APIKey`` written as the header or query
    parameter it is (as ``reqlab.auth.APIKey.apply`` sends it), auth gone."""
    auth: Any = request.auth
    if type(auth).__name__ != "APIKey":
        return request
    if auth.location == "header":
        headers = [h for h in request.headers if h[0].lower() != auth.name.lower()]
        return replace(request, headers=(*headers, (auth.name, auth.value)), auth=None)
    url, hash_, fragment = request.url.partition("#")
    base, _, query = url.partition("?")
    key = quote(auth.name, safe="")
    kept = [p for p in query.split("&") if p and p.split("=", 1)[0] != key]
    kept.append(f"{key}={quote(auth.value, safe='')}")
    new = f"{base}?{'&'.join(kept)}" + (f"#{fragment}" if hash_ else "")
    return replace(request, url=new, auth=None)


# What the warning links to, by target family: where that library's (or its
# AWS SDK's) signing and OAuth 2.0 support is documented.
AWS_DOCS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html"
_SIGV4_DOCS = {
    "python-": "botocore.auth.SigV4Auth: " + AWS_DOCS,
    "node-": "@smithy/signature-v4: https://www.npmjs.com/package/@smithy/signature-v4",
    "javascript-": "@smithy/signature-v4: https://www.npmjs.com/package/@smithy/signature-v4",
    "go-": "aws-sdk-go-v2 signer: https://pkg.go.dev/github.com/aws/aws-sdk-go-v2/aws/signer/v4",
    "java-": "AWS SDK for Java 2.x AwsV4HttpSigner: https://sdk.amazonaws.com/java/api/latest/"
    "software/amazon/awssdk/http/auth/aws/signer/AwsV4HttpSigner.html",
    "kotlin-": "AWS SDK for Java 2.x AwsV4HttpSigner: https://sdk.amazonaws.com/java/api/latest/"
    "software/amazon/awssdk/http/auth/aws/signer/AwsV4HttpSigner.html",
    "csharp-": "AWS SDK for .NET: " + AWS_DOCS,
    "ruby-": "aws-sigv4 gem: https://docs.aws.amazon.com/sdk-for-ruby/v3/api/Aws/Sigv4/Signer.html",
    "php-": "AWS SDK for PHP SignatureV4: "
    "https://docs.aws.amazon.com/aws-sdk-php/v3/api/class-Aws.Signature.SignatureV4.html",
    "rust-": "aws-sigv4 crate: https://docs.rs/aws-sigv4",
    "shell-": "curl --aws-sigv4 (the shell-curl and curl targets write it): " + AWS_DOCS,
}
RFC_6749 = "https://www.rfc-editor.org/rfc/rfc6749#section-4.4"
_OAUTH_DOCS = {
    "python-requests": "requests-oauthlib: https://requests-oauthlib.readthedocs.io/",
    "python-httpx": "Authlib's httpx client: https://docs.authlib.org/en/latest/client/httpx.html",
    "go-": "golang.org/x/oauth2: https://pkg.go.dev/golang.org/x/oauth2",
    "rust-": "oauth2 crate: https://docs.rs/oauth2",
    "php-": "league/oauth2-client: https://oauth2-client.thephpleague.com/",
    "ruby-": "oauth2 gem: https://gitlab.com/oauth-xx/oauth2",
    "node-": "openid-client: https://www.npmjs.com/package/openid-client",
    "javascript-": "a browser sign-in library, e.g. oidc-client-ts: "
    "https://www.npmjs.com/package/oidc-client-ts",
}


def _docs(table: dict[str, str], target: str, default: str) -> str:
    for prefix, docs in table.items():
        if target.startswith(prefix):
            return docs
    return default


def left_out(request: Request, target: str) -> str | None:
    """The warning for an auth flow the ``target`` snippet does not write,
    with a link to where its library (or its AWS SDK) documents it."""
    auth: Any = request.auth
    kind = type(auth).__name__
    if kind == "AWSSigV4":
        docs = _docs(_SIGV4_DOCS, target, AWS_DOCS)
        how = "sign it with the AWS SDK"
    elif kind.startswith("OAuth2"):
        docs = _docs(_OAUTH_DOCS, target, RFC_6749)
        how = "fetch a token first"
        if kind != "OAuth2ClientCredentials":
            how = "a snippet cannot run the browser or device sign-in: get a token first"
    else:
        docs, how = "docs/auth.md", "add the library's own signer or token request"
    return (
        f"{kind} authentication is not in the snippet: it sends the request without it "
        f"({how}; {docs})"
    )


# Where a library without digest auth gets it (the plan's "has no digest
# authentication" warning names it).
_DIGEST_DOCS = {
    "python-http-client": "urllib.request.HTTPDigestAuthHandler: "
    "https://docs.python.org/3/library/urllib.request.html#httpdigestauthhandler-objects",
    "python-urllib3": "urllib.request.HTTPDigestAuthHandler: "
    "https://docs.python.org/3/library/urllib.request.html#httpdigestauthhandler-objects",
    "python-": "aiohttp.DigestAuthMiddleware (3.12+): https://docs.aiohttp.org/en/stable/client_advanced.html",
    "node-": "digest-fetch: https://www.npmjs.com/package/digest-fetch",
    "javascript-": "the browser answers a digest challenge itself for credentials it is given: "
    "https://developer.mozilla.org/docs/Web/HTTP/Authentication",
    "go-": "github.com/icholy/digest: https://pkg.go.dev/github.com/icholy/digest",
    "java-okhttp": "okhttp-digest: https://github.com/rburgst/okhttp-digest",
    "kotlin-okhttp": "okhttp-digest: https://github.com/rburgst/okhttp-digest",
    "ruby-": "net-http-digest_auth: https://github.com/drbrain/net-http-digest_auth",
    "rust-": "diqwest: https://docs.rs/diqwest",
    "swift-": "URLSessionTaskDelegate with a URLCredential: https://developer.apple.com/"
    "documentation/foundation/urlsessiontaskdelegate",
    "powershell-": "Invoke-WebRequest -Credential: https://learn.microsoft.com/powershell/"
    "module/microsoft.powershell.utility/invoke-webrequest",
}


def with_digest_link(warnings: tuple[str, ...], target: str) -> tuple[str, ...]:
    """The plan's "no digest authentication" warning, with where to get it."""
    docs = _docs(_DIGEST_DOCS, target, "RFC 7616: https://www.rfc-editor.org/rfc/rfc7616")
    return tuple(
        f"{w} (digest for it: {docs})" if "has no digest authentication" in w else w
        for w in warnings
    )
