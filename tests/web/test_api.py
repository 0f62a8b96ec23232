"""The JSON API, with real sends to the in-process echo server."""

from __future__ import annotations

import json

import httpx

from reqlab.web.testing import Workbench


def send(api: httpx.Client, request: dict) -> dict:
    r = api.post("/api/send", json={"request": request})
    assert r.status_code == 200, r.text
    return r.json()


def test_send_get_reports_status_timings_and_connection(
    api: httpx.Client, workbench: Workbench
) -> None:
    x = send(api, {"url": workbench.echo_url + "/get?a=1"})
    assert x["response"]["status"] == 200
    assert x["response"]["version"] == "HTTP/1.1"
    assert set(x["timings"]) >= {"dns", "connect", "tls", "send", "wait", "receive", "total"}
    assert x["timings"]["total"] > 0
    assert x["connection"]["reused"] is False
    body = x["response"]["body"]
    assert body["kind"] == "json" and not body["truncated"]
    assert json.loads(body["text"])["args"] == {"a": "1"}
    assert x["request"]["raw"].startswith("GET /get?a=1 HTTP/1.1\r\n")


def test_second_send_reuses_the_sessions_connection(
    api: httpx.Client, workbench: Workbench
) -> None:
    first = send(api, {"url": workbench.echo_url + "/get"})
    second = send(api, {"url": workbench.echo_url + "/get"})
    assert first["connection"]["reused"] is False
    assert second["connection"]["reused"] is True
    assert second["connection"]["id"] == first["connection"]["id"]


def test_keep_alive_off_opens_a_new_connection_each_time(
    api: httpx.Client, workbench: Workbench
) -> None:
    off = {"url": workbench.echo_url + "/get", "options": {"keep_alive": False}}
    first, second = send(api, off), send(api, off)
    assert not first["connection"]["reused"] and not second["connection"]["reused"]
    assert first["connection"]["id"] != second["connection"]["id"]


def test_two_page_sessions_do_not_share_a_connection(workbench: Workbench) -> None:
    with workbench.api() as a, workbench.api() as b:
        send(a, {"url": workbench.echo_url + "/get"})
        other = send(b, {"url": workbench.echo_url + "/get"})
    assert other["connection"]["reused"] is False


def test_post_json_body_reaches_the_server(api: httpx.Client, workbench: Workbench) -> None:
    x = send(
        api,
        {
            "method": "POST",
            "url": workbench.echo_url + "/anything",
            "headers": [["X-Case", "Kept"]],
            "body": {"kind": "json", "text": '{"n": 1, "s": "é"}'},
            "auth": {"scheme": "basic", "username": "u", "password": "p"},
        },
    )
    seen = json.loads(x["response"]["body"]["text"])
    assert seen["json"] == {"n": 1, "s": "é"}
    assert seen["headers"]["X-Case"] == "Kept"
    assert seen["headers"]["Authorization"].startswith("Basic ")


def test_multipart_file_part_is_sent_from_inline_bytes(
    api: httpx.Client, workbench: Workbench
) -> None:
    x = send(
        api,
        {
            "method": "POST",
            "url": workbench.echo_url + "/anything",
            "body": {
                "kind": "multipart",
                "parts": [
                    {"name": "a", "value": "1"},
                    {
                        "name": "f",
                        "filename": "x.txt",
                        "content_type": "text/plain",
                        "data_base64": "aGk=",
                    },
                ],
            },
        },
    )
    seen = json.loads(x["response"]["body"]["text"])
    assert seen["form"] == {"a": "1"}
    assert seen["files"] == {"f": "hi"}


def test_http10_request_and_keep_alive_lint(api: httpx.Client, workbench: Workbench) -> None:
    x = send(api, {"url": workbench.echo_url + "/get", "version": "HTTP/1.0"})
    assert x["request"]["raw"].startswith("GET /get HTTP/1.0\r\n")
    assert x["keep_alive"]["persistent"] is False  # HTTP/1.0 without Connection: keep-alive
    assert "http10-no-keep-alive" in {w["code"] for w in x["lint"]}


def test_redirects_are_listed_when_followed(api: httpx.Client, workbench: Workbench) -> None:
    x = send(
        api, {"url": workbench.echo_url + "/redirect/2", "options": {"follow_redirects": True}}
    )
    assert x["response"]["status"] == 200
    assert len(x["redirects"]) == 2


def test_binary_and_html_bodies_are_classified(api: httpx.Client, workbench: Workbench) -> None:
    binary = send(api, {"url": workbench.echo_url + "/bytes/64?seed=1"})["response"]["body"]
    assert binary["kind"] == "binary" and len(binary["base64"]) > 0
    html = send(api, {"url": workbench.echo_url + "/html"})["response"]["body"]
    assert html["kind"] == "html" and "<h1>" in html["text"]


