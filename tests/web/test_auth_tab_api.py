"""The Authorization tab's API key and AWS SigV4 through /api/send and the
streamed send: sent as the server expects, kept in history without secrets."""

from __future__ import annotations

import json

import httpx

from reqlab.web.testing import Workbench

KEY = "t4b-key-value"


def test_api_key_in_query_and_header(api: httpx.Client, workbench: Workbench) -> None:
    for where in ("query", "header"):
        auth = {"scheme": "apikey", "name": "X-Key", "value": KEY, "in": where}
        sent = api.post(
            "/api/send", json={"request": {"url": f"{workbench.echo_url}/anything", "auth": auth}}
        )
        assert sent.status_code == 200, sent.text
        echoed = json.loads(sent.json()["response"]["body"]["text"])
        got = echoed["args"].get("X-Key") if where == "query" else echoed["headers"].get("X-Key")
        assert got == KEY
    streamed = api.post(
        "/api/send/stream",
        json={"request": {"url": f"{workbench.echo_url}/anything", "auth": auth}},
    )
    assert KEY in streamed.text  # the echo's answer: the key reached the server
    for row in api.get("/api/history").json():
        entry = api.get(f"/api/history/{row['id']}").json()
        assert entry["request"]["auth"]["scheme"] == "apikey"
        assert entry["request"]["auth"]["value"] == "" and KEY not in json.dumps(entry)


def test_aws_sigv4_is_signed(api: httpx.Client, workbench: Workbench) -> None:
    auth = {
        "scheme": "aws-sigv4",
        "access_key": "AKIDTAB",
        "secret_key": "tab-s3cret",
        "region": "eu-west-1",
        "service": "execute-api",
    }
    sent = api.post(
        "/api/send", json={"request": {"url": f"{workbench.echo_url}/headers", "auth": auth}}
    )
    assert sent.status_code == 200, sent.text
    headers = json.loads(sent.json()["response"]["body"]["text"])["headers"]
    assert headers["Authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIDTAB/")
    assert "tab-s3cret" not in sent.text
    bad = api.post(
        "/api/send", json={"request": {"url": "http://x/", "auth": {"scheme": "aws-sigv4"}}}
    )
    assert bad.status_code == 422 and "needs access-key" in bad.json()["error"]["message"]
    odd = api.post(
        "/api/send",
        json={
            "request": {
                "url": "http://x/",
                "auth": {"scheme": "apikey", "name": "a", "value": "b", "colour": "red"},
            }
        },
    )
    assert odd.status_code == 422 and odd.json()["error"]["field"] == "auth.colour"
