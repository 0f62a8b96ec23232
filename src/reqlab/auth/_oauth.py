"""OAuth 2.0 as ``auth=``: get a token, keep it, renew it, send it.

Theory of operation.  ``auth_flow`` runs before each request is sent:

    cached token still fresh (30 s margin)      -> use it
    cached token expiring, has a refresh_token  -> refresh (RFC 6749 section 6)
    refresh refused with invalid_grant, or none -> obtain a new one (the grant)

Token requests are yielded to the client that is sending, so they go out on
the same engine and appear in the response's ``history`` as their own
exchanges, each with ``purpose`` naming the request that needed it, and with
every secret in them (client secret, assertion, code, tokens) replaced by
``***``.  A 401 with ``error="invalid_token"`` (expired or revoked early)
marks the cached token stale and the client retries once.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import replace
from typing import Any
from urllib.parse import quote_plus

from reqlab.auth._jwt import private_key_signer
from reqlab.auth._oauth_cache import DEFAULT_CACHE, TokenCache, cache_key
from reqlab.auth._oauth_token import (
    ClientAuth,
    ClientAuthMethod,
    OAuthError,
    Token,
    check_response,
    form_request,
    json_object,
    parse_token,
)
from reqlab.client._record import Exchange
from reqlab.model import Request

Flow = Generator[Request, Any, Token]
MASK = "***"


def mask_exchange(exchange: Exchange, secrets: list[str]) -> None:
    """Replace each secret (as written and form-encoded) with ``***`` in the record."""
    forms = {s for secret in secrets if secret for s in (secret, quote_plus(secret, safe="*"))}
    if not forms:
        return

    def clean(text: str) -> str:
        for secret in sorted(forms, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return text

    exchange.request_headers = [(n, clean(v)) for n, v in exchange.request_headers]
    exchange.response_headers = [(n, clean(v)) for n, v in exchange.response_headers]
    if exchange.request_raw is not None:
        exchange.request_raw = clean(exchange.request_raw.decode("latin-1")).encode("latin-1")
    exchange.request_body = clean(exchange.request_body.decode("latin-1")).encode("latin-1")
    exchange.body = clean(exchange.body.decode("latin-1")).encode("latin-1")


def _client_auth(
    client_id: str,
    client_secret: str | None,
    method: ClientAuthMethod | None,
    private_key: bytes | str | None,
    key_id: str | None,
) -> ClientAuth:
    if method is None:
        method = (
            "private_key_jwt" if private_key else "client_secret_basic" if client_secret else "none"
        )
    signer = private_key_signer(private_key, key_id) if private_key else None
    return ClientAuth(client_id, client_secret, method, signer)


class OAuth2Base:
    """What every grant shares: the cache, refresh, token requests, the retry."""

    grant = "oauth2"

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str | None = None,
        scope: str | None = None,
        *,
        client_auth: ClientAuthMethod | None = None,
        private_key: bytes | str | None = None,
        key_id: str | None = None,
        cache: TokenCache | None = None,
    ) -> None:
        self.token_url = token_url
        self.client_id = client_id
        self.scope = scope
        self.client = _client_auth(client_id, client_secret, client_auth, private_key, key_id)
        self.cache: TokenCache = cache if cache is not None else DEFAULT_CACHE
        self.key = cache_key(token_url, client_id, scope)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(token_url={self.token_url!r}, client_id={self.client_id!r}, "
            f"client_secret=***, scope={self.scope!r}, client_auth={self.client.method!r})"
        )

    # -- the client's hooks
    def auth_flow(self, request: Request) -> Generator[Request, Any, Request]:
        token = yield from self.token_flow(request)
        kind = "Bearer" if token.token_type.lower() == "bearer" else token.token_type
        headers = [h for h in request.headers if h[0].lower() != "authorization"]
        value = f"{kind} {token.access_token}"
        return replace(request, headers=(*headers, ("Authorization", value)), auth=None)

    def should_retry(self, response: Any) -> bool:
        """After a 401: was the token refused (expired or revoked early)?"""
        challenge = response.headers.get("www-authenticate") or ""
        if not challenge.lower().startswith("bearer") or "invalid_token" not in challenge:
            return False
        token = self.cache.get(self.key)
        if token is not None:
            self.cache.put(self.key, replace(token, expires_at=0.0))  # stale; refresh next
        return True

    # -- getting a token
    def token_flow(self, request: Request) -> Flow:
        token = self.cache.get(self.key)
        if token is not None and token.fresh():
            return token
        if token is not None and token.refresh_token:
            try:
                fresh = yield from self.refresh(token, request)
            except OAuthError as exc:
                if exc.error != "invalid_grant":
                    raise
                self.cache.drop(self.key)  # the refresh token expired or was revoked
            else:
                self.cache.put(self.key, fresh)
                return fresh
        token = yield from self.obtain(request)
        self.cache.put(self.key, token)
        return token

    def obtain(self, request: Request) -> Flow:
        raise NotImplementedError
        yield  # pragma: no cover

    def refresh(self, token: Token, request: Request) -> Flow:
        assert token.refresh_token is not None
        fields = [("grant_type", "refresh_token"), ("refresh_token", token.refresh_token)]
        if self.scope:
            fields.append(("scope", self.scope))
        new = yield from self.token_request("refresh", fields, request, [token.refresh_token])
        if new.refresh_token is None:  # the server may keep the old one valid (RFC 6749 6)
            new = replace(new, refresh_token=token.refresh_token)
        return new

    def token_request(
        self, step: str, fields: list[tuple[str, str]], request: Request, secrets: list[str]
    ) -> Flow:
        _, status, body = yield from self.post(
            f"token request ({step})", self.token_url, fields, request, secrets
        )
        return parse_token(f"token request ({step})", status, body)

    def post(
        self,
        step: str,
        url: str,
        fields: list[tuple[str, str]],
        request: Request,
        secrets: list[str],
    ) -> Generator[Request, Any, tuple[dict[str, object], int, bytes]]:
        """POST a form to the authorization server; the record is masked."""
        fields, headers, used = self.client.apply(list(fields), url)
        response = yield form_request(url, fields, headers)
        exchange: Exchange = response.exchange
        status, body = exchange.status, bytes(response.content)
        exchange.purpose = f"oauth2 {step} for {request.method} {request.url}"
        found = _token_values(body)
        mask_exchange(exchange, [*used, *secrets, *found])
        data = check_response(step, status, body)
        return data, status, body


def _token_values(body: bytes) -> list[str]:
    data = json_object(body)
    names = ("access_token", "refresh_token", "id_token", "device_code")
    return [v for k in names if isinstance(v := data.get(k), str)]


class OAuth2ClientCredentials(OAuth2Base):
    """The client credentials grant (RFC 6749 section 4.4): a machine's own token.

    >>> auth = OAuth2ClientCredentials("https://auth.example/token", "id", "secret", scope="read")
    """

    grant = "client_credentials"

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str | None = None,
        scope: str | None = None,
        *,
        client_auth: ClientAuthMethod | None = None,
        private_key: bytes | str | None = None,
        key_id: str | None = None,
        cache: TokenCache | None = None,
    ) -> None:
        super().__init__(
            token_url,
            client_id,
            client_secret,
            scope,
            client_auth=client_auth,
            private_key=private_key,
            key_id=key_id,
            cache=cache,
        )

    def obtain(self, request: Request) -> Flow:
        fields = [("grant_type", "client_credentials")]
        if self.scope:
            fields.append(("scope", self.scope))
        token = yield from self.token_request("client_credentials", fields, request, [])
        return token
