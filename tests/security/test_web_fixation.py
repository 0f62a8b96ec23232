"""Session fixation (issue 15, item 1): ids are minted by the server only,
rotated on first data, and the co-hosted echo server cannot set them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from reqlab.echo.reserved import cookie_name
from reqlab.web.testing import Workbench, start_workbench

from ._serve import new_session, responsive


@pytest.fixture
def wb(tmp_path: Path) -> Iterator[Workbench]:
    with start_workbench(db_url=f"sqlite:///{tmp_path / 'wb.db'}") as w:
        yield w


def _victim_works(client: httpx.Client, wb: Workbench) -> None:
    """The victim sends with a bearer token and saves a basic-auth request."""
    sent = client.post(
        "/api/send",
        json={
            "request": {
                "url": wb.echo_url + "/get",
                "auth": {"scheme": "bearer", "token": "victim-token"},
            }
        },
    )
    assert sent.status_code == 200, sent.text
    saved = client.post(
        "/api/requests",
        json={
            "name": "mine",
            "request": {
                "url": wb.echo_url + "/get",
                "auth": {"scheme": "basic", "username": "v", "password": "victim-pw"},
            },
        },
    )
    assert saved.status_code == 201, saved.text


def _sees_nothing(sid: str, wb: Workbench) -> None:
    """The attacker, holding ``sid``, reads neither history nor saved requests."""
    with httpx.Client(base_url=wb.url, cookies={"reqlab_sid": sid}) as attacker:
        token = attacker.get("/api/session").json()["csrf"]
        attacker.headers["X-CSRF-Token"] = token
        for path in ("/api/history", "/api/requests"):
            r = attacker.get(path)
            assert r.status_code in (200, 403), r.text
            assert r.status_code == 403 or r.json() == [], r.text
            assert "victim" not in r.text


def test_the_echo_server_refuses_to_set_the_workbench_cookie(wb: Workbench) -> None:
    assert wb.echo_url is not None
    for path in (
        "/cookies/set?reqlab_sid=AAAAAAAAAAAAAAAAAAAAAAAA",
        "/cookies/set/reqlab_sid/AAAAAAAAAAAAAAAAAAAAAAAA",
        "/cookies/set?REQLAB_SID=AAAAAAAAAAAAAAAAAAAAAAAA",
        "/cookies/set?__Host-reqlab_sid=AAAAAAAAAAAAAAAAAAAAAAAA",
        "/cookies/delete?reqlab_sid",
        "/response-headers?Set-Cookie=reqlab_sid%3DAAAAAAAAAAAAAAAAAAAAAAAA%3B%20Path%3D%2F",
        # A nameless cookie is sent back as its value: "reqlab_sid=A..."
        "/response-headers?Set-Cookie=%3Dreqlab_sid%3DAAAAAAAAAAAAAAAAAAAAAAAA",
    ):
        r = httpx.get(wb.echo_url + path)
        assert r.status_code == 403, (path, r.status_code, r.headers)
        assert "set-cookie" not in r.headers, path
    # Other cookies still work as httpbin's do.
    ok = httpx.get(wb.echo_url + "/cookies/set?flavour=oat")
    assert ok.status_code == 302 and "flavour=oat" in ok.headers["set-cookie"]
    assert responsive(wb.url)


def test_reserved_cookie_names_as_a_browser_files_them() -> None:
    assert cookie_name("reqlab_sid=x; Path=/") == "reqlab_sid"
    assert cookie_name(" =reqlab_sid=x") == "reqlab_sid"
    assert cookie_name("nameless") == ""


def test_an_invented_id_is_never_adopted(wb: Workbench) -> None:
    invented = "A" * 32
    with httpx.Client(base_url=wb.url, cookies={"reqlab_sid": invented}) as victim:
        info = victim.get("/api/session")
        minted = info.cookies.get("reqlab_sid")
        assert minted and minted != invented  # a fresh id, set in place of the invented one
        page = victim.get("/")
        assert page.status_code == 200
    # The API never accepts the invented id, even with its "right" token.
    with httpx.Client(base_url=wb.url, cookies={"reqlab_sid": invented}) as attacker:
        token = wb.app.state.sessions.csrf_token(invented)
        r = attacker.get("/api/history", headers={"X-CSRF-Token": token})
        assert r.status_code == 403 and "unknown session" in r.json()["error"]["message"]
    assert responsive(wb.url)


def test_a_planted_fresh_id_is_rotated_on_first_data(wb: Workbench) -> None:
    """The attacker mints a real id (never used) and plants it in the
    victim's browser (by any same-host means); the victim's first send
    files its data under a new id, which only the victim receives."""
    with new_session(wb.url) as attacker:
        planted = attacker.cookies["reqlab_sid"]
    victim = httpx.Client(base_url=wb.url, timeout=30)
    victim.cookies.set("reqlab_sid", planted, domain="127.0.0.1")
    with victim:
        victim.headers["X-CSRF-Token"] = victim.get("/api/session").json()["csrf"]
        first = victim.post("/api/send", json={"request": {"url": wb.echo_url + "/get"}})
        assert first.status_code == 200
        rotated = first.cookies.get("reqlab_sid")
        assert rotated and rotated != planted
        assert first.headers["x-csrf-token"] != victim.headers["X-CSRF-Token"]
        # The page follows the new token; a second tab's old token still works once.
        assert victim.cookies["reqlab_sid"] == rotated
        assert victim.get("/api/history").status_code == 200
        victim.headers["X-CSRF-Token"] = first.headers["x-csrf-token"]
        _victim_works(victim, wb)
        history = victim.get("/api/history").json()
        assert len(history) == 2 and victim.get("/api/requests").json()
    _sees_nothing(planted, wb)
    assert responsive(wb.url)


def test_a_planted_used_id_stops_working_when_the_victim_opens_the_page(wb: Workbench) -> None:
    """The attacker uses an id first (so rotation on first data does not
    apply), then plants it.  Opening the page moves the session to a new id
    only the victim holds; the planted one is gone."""
    with new_session(wb.url) as attacker:
        attacker.post("/api/send", json={"request": {"url": wb.echo_url + "/get?attacker=1"}})
        planted = attacker.cookies["reqlab_sid"]
    victim = httpx.Client(base_url=wb.url, timeout=30)
    victim.cookies.set("reqlab_sid", planted, domain="127.0.0.1")
    with victim:
        page = victim.get("/")
        assert page.status_code == 200
        fresh = victim.cookies["reqlab_sid"]
        assert fresh != planted
        token = page.text.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
        victim.headers["X-CSRF-Token"] = token
        _victim_works(victim, wb)
    with httpx.Client(base_url=wb.url, cookies={"reqlab_sid": planted}) as spy:
        token = wb.app.state.sessions.csrf_token(planted)
        r = spy.get("/api/history", headers={"X-CSRF-Token": token})
        assert r.status_code == 403 and "victim" not in r.text
    _sees_nothing(planted, wb)
    assert responsive(wb.url)


def test_a_reload_keeps_the_users_own_history(wb: Workbench) -> None:
    with new_session(wb.url) as user:
        sent = user.post("/api/send", json={"request": {"url": wb.echo_url + "/get?mine=1"}})
        user.headers["X-CSRF-Token"] = sent.headers["x-csrf-token"]  # as the page does
        before = user.cookies["reqlab_sid"]
        assert user.get("/").status_code == 200  # a reload: a new id, the same data
        assert user.cookies["reqlab_sid"] != before
        history = user.get("/api/history")  # another tab's token, still good after a reissue
        assert history.status_code == 200 and "mine=1" in history.text


def test_two_session_cookies_are_both_distrusted(wb: Workbench) -> None:
    with new_session(wb.url) as a, new_session(wb.url) as b:
        one, two = a.cookies["reqlab_sid"], b.cookies["reqlab_sid"]
    r = httpx.get(
        wb.url + "/api/session", headers={"Cookie": f"reqlab_sid={one}; reqlab_sid={two}"}
    )
    assert r.cookies.get("reqlab_sid") not in (None, one, two)


def test_behind_tls_the_cookie_is_host_prefixed_and_secure(tmp_path: Path) -> None:
    """A TLS-terminating proxy at 127.0.0.1 (--trust-proxy) says https."""
    with start_workbench(
        db_url=f"sqlite:///{tmp_path / 't.db'}", trust_proxy=("127.0.0.1",)
    ) as tls_wb:
        r = httpx.get(tls_wb.url + "/api/session", headers={"X-Forwarded-Proto": "https"})
        cookie = r.headers["set-cookie"]
        assert cookie.startswith("__Host-reqlab_sid=")
        lowered = cookie.lower()
        assert "; secure" in lowered and "path=/" in lowered and "domain" not in lowered
        # Over https only the __Host- name is read: a plain-named cookie is ignored.
        sid = cookie.split(";")[0].split("=", 1)[1]
        plain = httpx.get(
            tls_wb.url + "/api/session",
            headers={"X-Forwarded-Proto": "https", "Cookie": f"reqlab_sid={sid}"},
        )
        assert plain.headers["set-cookie"].split(";")[0] != f"__Host-reqlab_sid={sid}"
        # Plain http keeps the plain name, without Secure.
        bare = httpx.get(tls_wb.url + "/api/session")
        assert bare.headers["set-cookie"].startswith("reqlab_sid=")
        assert "secure" not in bare.headers["set-cookie"].lower()


def test_served_over_tls_the_cookie_is_host_prefixed_and_secure(tmp_path: Path) -> None:
    with (
        start_workbench(db_url=f"sqlite:///{tmp_path / 's.db'}", tls_self_signed=True) as tls_wb,
        httpx.Client(base_url=tls_wb.url, verify=False, timeout=30) as browser,
    ):
        assert tls_wb.url.startswith("https://")
        r = browser.get("/api/session")
        cookie = r.headers["set-cookie"].lower()
        assert cookie.startswith("__host-reqlab_sid=") and "; secure" in cookie
        browser.headers["X-CSRF-Token"] = r.json()["csrf"]
        sent = browser.post("/api/send", json={"request": {"url": tls_wb.echo_url + "/get"}})
        assert sent.status_code == 200
        assert sent.headers["set-cookie"].startswith("__Host-reqlab_sid=")  # rotated, same rules
        assert browser.get("/api/history").status_code == 200
