"""The authentication options of ``reqlab send`` beyond -u/--digest/--bearer:
AWS SigV4 (curl's spelling), API keys and OAuth 2.0.

Secrets can come from the environment (``REQLAB_OAUTH2_CLIENT_SECRET``, and
``REQLAB_API_KEY`` for ``--api-key NAME:`` with no value) so they stay out of
shell history; an API key is never sent unless ``--api-key`` names it, so a
key in the environment cannot leak to every host the user calls.  OAuth 2.0 tokens
are cached in the user's data directory (mode 0600), so the next run reuses a
fresh token instead of signing in again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from reqlab.errors import InvalidRequest
from reqlab.model import FlowAuth, Request

GRANTS = ("client-credentials", "authorization-code", "device-code")

# part of send's option table (cli/_send_opts.py)
OPTIONS: list[Callable[[Any], Any]] = [
    click.option(
        "--aws-sigv4",
        metavar="aws:amz:REGION:SERVICE",
        help="Sign with AWS Signature v4 (curl's option); -a/-u gives ACCESS_KEY:SECRET_KEY.",
    ),
    click.option(
        "--api-key",
        metavar="NAME:VALUE",
        help="Send an API key (header NAME; 'NAME:' takes the value from env REQLAB_API_KEY).",
    ),
    click.option("--api-key-in", type=click.Choice(["header", "query"]), default="header"),
    click.option("--oauth2", type=click.Choice(GRANTS), help="Get an OAuth 2.0 token first."),
    click.option("--oauth2-token-url", metavar="URL", help="The token endpoint."),
    click.option("--oauth2-auth-url", metavar="URL", help="The authorization endpoint."),
    click.option("--oauth2-device-url", metavar="URL", help="The device authorization endpoint."),
    click.option("--oauth2-client-id", metavar="ID"),
    click.option(
        "--oauth2-client-secret",
        metavar="SECRET",
        envvar="REQLAB_OAUTH2_CLIENT_SECRET",
        help="env REQLAB_OAUTH2_CLIENT_SECRET.",
    ),
    click.option("--oauth2-scope", metavar="SCOPE"),
    click.option(
        "--oauth2-client-auth",
        type=click.Choice(["client_secret_basic", "client_secret_post", "private_key_jwt", "none"]),
        help="How the client authenticates (default: basic with a secret, else none).",
    ),
    click.option(
        "--oauth2-private-key",
        type=click.Path(exists=True, dir_okay=False),
        help="PEM key for private_key_jwt.",
    ),
    click.option(
        "--cookie-jar",
        type=click.Path(dir_okay=False),
        help="Read cookies from this Netscape cookie file and save them back after.",
    ),
    click.option(
        "--oauth2-cache",
        type=click.Path(dir_okay=False),
        help="Token cache file (default: in the user's data directory).",
    ),
]


def auth_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for decorate in reversed(OPTIONS):
        command = decorate(command)
    return command


def with_flow_auth(opts: dict[str, Any], request: Request) -> Request:
    """``request`` with the auth these options describe in place of -a/-u's
    (which --aws-sigv4 reads as its keys); unchanged without them."""
    auth = auth_from(opts, request.url)
    return request if auth is None else request.replace(auth=auth)


def auth_from(opts: dict[str, Any], url: str) -> FlowAuth | None:
    """The auth object the options describe, or None."""
    if opts.get("aws_sigv4"):
        from reqlab.auth._aws import from_curl

        return from_curl(opts["aws_sigv4"], opts.get("auth") or opts.get("user"), url)
    if opts.get("api_key"):
        from reqlab.auth import APIKey

        name, colon, value = opts["api_key"].partition(":")
        if not colon or not name:
            raise InvalidRequest("--api-key", "expected NAME:VALUE")
        if not value:
            import os

            value = os.environ.get("REQLAB_API_KEY", "")
            if not value:
                raise InvalidRequest(
                    "--api-key", f"no value after {name}: and REQLAB_API_KEY is unset"
                )
        return APIKey(name, value, opts["api_key_in"])
    if opts.get("oauth2"):
        return _oauth2(opts)
    return None


def _need(opts: dict[str, Any], name: str, grant: str) -> str:
    value = opts.get(name.replace("-", "_").removeprefix("__"))
    if not value:
        raise InvalidRequest(name, f"--oauth2 {grant} needs {name}")
    return str(value)


def _oauth2(opts: dict[str, Any]) -> FlowAuth:
    from reqlab.auth._oauth import OAuth2ClientCredentials
    from reqlab.auth._oauth_cache import FileTokenCache
    from reqlab.auth._oauth_flows import OAuth2AuthorizationCode, OAuth2DeviceCode

    grant = opts["oauth2"]
    token_url = _need(opts, "--oauth2-token-url", grant)
    client_id = _need(opts, "--oauth2-client-id", grant)
    path = opts.get("oauth2_cache")
    cache = FileTokenCache(Path(path) if path else None)
    key_path = opts.get("oauth2_private_key")
    common: dict[str, Any] = {
        "client_auth": opts.get("oauth2_client_auth"),
        "cache": cache,
        "private_key": Path(key_path).read_bytes() if key_path else None,
    }
    secret, scope = opts.get("oauth2_client_secret"), opts.get("oauth2_scope")
    if grant == "client-credentials":
        return OAuth2ClientCredentials(token_url, client_id, secret, scope, **common)
    if grant == "authorization-code":
        auth_url = _need(opts, "--oauth2-auth-url", grant)
        return OAuth2AuthorizationCode(auth_url, token_url, client_id, secret, scope, **common)
    device_url = _need(opts, "--oauth2-device-url", grant)
    common.pop("private_key")
    return OAuth2DeviceCode(device_url, token_url, client_id, secret, scope, **common)
