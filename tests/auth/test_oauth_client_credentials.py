"""OAuth 2.0 client credentials against a real Authlib authorization server."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

import reqlab
from reqlab.auth import MemoryTokenCache, OAuth2ClientCredentials, OAuthError

from .oauth_server import JWT_METHOD, Client, Store, oauth_server

SECRET = "s3cret-client-secret"


@pytest.fixture
def server() -> Iterator[tuple[str, Store]]:
    with oauth_server() as (url, store):
        store.clients["basic"] = Client("basic", SECRET, "client_secret_basic")
        store.clients["post"] = Client("post", SECRET, "client_secret_post")
        yield url, store


def make(
    url: str, client_id: str = "basic", secret: str = SECRET, **kw: object
) -> OAuth2ClientCredentials:
    return OAuth2ClientCredentials(
        url + "/token",
        client_id,
        secret,
        scope="read",
        cache=MemoryTokenCache(),
        **kw,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(("client_id", "method"), [("basic", None), ("post", "client_secret_post")])
def test_token_fetched_cached_and_masked(
    server: tuple[str, Store], client_id: str, method: str | None
) -> None:
    url, store = server
    auth = make(url, client_id, client_auth=method)
    with reqlab.Client(auth=auth) as client:
        first = client.get(url + "/api/me")
        second = client.get(url + "/api/me")
    assert first.status_code == 200 and first.json()["client"] == client_id
    assert second.status_code == 200
    assert len(store.token_requests) == 1  # the second request used the cached token
    [token_exchange] = first.history
    assert second.history == []
    assert (
        token_exchange.purpose == f"oauth2 token request (client_credentials) for GET {url}/api/me"
    )
    record = json.dumps(token_exchange.to_json())
    access = store.tokens[0].access_token
    assert SECRET not in record and access not in record and "***" in record
    sent = dict((n.lower(), v) for n, v in first.exchange.request_headers)
    assert sent["authorization"] == f"Bearer {access}"  # the record shows what was sent
    assert SECRET not in repr(auth)


def test_private_key_jwt_rsa_and_ec(server: tuple[str, Store]) -> None:
    url, store = server
    for name, key in [
        ("rsa", rsa.generate_private_key(65537, 2048)),
        ("ec", ec.generate_private_key(ec.SECP256R1())),
    ]:
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        public = key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        store.clients[name] = Client(name, auth_method=JWT_METHOD, public_key_pem=public)
        auth = make(url, name, "", private_key=pem)
        r = reqlab.get(url + "/api/me", auth=auth)
        assert r.status_code == 200, r.text
        assert store.token_requests[-1]["client_assertion_type"].endswith(":jwt-bearer")
        assert store.token_requests[-1]["client_assertion"] not in json.dumps(
            r.history[0].to_json()
        )


def test_wrong_client_secret_names_the_step_and_the_server_words(server: tuple[str, Store]) -> None:
    url, _ = server
    with pytest.raises(OAuthError) as caught:
        reqlab.get(url + "/api/me", auth=make(url, secret="wrong-secret"))
    message = str(caught.value)
    assert message.startswith(
        "OAuth 2.0 token request (client_credentials) failed (HTTP 401): invalid_client"
    )
    assert "wrong-secret" not in message and caught.value.error == "invalid_client"


def test_revoked_token_is_replaced_and_the_request_retried(server: tuple[str, Store]) -> None:
    url, store = server
    auth = make(url)
    with reqlab.Client(auth=auth) as client:
        assert client.get(url + "/api/me").status_code == 200
        store.tokens[0].revoked = True
        r = client.get(url + "/api/me")
    assert r.status_code == 200
    assert [e.status for e in r.history] == [401, 200]  # refused, then a new token
    assert len(store.token_requests) == 2


def test_expiring_token_is_refreshed_before_it_runs_out(server: tuple[str, Store]) -> None:
    url, store = server
    store.expires_in = 10  # within the 30 s margin: renewed on next use
    auth = make(url)
    with reqlab.Client(auth=auth) as client:
        client.get(url + "/api/me")
        r = client.get(url + "/api/me")
    assert r.status_code == 200 and len(store.token_requests) == 2


def test_async_client(server: tuple[str, Store]) -> None:
    import asyncio

    url, _ = server

    async def go() -> int:
        async with reqlab.AsyncClient(auth=make(url)) as client:
            return (await client.get(url + "/api/me")).status_code

    assert asyncio.run(go()) == 200


def test_token_request_keeps_the_client_timeout(echo_url: str) -> None:
    import socket

    from reqlab.errors import RequestTimeout

    with socket.socket() as silent:  # accepts (the kernel does) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        token_url = f"http://127.0.0.1:{silent.getsockname()[1]}/token"
        auth = OAuth2ClientCredentials(token_url, "id", SECRET, cache=MemoryTokenCache())
        with reqlab.Client(auth=auth, timeout=0.3) as client, pytest.raises(RequestTimeout):
            client.get(echo_url + "/get")


def test_streamed_requests_get_their_token_too(server: tuple[str, Store]) -> None:
    import asyncio

    url, store = server
    with reqlab.Client(auth=make(url)) as client, client.stream("GET", url + "/api/me") as r:
        assert r.status_code == 200 and json.loads(r.read())["client"] == "basic"
        assert r.history[0].purpose.startswith("oauth2 token request")

    async def go() -> bytes:
        async with (
            reqlab.AsyncClient(auth=make(url)) as client,
            client.stream("GET", url + "/api/me") as r,
        ):
            return await r.aread()

    assert json.loads(asyncio.run(go()))["client"] == "basic"
    assert len(store.token_requests) == 2
