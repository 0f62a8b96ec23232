"""OAuth 2.0 device authorization (RFC 8628) against the Authlib server."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

import reqlab
from reqlab.auth import MemoryTokenCache, OAuth2DeviceCode, OAuthError
from reqlab.auth._oauth_flows import DevicePrompt

from .oauth_server import Client, Store, oauth_server


@pytest.fixture
def server() -> Iterator[tuple[str, Store]]:
    with oauth_server() as (url, store):
        store.clients["tv"] = Client("tv", auth_method="none")
        yield url, store


def make(url: str, prompt: object, **kw: object) -> OAuth2DeviceCode:
    return OAuth2DeviceCode(
        url + "/device_authorization",
        url + "/token",
        "tv",
        scope="read",
        prompt=prompt,
        cache=MemoryTokenCache(),
        **kw,  # type: ignore[arg-type]
    )


def test_person_approves_on_another_device(server: tuple[str, Store]) -> None:
    url, store = server
    prompts: list[DevicePrompt] = []
    waits: list[float] = []
    pending = [True]

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        if not pending[0]:
            return
        pending[0] = False  # first poll: still pending; the person approves after it
        store.approve_device(prompts[0].user_code)

    def prompt(p: DevicePrompt) -> None:
        prompts.append(p)

    r = reqlab.get(url + "/api/me", auth=make(url, prompt, sleep=sleep))
    assert r.status_code == 200 and r.json()["user"] == "alice"
    assert prompts[0].verification_uri == url + "/device"
    assert prompts[0].verification_uri_complete.endswith("user_code=" + prompts[0].user_code)
    purposes = [e.purpose for e in r.history]
    assert purposes[0] == f"oauth2 device authorization for GET {url}/api/me"
    device_code = store.token_requests[-1]["device_code"]
    assert device_code not in json.dumps([e.to_json() for e in r.history])


def test_pending_then_approved_polls_again(server: tuple[str, Store]) -> None:
    url, store = server
    prompts: list[DevicePrompt] = []
    polls = []

    def sleep(seconds: float) -> None:
        polls.append(seconds)
        if len(polls) == 2:
            store.approve_device(prompts[0].user_code)

    r = reqlab.get(url + "/api/me", auth=make(url, prompts.append, sleep=sleep))
    assert r.status_code == 200
    assert [t["grant_type"].rsplit(":", 1)[-1] for t in store.token_requests] == ["device_code"] * 2
    assert [e.status for e in r.history] == [200, 400, 200]  # authorize, pending, token


def test_denied_is_one_message(server: tuple[str, Store]) -> None:
    url, store = server
    prompts: list[DevicePrompt] = []

    def deny(seconds: float) -> None:
        store.approve_device(prompts[0].user_code, approved=False)

    with pytest.raises(OAuthError) as caught:
        reqlab.get(url + "/api/me", auth=make(url, prompts.append, sleep=deny))
    assert str(caught.value).startswith(
        "OAuth 2.0 token request (device_code) failed (HTTP 400): access_denied"
    )


def signed_in(url: str, store: Store) -> tuple[OAuth2DeviceCode, list[DevicePrompt], reqlab.Client]:
    prompts: list[DevicePrompt] = []

    def approve(seconds: float) -> None:
        store.approve_device(prompts[-1].user_code)

    auth = make(url, prompts.append, sleep=approve)
    client = reqlab.Client(auth=auth)
    assert client.get(url + "/api/me").status_code == 200
    return auth, prompts, client


def test_revoked_refresh_token_falls_back_to_signing_in(server: tuple[str, Store]) -> None:
    url, store = server
    store.expires_in = 10  # inside the renewal margin
    auth, prompts, client = signed_in(url, store)
    for token in store.tokens:
        token.revoked = True  # the refresh token too
    with client:
        r = client.get(url + "/api/me")
    assert r.status_code == 200 and len(prompts) == 2
    steps = [e.purpose.split(" for ")[0] for e in r.history if e.purpose]
    assert steps[0] == "oauth2 token request (refresh)" and r.history[0].status == 400
    assert steps[1] == "oauth2 device authorization"


def test_refresh_refused_otherwise_is_one_message(server: tuple[str, Store]) -> None:
    url, store = server
    store.expires_in = 10
    auth, prompts, client = signed_in(url, store)
    store.clients["tv"].auth_method = "client_secret_post"  # the server stops accepting this client
    with client, pytest.raises(OAuthError) as caught:
        client.get(url + "/api/me")
    assert str(caught.value).startswith(
        "OAuth 2.0 token request (refresh) failed (HTTP 401): invalid_client"
    )
    assert len(prompts) == 1