def test_history_is_recorded_and_searchable(api: httpx.Client, workbench: Workbench) -> None:
    send(api, {"url": workbench.echo_url + "/get?needle=1"})
    send(api, {"url": workbench.echo_url + "/json"})
    failed = api.post("/api/send", json={"request": {"url": "http://127.0.0.1:1/nothing"}})
    assert failed.status_code == 502
    rows = api.get("/api/history").json()
    assert [r["url"].rsplit("/", 1)[-1] for r in rows] == ["nothing", "json", "get?needle=1"]
    assert rows[0]["status"] is None and "connect" in rows[0]["error"]
    assert rows[1]["status"] == 200 and rows[1]["total_ms"] > 0
    found = api.get("/api/history", params={"q": "NEEDLE"}).json()
    assert len(found) == 1
    entry = api.get(f"/api/history/{found[0]['id']}").json()
    assert entry["request"]["url"].endswith("/get?needle=1")


def test_saved_requests_round_trip_and_share_page(api: httpx.Client, workbench: Workbench) -> None:
    request = {
        "method": "PUT",
        "url": workbench.echo_url + "/put",
        "body": {"kind": "text", "text": "x"},
    }
    created = api.post("/api/requests", json={"name": "my put", "request": request})
    assert created.status_code == 201
    saved = created.json()
    assert saved["share"] == f"/r/{saved['id']}"
    assert [s["name"] for s in api.get("/api/requests").json()] == ["my put"]
    got = api.get(f"/api/requests/{saved['id']}").json()
    assert got["request"]["method"] == "PUT" and got["request"]["body"] == {
        "kind": "text",
        "text": "x",
    }
    page = api.get(saved["share"])
    assert page.status_code == 200 and 'aria-label="URL"' in page.text
    # Another browser can open the shared request but not list or delete it.
    with workbench.api() as other:
        assert other.get(f"/api/requests/{saved['id']}").status_code == 200
        assert other.get("/api/requests").json() == []
        assert other.delete(f"/api/requests/{saved['id']}").status_code == 404
    assert api.delete(f"/api/requests/{saved['id']}").status_code == 204
    assert api.get(f"/api/requests/{saved['id']}").status_code == 404


def test_invalid_bodies_get_4xx_naming_the_field(api: httpx.Client, workbench: Workbench) -> None:
    cases = [
        ({"request": {"url": "ftp://x/"}}, "url"),
        ({"request": {"url": "http://x/", "method": "GE T"}}, "method"),
        ({"request": {"url": "http://x/", "headers": [["Bad Name", "v"]]}}, "headers['Bad Name']"),
        ({"request": {"url": "http://x/", "body": {"kind": "json", "text": "{"}}}, "body.text"),
        (
            {"request": {"url": "http://x/", "body": {"kind": "bytes", "path": "/etc/passwd"}}},
            "body.path",
        ),
        ({"request": {"url": "http://x/", "options": {"timeout": -1}}}, "options.timeout"),
        ({"request": {"url": "http://x/", "version": "HTTP/4"}}, "version"),
        ({"request": {"url": "http://x/", "bogus": 1}}, "bogus"),
        ({}, "request"),
    ]
    for body, field in cases:
        r = api.post("/api/send", json=body)
        assert r.status_code == 422, (body, r.text)
        assert r.json()["error"]["field"] == field, (body, r.json())
    bad_json = api.post("/api/send", content=b"{nope", headers={"content-type": "application/json"})
    assert bad_json.status_code == 400
    assert "not valid JSON" in bad_json.json()["error"]["message"]
    nameless = api.post("/api/requests", json={"name": " ", "request": {"url": "http://x/"}})
    assert nameless.status_code == 422 and nameless.json()["error"]["field"] == "name"


def test_targets_and_codegen(api: httpx.Client, workbench: Workbench) -> None:
    targets = api.get("/api/targets").json()
    assert targets and {"id", "language", "library", "limitations"} <= set(targets[0])
    for target in targets:
        r = api.post(
            "/api/codegen",
            json={"request": {"url": workbench.echo_url + "/get"}, "target": target["id"]},
        )
        assert r.status_code == 200, r.text
        code = r.json()["code"]
        assert "/get" in code and str(workbench.echo.port) in code, target["id"]
    unknown = api.post("/api/codegen", json={"request": {"url": "http://x/"}, "target": "cobol"})
    assert unknown.status_code == 422 and unknown.json()["error"]["field"] == "target"


def test_openapi_document_lists_every_route(api: httpx.Client) -> None:
    doc = api.get("/api/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    for path in (
        "/api/send",
        "/api/codegen",
        "/api/convert",
        "/api/requests",
        "/api/history",
        "/api/targets",
        "/api/send/stream",
        "/api/send/stream/stop",
    ):
        assert path in doc["paths"]


def test_large_body_is_capped_with_a_download(tmp_path) -> None:  # noqa: ANN001
    from reqlab.web.testing import start_workbench

    with (
        start_workbench(db_url=f"sqlite:///{tmp_path / 'x.db'}", display_cap=1000) as wb,
        wb.api() as api,
    ):
        x = send(api, {"url": wb.echo_url + "/bytes/5000?seed=3"})
        body = x["response"]["body"]
        assert body["size"] == 5000 and body["truncated"] is True
        full = api.get(body["download"])
        assert full.status_code == 200 and len(full.content) == 5000
        assert full.headers["content-disposition"].startswith("attachment")
        text = send(api, {"url": wb.echo_url + "/stream/20"})["response"]["body"]
        assert text["truncated"] is True and text["shown"] == 1000 and len(text["text"]) <= 1000


