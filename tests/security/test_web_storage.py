"""Share links without secrets, and two servers migrating one new database
at once (issue 15, item 9)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from reqlab.web.testing import Workbench, start_workbench

SECRET_REQUEST = {
    "method": "POST",
    "url": "http://user:url-pw@127.0.0.1:9/x?api_key=q-secret&page=2",
    "headers": [
        ["Authorization", "Bearer header-secret"],
        ["Cookie", "sid=cookie-secret"],
        ["X-Api-Key", "key-secret"],
        ["Accept", "application/json"],
    ],
    "auth": {"scheme": "basic", "username": "alice", "password": "basic-secret"},
    "body": {"kind": "form", "fields": [["password", "form-secret"], ["q", "kept"]]},
}
SECRETS = ("q-secret", "header-secret", "cookie-secret", "key-secret", "basic-secret")


@pytest.fixture
def wb(tmp_path: Path) -> Iterator[Workbench]:
    with start_workbench(db_url=f"sqlite:///{tmp_path / 'wb.db'}") as w:
        yield w


def _save(api: httpx.Client, include_secrets: bool | None) -> dict[str, str]:
    body: dict[str, object] = {"name": "with secrets", "request": SECRET_REQUEST}
    if include_secrets is not None:
        body["include_secrets"] = include_secrets
    r = api.post("/api/requests", json=body)
    assert r.status_code == 201, r.text
    saved: dict[str, str] = r.json()
    return saved


def test_a_share_link_leaves_secrets_out_by_default(wb: Workbench) -> None:
    with wb.api() as owner, wb.api() as other:
        saved = _save(owner, None)
        assert saved["include_secrets"] is False
        shared = other.get(f"/api/requests/{saved['id']}")
        assert shared.status_code == 200
        for secret in (*SECRETS, "form-secret", "url-pw"):
            assert secret not in shared.text, secret
        request = shared.json()["request"]
        assert ["Accept", "application/json"] in request["headers"]
        assert ["Authorization", ""] in request["headers"]
        assert request["auth"] == {"scheme": "basic", "username": "alice", "password": ""}
        assert "page=2" in request["url"]
        assert ["q", "kept"] in request["body"]["fields"]
        # The owner still has everything.
        mine = owner.get(f"/api/requests/{saved['id']}")
        for secret in SECRETS:
            assert secret in mine.text
        # The page that opens the link is the workbench page, for anyone.
        assert other.get(saved["share"]).status_code == 200


def test_include_secrets_is_the_owners_choice_per_link(wb: Workbench) -> None:
    with wb.api() as owner, wb.api() as other:
        saved = _save(owner, True)
        shared = other.get(f"/api/requests/{saved['id']}")
        assert shared.json()["include_secrets"] is True
        for secret in SECRETS:
            assert secret in shared.text
        bad = owner.post(
            "/api/requests",
            json={"name": "x", "request": SECRET_REQUEST, "include_secrets": "yes"},
        )
        assert bad.status_code == 422 and bad.json()["error"]["field"] == "include_secrets"


MIGRATE = "import sys; from reqlab.web.storage import Storage; Storage(sys.argv[1]).close()"


def test_two_servers_migrating_a_new_database_at_once_do_not_race(tmp_path: Path) -> None:
    """Before: 2 of 11 tries failed with "table alembic_version already exists"."""
    for attempt in range(6):
        url = f"sqlite:///{tmp_path / f'race{attempt}.db'}"
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", MIGRATE, url], stderr=subprocess.PIPE, text=True
            )
            for _ in range(2)
        ]
        for proc in procs:
            _, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, err


def test_two_serve_processes_on_one_new_database(tmp_path: Path) -> None:
    """The same, as users meet it: two ``reqlab serve`` started together."""
    from ._serve import serve

    with serve(tmp_path) as (_, first), serve(tmp_path) as (_, second):
        for urls in (first, second):
            with httpx.Client(base_url=urls["workbench"], timeout=10) as c:
                assert c.get("/api/session").status_code == 200
