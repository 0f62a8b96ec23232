"""OAuth 2.0 authorization code + PKCE, a person signing in in Debian's chromium
(driven by Playwright), reqlab listening on a loopback redirect URI."""

from __future__ import annotations

import json
import os
import re
import urllib.request
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest

import reqlab
from reqlab.auth import MemoryTokenCache, OAuth2AuthorizationCode, OAuthError

from .oauth_server import Client, Store, oauth_server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


@pytest.fixture
def server() -> Iterator[tuple[str, Store]]:
    with oauth_server() as (url, store):
        store.clients["app"] = Client("app", auth_method="none")
        store.clients["strict"] = Client("strict", auth_method="none", loopback_any_port=False)
        yield url, store


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


def person(browser: object, decision: str = "approve") -> tuple[list[str], object]:
    """An opener that signs in as alice in a real browser page."""
    opened: list[str] = []
    page = browser.new_page()  # type: ignore[attr-defined]

    def opener(url: str) -> None:
        opened.append(url)
        page.goto(url)
        page.fill("input[name=username]", "alice")
        page.click(f"button[value={decision}]")
        page.wait_for_url(re.compile(r"http://127\.0\.0\.1:\d+/callback\?"))

    return opened, opener


def make(url: str, client_id: str = "app", **kw: object) -> OAuth2AuthorizationCode:
    return OAuth2AuthorizationCode(
        url + "/authorize",
        url + "/token",
        client_id,
        scope="read",
        cache=MemoryTokenCache(),
        timeout=20,
        **kw,  # type: ignore[arg-type]
    )


@pytest.mark.browser
def test_sign_in_in_the_browser_then_refresh_without_it(
    server: tuple[str, Store], browser: object
) -> None:
    url, store = server
    store.expires_in = 10  # inside the renewal margin: the next request refreshes
    opened, opener = person(browser)
    auth = make(url, opener=opener)
    with reqlab.Client(auth=auth) as client:
        r = client.get(url + "/api/me")
        assert r.status_code == 200, r.text
        assert r.json() == {"user": "alice", "client": "app"}
        again = client.get(url + "/api/me")
    assert again.status_code == 200 and len(opened) == 1  # no second sign-in
    query = parse_qs(urlsplit(opened[0]).query)
    assert query["code_challenge_method"] == ["S256"] and query["state"][0]
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/callback", query["redirect_uri"][0])
    grants = [t["grant_type"] for t in store.token_requests]
    assert grants == ["authorization_code", "refresh_token"]
    assert store.token_requests[0]["code_verifier"]
    check, exchange = r.history
    assert check.purpose.startswith("oauth2 authorization request")
    record = json.dumps(exchange.to_json())
    for secret in (
        store.token_requests[0]["code"],
        store.token_requests[0]["code_verifier"],
        store.tokens[0].access_token,
    ):
        assert secret not in record
    assert again.history[0].purpose == f"oauth2 token request (refresh) for GET {url}/api/me"


@pytest.mark.browser
def test_the_person_says_no(server: tuple[str, Store], browser: object) -> None:
    url, _ = server
    _, opener = person(browser, "deny")
    with pytest.raises(OAuthError, match=r"^OAuth 2.0 authorization failed: access_denied"):
        reqlab.get(url + "/api/me", auth=make(url, opener=opener))


def test_redirect_uri_mismatch_is_reported_before_any_browser(server: tuple[str, Store]) -> None:
    url, _ = server
    opened: list[str] = []
    with pytest.raises(OAuthError) as caught:
        reqlab.get(url + "/api/me", auth=make(url, "strict", opener=opened.append))
    assert opened == []
    message = str(caught.value)
    assert message.startswith(
        "OAuth 2.0 authorization request failed (HTTP 400): invalid_request: "
    )
    assert "Redirect URI" in message


def test_a_forged_redirect_with_another_state_is_refused(server: tuple[str, Store]) -> None:
    url, store = server

    def attacker(auth_url: str) -> None:
        redirect = parse_qs(urlsplit(auth_url).query)["redirect_uri"][0]
        urllib.request.urlopen(redirect + "?code=stolen&state=forged").read()

    with pytest.raises(OAuthError, match="state_mismatch"):
        reqlab.get(url + "/api/me", auth=make(url, opener=attacker))
    assert store.token_requests == []  # the code was never sent


def test_nobody_comes_back(server: tuple[str, Store]) -> None:
    url, _ = server
    auth = OAuth2AuthorizationCode(
        url + "/authorize",
        url + "/token",
        "app",
        scope="read",
        cache=MemoryTokenCache(),
        timeout=0.2,
        opener=lambda u: None,
    )
    with pytest.raises(
        OAuthError,
        match=r"authorization failed: timeout: no redirect to http://127\.0\.0\.1:\d+/callback within 0.2 s",
    ):
        reqlab.get(url + "/api/me", auth=auth)
