"""The Authorization tab in Debian's chromium against a real Authlib server:
OAuth 2.0 authorization code with PKCE signed in in a popup, the token's
expiry shown, a send that uses it; a workspace request inheriting its
environment's client-credentials configuration, whose token request shows
as its own exchange under the response; secrets masked with Show."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator

import pytest
from tests.web._chromium import ARGS, CHROMIUM
from tests.web.test_browser import shot, wait_js

from reqlab.web.testing import Workbench, start_workbench

from .oauth_server import Client, Store, oauth_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("web-browser"),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]
playwright_api = pytest.importorskip("playwright.sync_api")
SECRET = "br0wser-cl1ent-s3cret"


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, Store]]:
    with oauth_server() as (url, store):
        store.clients["app"] = Client("app", "", "none")
        store.clients["svc"] = Client("svc", SECRET, "client_secret_basic")
        yield url, store


@pytest.fixture(scope="module")
def wb(tmp_path_factory: pytest.TempPathFactory, server: tuple[str, Store]) -> Iterator[Workbench]:
    url, _ = server
    root = tmp_path_factory.mktemp("authws")
    os.environ["XDG_DATA_HOME"] = str(root / "data")  # the workspace token file
    ws = root / "ws"
    ws.mkdir()
    public = {
        "dev": {
            "oauth": url,
            "Security": {
                "Auth": {
                    "svc": {
                        "Type": "OAuth2",
                        "Grant Type": "Client Credentials",
                        "Token URL": "{{oauth}}/token",
                        "Client ID": "svc",
                        "Scope": "read",
                    }
                },
                "Default Auth": "svc",
            },
        }
    }
    private = {"dev": {"Security": {"Auth": {"svc": {"Client Secret": SECRET}}}}}
    (ws / "http-client.env.json").write_text(json.dumps(public))
    (ws / "http-client.private.env.json").write_text(json.dumps(private))
    (ws / "me.http").write_text("### me\nGET {{oauth}}/api/me\n")
    with start_workbench(db_url=f"sqlite:///{root / 'wb.db'}", workspace=str(ws)) as workbench:
        yield workbench
    os.environ.pop("XDG_DATA_HOME", None)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, wb: Workbench):  # noqa: ANN001, ANN201
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(wb.url + "/")
    pg.wait_for_selector("body[data-ready='1']")
    yield pg
    context.close()
    assert not errors, errors


def test_authorization_code_with_pkce_in_a_popup_then_send(page, server) -> None:  # noqa: ANN001
    url, store = server
    page.get_by_role("tab", name="Auth").click()
    page.get_by_label("Auth scheme", exact=True).select_option("oauth2")
    page.get_by_label("Grant type", exact=True).select_option("authorization-code")
    page.get_by_label("Token URL", exact=True).fill(f"{url}/token")
    page.get_by_label("Authorization URL", exact=True).fill(f"{url}/authorize")
    page.get_by_label("Client ID", exact=True).fill("app")
    page.get_by_label("Scope", exact=True).fill("read")
    page.get_by_label("Client authentication", exact=True).select_option("none")
    secret = page.get_by_label("Client secret", exact=True)
    secret.fill("not-needed-here")
    assert secret.get_attribute("type") == "password"
    page.get_by_role("button", name="Show Client secret").click()
    assert secret.get_attribute("type") == "text"
    secret.fill("")
    page.get_by_label("URL", exact=True).fill(f"{url}/api/me")
    with page.context.expect_page(timeout=30_000) as popup_info:
        page.get_by_role("button", name="Get new access token").click()
    popup = popup_info.value
    popup.wait_for_selector("input[name=username]")
    popup.fill("input[name=username]", "alice")
    popup.click("button[value=approve]")
    popup.wait_for_url(re.compile(r"http://127\.0\.0\.1:\d+/callback\?"))
    line = page.locator(".auth-token-line")
    line.filter(has_text=re.compile(r"Token expires in 60 min")).wait_for(timeout=30_000)
    assert "scope read" in line.inner_text()
    shot(page, "30-auth-oauth2-token")
    exchanges = page.locator("#auth-token-exchanges li")
    assert exchanges.count() == 2  # the authorization pre-check, the code exchange
    assert "oauth2 token request (authorization_code)" in exchanges.nth(1).inner_text()
    page.get_by_role("button", name="Send").click()
    page.locator("#status").filter(has_text="200").wait_for(timeout=30_000)
    assert '"user": "alice"' in page.locator("#pretty").inner_text()
    assert page.locator("#auth-exchanges li").count() == 0  # the token got first was used
    code_grants = [r for r in store.token_requests if r.get("grant_type") == "authorization_code"]
    assert len(code_grants) == 1 and code_grants[0]["code_verifier"]  # PKCE


def test_workspace_request_inherits_the_environment_and_shows_its_token_request(
    page,  # noqa: ANN001
    server,  # noqa: ANN001
) -> None:
    url, store = server
    page.locator("#ws-tree .req", has_text="me").first.click()
    wait_js(page, "!document.getElementById('ws-bar').hidden")
    page.get_by_label("Environment", exact=True).select_option("dev")
    page.get_by_role("tab", name="Auth").click()
    assert page.get_by_label("Auth scheme", exact=True).input_value() == "inherit"
    inherited = page.locator(".auth-inherited")
    inherited.filter(has_text="Sends with OAuth 2.0 client-credentials").wait_for()
    assert "svc" in inherited.inner_text()
    page.get_by_role("button", name="Send").click()
    page.locator("#status").filter(has_text="200").wait_for(timeout=30_000)
    sent_first = page.locator("#auth-exchanges li")
    sent_first.first.wait_for()
    text = sent_first.first.inner_text()
    assert "oauth2 token request (client_credentials) for GET" in text and "/api/me" in text
    title = sent_first.first.get_attribute("title") or ""
    assert SECRET not in title and "Basic ***" in title
    page.locator(".auth-token-line").filter(has_text="Token expires in").wait_for()
    shot(page, "31-auth-inherited")
    page.get_by_role("button", name="Get new access token").click()
    page.locator("#auth-token-exchanges li").first.wait_for()
    body = page.content()
    assert SECRET not in body and all(t.access_token not in body for t in store.tokens)


def test_device_code_shows_the_code_then_the_token(page, server) -> None:  # noqa: ANN001
    url, store = server
    store.clients["tv"] = Client("tv", "", "none")
    page.get_by_role("tab", name="Auth").click()
    page.get_by_label("Auth scheme", exact=True).select_option("oauth2")
    page.get_by_label("Grant type", exact=True).select_option("device-code")
    assert page.get_by_label("Authorization URL", exact=True).is_hidden()
    page.get_by_label("Token URL", exact=True).fill(f"{url}/token")
    page.get_by_label("Device authorization URL", exact=True).fill(f"{url}/device_authorization")
    page.get_by_label("Client ID", exact=True).fill("tv")
    page.get_by_label("Client authentication", exact=True).select_option("none")
    page.get_by_role("button", name="Get new access token").click()
    code = page.locator(".auth-device .user-code")
    code.wait_for(timeout=30_000)
    store.approve_device(code.inner_text())  # the person, on their other device
    page.locator(".auth-token-line").filter(has_text="Token expires in").wait_for(timeout=60_000)
    assert page.locator(".auth-device").inner_text() == ""
