"""The web page's auth routes against a real Authlib server: a token got
with "Get new access token", its expiry shown (never the token), the token
requests as their own exchanges, secrets left out of history and share links."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from reqlab.web.testing import Workbench, start_workbench

from .oauth_server import Client, Store, oauth_server

SECRET = "w3b-cl1ent-s3cret"
KEY = "w3b-ap1-key-value"


@pytest.fixture
def server() -> Iterator[tuple[str, Store]]:
    with oauth_server() as (url, store):
        store.clients["web"] = Client("web", SECRET, "client_secret_post")
        yield url, store


@pytest.fixture
def wb(
    tmp_path: Path, server: tuple[str, Store], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Workbench]:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    url, _ = server
    ws = tmp_path / "ws"
    (ws / "team").mkdir(parents=True)
    public = {
        "dev": {
            "oauth": url,
            "Security": {
                "Auth": {
                    "api": {
                        "Type": "OAuth2",
                        "Grant Type": "Client Credentials",
                        "Token URL": "{{oauth}}/token",
                        "Client ID": "web",
                        "Client Credentials": "in body",
                        "Scope": "read",
                    }
                },
                "Default Auth": "api",
            },
        }
    }
    private = {"dev": {"key": KEY, "Security": {"Auth": {"api": {"Client Secret": SECRET}}}}}
    (ws / "http-client.env.json").write_text(json.dumps(public))
    (ws / "http-client.private.env.json").write_text(json.dumps(private))
    (ws / "me.http").write_text("### me\nGET {{oauth}}/api/me\n")
    (ws / "team" / "_folder.http").write_text("# @reqlab.auth apikey name=X-Key value={{key}}\n")
    (ws / "team" / "k.http").write_text("### k\nGET {{oauth}}/api/me\n")
    with start_workbench(db_url=f"sqlite:///{tmp_path / 'wb.db'}", workspace=str(ws)) as workbench:
        yield workbench


def oauth_form(url: str, secret: str = SECRET) -> dict[str, str]:
    return {
        "scheme": "oauth2",
        "grant": "client-credentials",
        "token_url": f"{url}/token",
        "client_id": "web",
        "client_secret": secret,
        "client_auth": "post",
        "scope": "read",
    }


def test_get_new_token_then_send_with_it(wb: Workbench, server: tuple[str, Store]) -> None:
    url, store = server
    with wb.api() as api:
        job = api.post(
            "/api/auth/token", json={"auth": oauth_form(url), "url": f"{url}/api/me"}
        ).json()
        assert job["state"] == "done", job
        assert job["token"]["expires_in"] > 3000 and job["token"]["scope"] == "read"
        assert "access_token" not in json.dumps(job["token"])
        (exchange,) = job["exchanges"]
        assert exchange["purpose"].startswith("oauth2 token request (client_credentials)")
        assert SECRET not in json.dumps(exchange) and store.tokens[
            0
        ].access_token not in json.dumps(exchange)
        sent = api.post(
            "/api/send", json={"request": {"url": f"{url}/api/me", "auth": oauth_form(url)}}
        )
        assert sent.status_code == 200, sent.text
        assert json.loads(sent.json()["response"]["body"]["text"]) == {
            "user": None,
            "client": "web",
        }
        assert len(store.token_requests) == 1  # the token got first was used
        shown = api.post("/api/auth/effective", json={"auth": oauth_form(url)}).json()
        assert shown["token"]["fresh"] is True
        history = api.get("/api/history").json()
        entry = api.get(f"/api/history/{history[0]['id']}").json()
        assert entry["request"]["auth"]["scheme"] == "oauth2"
        assert entry["request"]["auth"]["client_id"] == "web"
        assert SECRET not in json.dumps(entry)
        saved = api.post(
            "/api/requests",
            json={
                "name": "me",
                "include_secrets": True,
                "request": {"url": f"{url}/api/me", "auth": oauth_form(url)},
            },
        )
        assert SECRET not in json.dumps(api.get(f"/api/requests/{saved.json()['id']}").json())


def test_token_errors_are_one_line_and_4xx_5xx_not_500(
    wb: Workbench, server: tuple[str, Store]
) -> None:
    url, _ = server
    with wb.api() as api:
        job = api.post("/api/auth/token", json={"auth": oauth_form(url, "wrong")}).json()
        assert job["state"] == "error"
        assert job["error"].startswith(
            "OAuth 2.0 token request (client_credentials) failed (HTTP 401): invalid_client"
        )
        bad = api.post("/api/auth/token", json={"auth": {"scheme": "oauth2", "grant": "implicit"}})
        assert bad.status_code == 422
        code = dict(oauth_form(url), grant="authorization-code", auth_url=f"{url}/authorize")
        refused = api.post("/api/send", json={"request": {"url": f"{url}/api/me", "auth": code}})
        assert (
            refused.status_code == 502
            and "Get new access token" in refused.json()["error"]["message"]
        )
        wrong = api.post(
            "/api/send",
            json={"request": {"url": f"{url}/api/me", "auth": oauth_form(url, "wrong")}},
        )
        assert wrong.status_code == 502 and "invalid_client" in wrong.json()["error"]["message"]
        assert api.get("/api/session").status_code == 200


def test_workspace_inherited_auth_token_and_masking(
    wb: Workbench, server: tuple[str, Store]
) -> None:
    url, store = server
    with wb.api() as api:
        shown = api.post("/api/auth/effective", json={"ref": "me.http#me", "env": "dev"}).json()
        assert shown["source"].startswith("OAuth 2.0 client-credentials")
        assert shown["auth"]["client_secret"] == "" and shown["token"] is None
        job = api.post("/api/auth/token", json={"ref": "me.http#me", "env": "dev"}).json()
        assert job["state"] == "done", job["error"]
        sent = api.post("/api/workspace/send", json={"ref": "me.http#me", "env": "dev"})
        assert sent.status_code == 200, sent.text
        token = store.tokens[-1].access_token
        assert token not in sent.text and SECRET not in sent.text
        assert len(store.token_requests) == 1
        folder = api.post("/api/auth/effective", json={"ref": "team/k.http#k", "env": "dev"}).json()
        assert folder["source"].startswith("API key (header X-Key) (folder team/_folder.http")
        k = api.post("/api/workspace/send", json={"ref": "team/k.http#k", "env": "dev"})
        assert KEY not in k.text
        for h in api.get("/api/history").json():
            assert KEY not in json.dumps(api.get(f"/api/history/{h['id']}").json())
        code = api.post(
            "/api/workspace/codegen", json={"ref": "team/k.http#k", "env": "dev", "target": "curl"}
        )
        assert code.status_code == 200 and KEY not in code.text
        # The key reaches the snippet as its header, the secret as a placeholder.
        assert "X-Key: {{key}}" in code.json()["code"], code.text
        exported = api.post(
            "/api/workspace/export",
            json={"ref": "team/k.http#k", "env": "dev", "to": ["curl", "har", "http"]},
        )
        assert exported.status_code == 200 and KEY not in exported.text
        share = api.post("/api/workspace/share", json={"ref": "team/k.http#k", "env": "dev"})
        assert KEY not in json.dumps(api.get(f"/api/requests/{share.json()['id']}").json())
        assert api.get("/api/session").status_code == 200  # the server is still up


def test_device_code_job_shows_the_code_then_the_token(
    wb: Workbench, server: tuple[str, Store]
) -> None:
    url, store = server
    store.clients["tv"] = Client("tv", "", "none")
    form = {
        "scheme": "oauth2",
        "grant": "device-code",
        "token_url": f"{url}/token",
        "device_url": f"{url}/device_authorization",
        "client_id": "tv",
        "scope": "read",
    }
    with wb.api() as api:
        job = api.post("/api/auth/token", json={"auth": form}).json()
        assert job["state"] == "waiting", job
        code = job["device"]["user_code"]
        assert job["device"]["verification_uri"].startswith(url)
        store.approve_device(code)
        deadline = time.monotonic() + 60
        while job["state"] == "waiting" and time.monotonic() < deadline:
            time.sleep(0.2)
            job = api.get(f"/api/auth/token/{job['job']}").json()
        assert job["state"] == "done", job["error"]
        assert job["token"]["scope"] == "read"
        purposes = [x["purpose"] for x in job["exchanges"]]
        assert purposes[0].startswith("oauth2 device authorization")
        assert purposes[-1].startswith("oauth2 token request (device_code)")
        sent = api.post("/api/send", json={"request": {"url": f"{url}/api/me", "auth": form}})
        assert sent.status_code == 200, sent.text
        other = httpx.get(f"{wb.url}/api/auth/token/{job['job']}")
        assert other.status_code == 403  # no session: never someone else's job


def test_the_tab_writes_the_auth_line_back_to_the_file(wb: Workbench, tmp_path: Path) -> None:
    file = tmp_path / "ws" / "me.http"
    with wb.api() as api:
        opened = api.get("/api/workspace/request", params={"ref": "me.http#me"}).json()
        assert opened["request"]["auth"] == {"scheme": "inherit"}
        form = dict(
            opened["request"], auth={"scheme": "apikey", "name": "X-Key", "value": "{{key}}"}
        )
        saved = api.post(
            "/api/workspace/save",
            json={"ref": "me.http#me", "version": opened["version"], "request": form},
        )
        assert saved.status_code == 200, saved.text
        assert file.read_text().rstrip("\n") == (
            "### me\n# @reqlab.auth apikey name=X-Key value={{key}}\nGET {{oauth}}/api/me"
        )
        again = api.get("/api/workspace/request", params={"ref": "me.http#me"}).json()
        assert again["request"]["auth"] == {"scheme": "apikey", "name": "X-Key", "value": "{{key}}"}
        shown = api.post("/api/auth/effective", json={"ref": "me.http#me", "env": "dev"}).json()
        assert shown["source"] is None  # the request's own: the tab shows it
        form = dict(again["request"], auth={"scheme": "inherit"})
        api.post(
            "/api/workspace/save",
            json={"ref": "me.http#me", "version": again["version"], "request": form},
        )
        assert file.read_text().rstrip("\n") == "### me\nGET {{oauth}}/api/me"
        bad = dict(again["request"], auth={"scheme": "apikey", "name": "X-Key"})
        refused = api.post(
            "/api/workspace/send", json={"ref": "me.http#me", "env": "dev", "request": bad}
        )
        assert refused.status_code == 422 and "apikey needs value" in refused.text
