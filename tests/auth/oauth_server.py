"""A real OAuth 2.0 authorization server for the tests, built on Authlib + Flask.

In memory, on 127.0.0.1 and a free port.  Grants: client credentials,
authorization code with PKCE (S256 required for public clients), refresh
token (rotated), device code (RFC 8628).  Client authentication:
client_secret_basic, client_secret_post, private_key_jwt (RFC 7523), none.
``/api/me`` is a resource protected by the tokens (401 invalid_token when
expired or revoked).  Loopback redirect URIs match on any port (RFC 8252
7.3) for clients registered with ``http://127.0.0.1/callback``.
"""

from __future__ import annotations

import html
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector, current_token
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6750 import BearerTokenValidator
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc8628 import (
    DeviceAuthorizationEndpoint,
    DeviceCodeGrant,
    DeviceCredentialDict,
)
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from flask import Flask, jsonify, request
from joserfc.jwk import import_key
from werkzeug.serving import make_server

os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")  # plain http on 127.0.0.1
JWT_METHOD = JWTBearerClientAssertion.CLIENT_AUTH_METHOD


@dataclass
class Client:
    client_id: str
    client_secret: str = ""
    auth_method: str = "client_secret_basic"
    redirect_uris: list[str] = field(default_factory=lambda: ["http://127.0.0.1/callback"])
    loopback_any_port: bool = True
    grant_types: tuple[str, ...] = (
        "client_credentials",
        "authorization_code",
        "refresh_token",
        DeviceCodeGrant.GRANT_TYPE,
    )
    scope: str = "read write"
    public_key_pem: bytes | None = None

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str | None) -> str:
        allowed = set(self.scope.split())
        return " ".join(s for s in (scope or "").split() if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        if redirect_uri in self.redirect_uris:
            return True
        if not self.loopback_any_port:
            return False
        got = urlsplit(redirect_uri)
        return any(
            got.hostname == "127.0.0.1" and got.scheme == "http" and got.path == urlsplit(r).path
            for r in self.redirect_uris
        )

    def check_client_secret(self, client_secret: str) -> bool:
        return bool(self.client_secret) and client_secret == self.client_secret

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == self.auth_method

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in self.grant_types


@dataclass
class Token:
    client_id: str
    access_token: str
    refresh_token: str | None
    scope: str
    expires_in: int
    issued_at: float = field(default_factory=time.time)
    revoked: bool = False
    user: str | None = None

    def check_client(self, client: Client) -> bool:
        return client.client_id == self.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return self.expires_in

    def is_expired(self) -> bool:
        return time.time() > self.issued_at + self.expires_in

    def is_revoked(self) -> bool:
        return self.revoked

    def get_user(self) -> str | None:
        return self.user


@dataclass
class Code:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: str
    code_challenge: str | None
    code_challenge_method: str | None

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> None:
        return None

    def get_auth_time(self) -> None:
        return None

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> None:
        return None


class Store:
    """Everything the server knows, for the tests to look at and change."""

    def __init__(self) -> None:
        self.clients: dict[str, Client] = {}
        self.tokens: list[Token] = []
        self.codes: dict[str, Code] = {}
        self.devices: dict[str, DeviceCredentialDict] = {}
        self.grants: dict[str, tuple[str, bool]] = {}  # user_code -> (user, approved)
        self.jtis: set[str] = set()
        self.token_requests: list[dict[str, str]] = []
        self.expires_in = 3600

    def token(self, access: str) -> Token | None:
        return next((t for t in self.tokens if t.access_token == access), None)

    def approve_device(self, user_code: str, user: str = "alice", approved: bool = True) -> None:
        self.grants[user_code] = (user, approved)


def build_app(store: Store, base_url: list[str]) -> Flask:
    app = Flask("reqlab-test-oauth")

    def save_token(token: dict[str, Any], req: Any) -> None:
        user = getattr(req, "user", None)
        store.tokens.append(
            Token(
                client_id=req.client.client_id,
                access_token=token["access_token"],
                refresh_token=token.get("refresh_token"),
                scope=token.get("scope", ""),
                expires_in=int(token["expires_in"]),
                user=user,
            )
        )

    server = AuthorizationServer(app, query_client=store.clients.get, save_token=save_token)
    server.register_token_generator("default", _generator(store))

    class JWTAuth(JWTBearerClientAssertion):
        def get_audiences(self) -> list[str]:
            return [base_url[0] + "/token", base_url[0] + "/device_authorization"]

        def validate_jti(self, claims: Any, jti: str) -> bool:
            if jti in store.jtis:
                return False
            store.jtis.add(jti)
            return True

        def resolve_client_public_key(self, client: Client) -> Any:
            pem = client.public_key_pem or b""
            kind = "RSA" if isinstance(load_pem_public_key(pem), rsa.RSAPublicKey) else "EC"
            return import_key(pem, kind)

    server.register_client_auth_method(JWT_METHOD, JWTAuth())
    methods = ["client_secret_basic", "client_secret_post", JWT_METHOD, "none"]

    class ClientCredentials(grants.ClientCredentialsGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = methods

    class AuthorizationCode(grants.AuthorizationCodeGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = methods

        def save_authorization_code(self, code: str, req: Any) -> None:
            store.codes[code] = Code(
                code,
                req.client.client_id,
                req.payload.redirect_uri,
                req.payload.scope or "",
                req.user,
                req.payload.data.get("code_challenge"),
                req.payload.data.get("code_challenge_method"),
            )

        def query_authorization_code(self, code: str, client: Client) -> Code | None:
            item = store.codes.get(code)
            return item if item and item.client_id == client.client_id else None

        def delete_authorization_code(self, item: Code) -> None:
            store.codes.pop(item.code, None)

        def authenticate_user(self, item: Code) -> str:
            return item.user

    class Refresh(grants.RefreshTokenGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = methods
        INCLUDE_NEW_REFRESH_TOKEN = True

        def authenticate_refresh_token(self, refresh_token: str) -> Token | None:
            for t in store.tokens:
                if t.refresh_token == refresh_token and not t.revoked:
                    return t
            return None

        def authenticate_user(self, credential: Token) -> str | None:
            return credential.user

        def revoke_old_credential(self, credential: Token) -> None:
            credential.revoked = True

    class Device(DeviceCodeGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = methods

        def query_device_credential(self, device_code: str) -> DeviceCredentialDict | None:
            return store.devices.get(device_code)

        def query_user_grant(self, user_code: str) -> tuple[str, bool] | None:
            return store.grants.get(user_code)

        def should_slow_down(self, credential: Any) -> bool:
            return False

    class DeviceEndpoint(DeviceAuthorizationEndpoint):
        CLIENT_AUTH_METHODS = methods
        INTERVAL = 0  # the tests approve before the first poll

        def get_verification_uri(self) -> str:
            return base_url[0] + "/device"

        def save_device_credential(self, client_id: str, scope: str, data: dict[str, Any]) -> None:
            store.devices[data["device_code"]] = DeviceCredentialDict(
                client_id=client_id, scope=scope, expires_at=time.time() + 600, **data
            )

    server.register_grant(ClientCredentials)
    server.register_grant(AuthorizationCode, [CodeChallenge(required=True)])
    server.register_grant(Refresh)
    server.register_grant(Device)
    server.register_endpoint(DeviceEndpoint)

    class Validator(BearerTokenValidator):
        def authenticate_token(self, token_string: str) -> Token | None:
            return store.token(token_string)

    protect = ResourceProtector()
    protect.register_token_validator(Validator())

    @app.post("/token")
    def token() -> Any:
        store.token_requests.append(dict(request.form))
        return server.create_token_response()

    @app.post("/device_authorization")
    def device_authorization() -> Any:
        return server.create_endpoint_response(DeviceEndpoint.ENDPOINT_NAME)

    @app.route("/authorize", methods=["GET", "POST"])
    def authorize() -> Any:
        if request.method == "GET":
            try:
                grant = server.get_consent_grant(end_user="alice")
            except OAuth2Error as error:
                return server.handle_error_response(request, error)
            return _consent_page(grant.client.client_id, request.query_string.decode())
        user = request.form.get("username") or None
        grant = server.get_consent_grant(end_user=user)
        return server.create_authorization_response(
            grant=grant, grant_user=user if request.form.get("decision") == "approve" else None
        )

    @app.get("/api/me")
    @protect("read")
    def me() -> Any:
        return jsonify(user=current_token.user, client=current_token.client_id)

    return app


def _generator(store: Store) -> Any:
    from authlib.common.security import generate_token
    from authlib.oauth2.rfc6750 import BearerTokenGenerator

    return BearerTokenGenerator(
        access_token_generator=lambda *a, **k: generate_token(40),
        refresh_token_generator=lambda *a, **k: generate_token(48),
        expires_generator=lambda *a, **k: store.expires_in,
    )


def _consent_page(client_id: str, query: str) -> str:
    return f"""<!doctype html><title>Sign in</title>
<h1>Sign in to {html.escape(client_id)}</h1>
<form method="post" action="/authorize?{html.escape(query)}">
<label>User <input name="username" value=""></label>
<button name="decision" value="approve">Approve</button>
<button name="decision" value="deny">Deny</button>
</form>"""


@contextmanager
def oauth_server() -> Iterator[tuple[str, Store]]:
    """Run the server in a thread; yields (base URL, store)."""
    store = Store()
    base: list[str] = [""]
    app = build_app(store, base)
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    base[0] = f"http://127.0.0.1:{httpd.server_port}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield base[0], store
    finally:
        httpd.shutdown()
        thread.join(timeout=5)