def test_convert_reads_curl_and_writes_raw_http_curl_har(api: httpx.Client) -> None:
    r = api.post(
        "/api/convert",
        json={
            "text": "curl -X POST https://api.example/v1 -H 'X-A: 1' --json '{\"a\":1}'",
            "to": ["http", "curl", "har"],
        },
    )
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["from"] == "curl"
    assert out["request"]["method"] == "POST" and out["request"]["url"] == "https://api.example/v1"
    assert ["X-A", "1"] in out["request"]["headers"]
    assert out["outputs"]["http"].startswith("POST /v1 HTTP/1.1\r\nHost: api.example\r\n")
    assert out["outputs"]["curl"].startswith("curl ")
    assert json.loads(out["outputs"]["har"])["log"]["entries"][0]["request"]["method"] == "POST"
    raw = api.post(
        "/api/convert", json={"text": "GET /x HTTP/1.0\r\nHost: h.example\r\n\r\n"}
    ).json()
    assert raw["from"] == "http" and raw["request"]["url"] == "http://h.example/x"
    back = api.post("/api/convert", json={"request": raw["request"], "to": ["http"]}).json()
    assert back["outputs"]["http"].startswith("GET /x HTTP/1.0\r\n")


def test_convert_raw_edits_drop_derived_headers(api: httpx.Client) -> None:
    text = "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nX-Mine: 1\r\n\r\nabc"
    out = api.post("/api/convert", json={"text": text, "from": "http", "drop_derived": True}).json()
    assert out["request"]["headers"] == [["X-Mine", "1"]]
    kept = api.post("/api/convert", json={"text": text, "from": "http"}).json()
    assert ["Content-Length", "3"] in kept["request"]["headers"]


def test_convert_refusals(api: httpx.Client) -> None:
    bad = api.post("/api/convert", json={"text": "curl", "from": "curl"})
    assert bad.status_code == 422 and bad.json()["error"]["format"] == "curl"
    assert (
        api.post("/api/convert", json={"text": "x", "to": ["yaml"]}).json()["error"]["field"]
        == "to"
    )
    assert (
        api.post("/api/convert", json={"text": "x", "from": "yaml"}).json()["error"]["field"]
        == "from"
    )
    # A curl body read from a file is shown, never read by the server.
    out = api.post(
        "/api/convert", json={"text": "curl http://a/ -d @/etc/passwd", "to": ["http"]}
    ).json()
    assert out["request"]["body"] == {"kind": "bytes", "path": "/etc/passwd"}
    assert out["outputs"]["http"] is None and any("file" in w for w in out["warnings"])


def test_har_export_imports_back(api: httpx.Client, workbench: Workbench) -> None:
    request = {
        "method": "POST",
        "url": workbench.echo_url + "/post",
        "headers": [["X-A", "1"]],
        "body": {"kind": "form", "fields": [["a", "1"]]},
    }
    har = api.post("/api/convert", json={"request": request, "to": ["har", "curl"]}).json()[
        "outputs"
    ]["har"]
    back = api.post("/api/convert", json={"text": har}).json()
    assert back["from"] == "har"
    assert back["request"]["method"] == "POST" and back["request"]["url"] == request["url"]
    assert ["X-A", "1"] in back["request"]["headers"]
    assert send(api, back["request"])["response"]["status"] == 200


def test_http2_and_tls_verification(api: httpx.Client, workbench: Workbench) -> None:
    from reqlab.echo.testing import start_echo_server

    h2c = send(api, {"url": workbench.echo_url + "/get", "version": "HTTP/2"})
    assert h2c["response"]["version"] == "HTTP/2"
    with start_echo_server(tls=True) as echo:
        refused = api.post("/api/send", json={"request": {"url": echo.tls_url + "/get"}})
        assert refused.status_code == 502 and refused.json()["error"]["kind"] == "TLSError"
        assert "self-signed" in refused.json()["error"]["message"]
        ok = send(api, {"url": echo.tls_url + "/get", "options": {"verify": False}})
        assert ok["response"]["status"] == 200
        assert ok["connection"]["tls"]["alpn"] == "h2" and ok["response"]["version"] == "HTTP/2"


def test_digest_and_bearer_auth(api: httpx.Client, workbench: Workbench) -> None:
    digest = send(
        api,
        {
            "url": workbench.echo_url + "/digest-auth/auth/u/p",
            "auth": {"scheme": "digest", "username": "u", "password": "p"},
        },
    )
    assert digest["response"]["status"] == 200
    bearer = send(
        api, {"url": workbench.echo_url + "/bearer", "auth": {"scheme": "bearer", "token": "t0k"}}
    )
    assert bearer["response"]["status"] == 200 and "t0k" in bearer["response"]["body"]["text"]
