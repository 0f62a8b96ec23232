"""The two OAuth 2.0 grants that need a person: authorization code with PKCE
in a browser (RFC 6749 4.1, RFC 7636, RFC 8252) and device authorization
(RFC 8628) for terminals.

Both block while the person acts (the sync client waits; with
``AsyncClient`` the event loop waits too, so sign in once, then the token is
cached and refreshed without anyone).
"""

from __future__ import annotations

import secrets
import sys
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from reqlab.auth._loopback import LoopbackRedirect
from reqlab.auth._oauth import Flow, OAuth2Base
from reqlab.auth._oauth_cache import TokenCache
from reqlab.auth._oauth_token import (
    DEVICE_GRANT,
    ClientAuthMethod,
    OAuthError,
    check_response,
    pkce_pair,
)
from reqlab.model import Request


def _open(url: str) -> None:
    if not webbrowser.open(url):
        print(f"Open this URL to sign in:\n  {url}", file=sys.stderr)


class OAuth2AuthorizationCode(OAuth2Base):
    """Sign in in a browser; reqlab listens on 127.0.0.1 for the redirect.

    ``opener`` opens the authorization URL (default: the system browser);
    ``timeout`` is how long to wait for the person, in seconds.
    """

    grant = "authorization_code"

    def __init__(
        self,
        authorization_url: str,
        token_url: str,
        client_id: str,
        client_secret: str | None = None,
        scope: str | None = None,
        *,
        redirect_port: int = 0,
        redirect_path: str = "/callback",
        opener: Callable[[str], Any] = _open,
        timeout: float = 300.0,
        client_auth: ClientAuthMethod | None = None,
        private_key: bytes | str | None = None,
        cache: TokenCache | None = None,
    ) -> None:
        super().__init__(
            token_url,
            client_id,
            client_secret,
            scope,
            client_auth=client_auth,
            private_key=private_key,
            cache=cache,
        )
        self.authorization_url = authorization_url
        self.redirect_port = redirect_port
        self.redirect_path = redirect_path
        self.opener = opener
        self.timeout = timeout

    def obtain(self, request: Request) -> Flow:
        verifier, challenge = pkce_pair()
        state = secrets.token_urlsafe(16)
        with LoopbackRedirect(port=self.redirect_port, path=self.redirect_path) as loop:
            query = {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": loop.redirect_uri,
                "state": state,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
                **({"scope": self.scope} if self.scope else {}),
            }
            sep = "&" if "?" in self.authorization_url else "?"
            url = f"{self.authorization_url}{sep}{urlencode(query)}"
            # Ask first: a server that refuses the request (unknown client,
            # redirect URI not allowed) says why here, not in a browser tab.
            check = yield Request("GET", url, headers=(("Accept", "application/json"),))
            check.exchange.purpose = f"oauth2 authorization request for {request.url}"
            if check.status_code >= 400:
                check_response("authorization request", check.status_code, check.content)
            self.opener(url)
            answer = loop.wait(self.timeout)
        if answer is None:
            raise OAuthError(
                "authorization",
                "timeout",
                f"no redirect to {loop.redirect_uri} within {self.timeout:g} s",
            )
        if answer.get("state") != state:
            raise OAuthError("authorization", "state_mismatch", "the redirect's state is not ours")
        if "error" in answer or "code" not in answer:
            raise OAuthError(
                "authorization", answer.get("error", "no_code"), answer.get("error_description", "")
            )
        code = answer["code"]
        fields = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", loop.redirect_uri),
            ("code_verifier", verifier),
        ]
        token = yield from self.token_request(
            "authorization_code", fields, request, [code, verifier]
        )
        return token


def _seconds(value: object, default: float) -> float:
    return float(value) if isinstance(value, int | float) and value >= 0 else default


@dataclass(frozen=True)
class DevicePrompt:
    """What the person is asked to do (RFC 8628 section 3.3)."""

    user_code: str
    verification_uri: str
    verification_uri_complete: str | None
    expires_in: float


def _print_prompt(prompt: DevicePrompt) -> None:
    where = prompt.verification_uri_complete or prompt.verification_uri
    print(f"To sign in, open {where} and enter the code {prompt.user_code}", file=sys.stderr)


class OAuth2DeviceCode(OAuth2Base):
    """Sign in on another device: reqlab shows a URL and a code, then polls.

    ``prompt`` tells the person (default: a line on stderr); ``sleep`` is
    how the poll waits (the server's ``interval``, longer after ``slow_down``).
    """

    grant = "device_code"

    def __init__(
        self,
        device_authorization_url: str,
        token_url: str,
        client_id: str,
        client_secret: str | None = None,
        scope: str | None = None,
        *,
        prompt: Callable[[DevicePrompt], Any] = _print_prompt,
        sleep: Callable[[float], Any] = time.sleep,
        client_auth: ClientAuthMethod | None = None,
        cache: TokenCache | None = None,
    ) -> None:
        super().__init__(
            token_url, client_id, client_secret, scope, client_auth=client_auth, cache=cache
        )
        self.device_authorization_url = device_authorization_url
        self.prompt = prompt
        self.sleep = sleep

    def obtain(self, request: Request) -> Flow:
        fields = [("scope", self.scope)] if self.scope else []
        data, _, _ = yield from self.post(
            "device authorization", self.device_authorization_url, fields, request, []
        )
        device_code = data.get("device_code")
        user_code = data.get("user_code")
        uri = data.get("verification_uri") or data.get("verification_url")
        if not all(isinstance(v, str) for v in (device_code, user_code, uri)):
            raise OAuthError(
                "device authorization",
                "invalid_response",
                "missing device_code, user_code or verification_uri",
            )
        assert isinstance(device_code, str)
        complete = data.get("verification_uri_complete")
        expires_in = _seconds(data.get("expires_in"), 600.0)
        interval = _seconds(data.get("interval"), 5.0)  # RFC 8628 3.2: 5 s if not given
        self.prompt(
            DevicePrompt(
                str(user_code),
                str(uri),
                complete if isinstance(complete, str) else None,
                expires_in,
            )
        )
        deadline = time.monotonic() + expires_in
        poll = [("grant_type", DEVICE_GRANT), ("device_code", device_code)]
        while True:
            self.sleep(interval)
            try:
                token = yield from self.token_request("device_code", poll, request, [device_code])
            except OAuthError as exc:
                if exc.error == "slow_down":
                    interval += 5  # RFC 8628 section 3.5
                elif exc.error != "authorization_pending" or time.monotonic() > deadline:
                    raise
                continue
            return token
