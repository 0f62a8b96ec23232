"""Auth in every target's snippet: the dispatch :meth:`Target.generate`
calls for a request with digest auth or a ``reqlab.auth`` flow.

Each writer renders the request with a stand-in - no auth, a Basic pair, or
a bearer token whose value is :data:`MARK` - through the target's own
renderer, in either style, and writes the flow around what comes out; a
writer that finds no stand-in (the renderer changed, or cannot apply)
returns None and the target warns.  The writers per language:
:mod:`._authpy` (requests, httpx), :mod:`._authjs` (node-fetch,
node-axios), :mod:`._authgo` (go-nethttp); here: digest for aiohttp, wget
and HTTPie, and client credentials for shell-curl (a first curl fetches
the token, jq reads it into ``ACCESS_TOKEN``; SigV4 is the curl writer's
own ``--aws-sigv4``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from reqlab.codegen import _authgo, _authjs, _authpy
from reqlab.codegen._authcode import (
    MARK,
    ClientCredentials,
    Render,
    SigV4,
    flow_of,
    left_out,
    with_api_key,
    with_digest_link,
)
from reqlab.codegen._escape import shell_str
from reqlab.codegen._pysrc import s
from reqlab.model import BasicAuth, BearerAuth, DigestAuth, MultipartBody, Request

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
    writer = {"node-fetch": _authjs.node, "node-axios": _authjs.axios}.get(target, _authgo.go)
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
