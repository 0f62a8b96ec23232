"""OAuth 2.0 building blocks (pure): tokens, token requests, client
authentication, PKCE, and the one error every failed step raises.

A token endpoint gets a form POST (RFC 6749 section 3.2); the client proves
who it is in one of three ways (RFC 6749 2.3.1, RFC 7523):

    client_secret_basic   Authorization: Basic base64(urlenc(id):urlenc(secret))
    client_secret_post    client_id and client_secret in the form
    private_key_jwt       client_assertion = a JWT signed with the client's key

:class:`OAuthError` names the step that failed and what the server said
(``error`` and ``error_description``), never a secret.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import quote_plus

from reqlab.errors import AuthError
from reqlab.model import FormBody, Header, Request

ClientAuthMethod = Literal["client_secret_basic", "client_secret_post", "private_key_jwt", "none"]
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
REFRESH_MARGIN = 30.0  # seconds: a token this close to expiry is renewed first


class OAuthError(AuthError):
    """One OAuth 2.0 step failed: ``step``, and the server's ``error``/``description``."""

    def __init__(
        self, step: str, error: str, description: str = "", status: int | None = None
    ) -> None:
        self.step, self.error, self.description, self.status = step, error, description, status
        said = f"{error}: {description}" if description else error
        http = f" (HTTP {status})" if status else ""
        super().__init__(f"OAuth 2.0 {step} failed{http}: {said}")


@dataclass(frozen=True)
class Token:
    access_token: str
    token_type: str = "Bearer"
    expires_at: float | None = None  # epoch seconds; None: the server did not say
    refresh_token: str | None = None
    scope: str | None = None

    def fresh(self, now: float | None = None, margin: float = REFRESH_MARGIN) -> bool:
        """Still usable for ``margin`` more seconds."""
        if self.expires_at is None:
            return True
        return (time.time() if now is None else now) + margin < self.expires_at

    def __repr__(self) -> str:
        refresh = ", refresh_token=***" if self.refresh_token else ""
        return (
            f"Token(access_token=***, expires_at={self.expires_at}{refresh}, scope={self.scope!r})"
        )


def json_object(body: bytes) -> dict[str, object]:
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def check_response(step: str, status: int, body: bytes) -> dict[str, object]:
    """The JSON object of a 2xx answer, or :class:`OAuthError` with what the server said."""
    data = json_object(body)
    if 200 <= status < 300 and "error" not in data:
        return data
    error = str(data.get("error") or f"HTTP {status}")
    description = str(data.get("error_description") or "")
    if not data:
        description = description or body[:200].decode("utf-8", "replace").strip()
    raise OAuthError(step, error, description, status)


def parse_token(step: str, status: int, body: bytes, now: float | None = None) -> Token:
    data = check_response(step, status, body)
    access = data.get("access_token")
    if not isinstance(access, str) or not access:
        raise OAuthError(step, "invalid_response", "the answer has no access_token", status)
    expires_in = data.get("expires_in")
    issued = time.time() if now is None else now
    refresh = data.get("refresh_token")
    scope = data.get("scope")
    return Token(
        access_token=access,
        token_type=str(data.get("token_type") or "Bearer"),
        expires_at=issued + float(expires_in) if isinstance(expires_in, int | float) else None,
        refresh_token=refresh if isinstance(refresh, str) else None,
        scope=scope if isinstance(scope, str) else None,
    )


# ------------------------------------------------------------- client auth

Signer = Callable[[str, str], str]  # (client_id, audience) -> a signed JWT


@dataclass(frozen=True)
class ClientAuth:
    """How the client authenticates at the token endpoint."""

    client_id: str
    client_secret: str | None = None
    method: ClientAuthMethod = "client_secret_basic"
    signer: Signer | None = field(default=None, repr=False)  # private_key_jwt

    def __repr__(self) -> str:
        return (
            f"ClientAuth(client_id={self.client_id!r}, client_secret=***, method={self.method!r})"
        )

    def apply(
        self, fields: list[tuple[str, str]], audience: str
    ) -> tuple[list[tuple[str, str]], list[Header], list[str]]:
        """(form fields, headers, the secrets used) for one token request."""
        headers: list[Header] = []
        used: list[str] = []
        if self.method == "client_secret_basic":
            pair = f"{quote_plus(self.client_id)}:{quote_plus(self.client_secret or '')}"
            basic = base64.b64encode(pair.encode()).decode()
            headers.append(("Authorization", f"Basic {basic}"))
            used += [basic, self.client_secret or ""]
        elif self.method == "client_secret_post":
            fields += [("client_id", self.client_id), ("client_secret", self.client_secret or "")]
            used.append(self.client_secret or "")
        elif self.method == "private_key_jwt":
            if self.signer is None:
                raise OAuthError("client authentication", "private_key_jwt needs a private key")
            assertion = self.signer(self.client_id, audience)
            fields += [
                ("client_id", self.client_id),
                ("client_assertion_type", ASSERTION_TYPE),
                ("client_assertion", assertion),
            ]
            used.append(assertion)
        else:
            fields.append(("client_id", self.client_id))
        return fields, headers, [s for s in used if s]


def form_request(url: str, fields: list[tuple[str, str]], headers: list[Header]) -> Request:
    """A POST of ``fields`` to ``url`` asking for JSON."""
    return Request(
        "POST",
        url,
        headers=(("Accept", "application/json"), *headers),
        body=FormBody(tuple(fields)),
    )


# ------------------------------------------------------------------- PKCE


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge), RFC 7636."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
