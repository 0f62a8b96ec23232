"""The cookie editor's API: list, add, edit, delete, import and export the
cookies a page session holds; bad input is a 4xx and the server stays up."""

from __future__ import annotations

import httpx

from reqlab.web.testing import Workbench

NETSCAPE = (
    "# Netscape HTTP Cookie File\n"
    "#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t0\tsid\tabc\n"
    ".example.org\tTRUE\t/app\tTRUE\t4102444800\ttheme\tdark\n"
)


def names(listing: dict) -> dict[str, list[str]]:
    return {d["domain"]: [c["name"] for c in d["cookies"]] for d in listing["domains"]}


def test_cookies_set_by_a_server_are_listed_edited_and_sent(
    api: httpx.Client, workbench: Workbench
) -> None:
    sent = api.post("/api/send", json={"request": {"url": f"{workbench.echo_url}/cookies/set?a=1"}})
    assert sent.status_code == 200, sent.text
    listing = api.get("/api/cookies").json()
    assert names(listing) == {"127.0.0.1": ["a"]}
    changed = api.put(
        "/api/cookies", json={"domain": "127.0.0.1", "path": "/", "name": "a", "value": "2"}
    )
    assert changed.status_code == 200
    added = api.put("/api/cookies", json={"domain": "127.0.0.1", "name": "b", "value": "x y"})
    assert names(added.json()) == {"127.0.0.1": ["a", "b"]}
    echoed = api.post("/api/send", json={"request": {"url": f"{workbench.echo_url}/cookies"}})
    body = echoed.json()["response"]["body"]["text"]
    assert '"a": "2"' in body and '"b": "x y"' in body
    gone = api.request("DELETE", "/api/cookies", json={"domain": "127.0.0.1", "name": "a"})
    assert names(gone.json()) == {"127.0.0.1": ["b"]}
    again = api.request("DELETE", "/api/cookies", json={"domain": "127.0.0.1", "name": "a"})
    assert again.status_code == 404


def test_import_and_export_netscape_files(api: httpx.Client) -> None:
    done = api.post("/api/cookies/import", json={"text": NETSCAPE})
    assert done.status_code == 200, done.text
    assert done.json()["added"] == 2
    listing = done.json()
    assert names(listing) == {"127.0.0.1": ["sid"], ".example.org": ["theme"]}
    sid = listing["domains"][0]["cookies"][0]
    assert sid["http_only"] is True and sid["expires"] is None
    exported = api.get("/api/cookies/export")
    assert exported.headers["content-disposition"].startswith("attachment")
    lines = [x for x in exported.text.splitlines() if x and not x.startswith("# ")]
    assert "#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t0\tsid\tabc" in lines
    assert ".example.org\tTRUE\t/app\tTRUE\t4102444800\ttheme\tdark" in lines
    cleared = api.request("DELETE", "/api/cookies", json={"domain": ".example.org"})
    assert names(cleared.json()) == {"127.0.0.1": ["sid"]}


def test_bad_input_is_a_4xx_naming_the_field_and_the_server_stays_up(api: httpx.Client) -> None:
    bad = [
        ({"domain": "127.0.0.1", "name": "a b", "value": "1"}, "name"),
        ({"domain": "127.0.0.1", "name": "a", "value": "1;x"}, "value"),
        ({"domain": "bad host/", "name": "a"}, "domain"),
        ({"domain": "h", "name": "a", "path": "nope"}, "path"),
        ({"domain": "h", "name": "a", "expires": "soon"}, "expires"),
        ({"domain": "h", "name": "a", "expires": 1e300}, "expires"),
        ({"name": "a"}, "domain"),
    ]
    for body, where in bad:
        answer = api.put("/api/cookies", json=body)
        assert answer.status_code == 422, (body, answer.text)
        assert answer.json()["error"]["field"] == where
    answer = api.post("/api/cookies/import", json={"text": "not\ta cookie line\n"})
    assert answer.status_code == 422
    assert "line 1" in answer.json()["error"]["message"]
    assert (
        api.put(
            "/api/cookies", content=b"{", headers={"content-type": "application/json"}
        ).status_code
        == 400
    )
    assert api.get("/api/cookies").status_code == 200


def test_the_openapi_document_lists_the_auth_and_cookie_routes(api: httpx.Client) -> None:
    paths = api.get("/api/openapi.json").json()["paths"]
    for path in ("/api/auth/token", "/api/auth/effective", "/api/cookies", "/api/cookies/import"):
        assert path in paths
