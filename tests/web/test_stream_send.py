"""POST /api/send/stream: the body as it arrives, as NDJSON records."""

from __future__ import annotations

import json

import httpx

from reqlab.web.testing import Workbench


def _records(api: httpx.Client, url: str) -> list[dict]:
    with api.stream("POST", "/api/send/stream", json={"request": {"url": url}}) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("application/x-ndjson")
        return [json.loads(line) for line in r.iter_lines()]


def test_drip_arrives_head_then_chunks_in_time_then_the_record(
    api: httpx.Client, workbench: Workbench
) -> None:
    records = _records(api, workbench.echo_url + "/drip?duration=0.6&numbytes=4")
    kinds = [r["type"] for r in records]
    assert kinds[0] == "head" and kinds[-1] == "end" and set(kinds[1:-1]) == {"chunk"}
    assert records[0]["status"] == 200
    chunks = records[1:-1]
    assert [c["size"] for c in chunks] == list(range(1, 5))
    assert "".join(c["text"] for c in chunks) == "****"
    assert chunks[-1]["t"] - chunks[0]["t"] >= 300  # spread over the drip, not at once
    view = records[-1]["view"]
    assert view["response"]["body"]["text"] == "****"
    assert len(view["arrivals"]) == 4
    entry = api.get(f"/api/history/{view['history_id']}").json()
    assert entry["status"] == 200


def test_an_event_stream_arrives_as_event_rows(api: httpx.Client, workbench: Workbench) -> None:
    records = _records(api, workbench.echo_url + "/sse?count=3&interval=0.1&retry=250")
    assert records[0]["sse"] is True and records[0]["stream"]
    chunks = [r for r in records if r["type"] == "chunk"]
    assert all("text" not in c for c in chunks)
    rows = [row for c in chunks for row in c["events"]]
    assert rows[0][1:] == ["comment", "", " reqlab echo /sse", 250, 1]  # retry: came first
    events = [row for row in rows if row[5] == 0]
    assert [(r[1], r[2], r[3], r[4]) for r in events] == [
        ("tick", str(n), f'{{"n": {n}, "of": 3}}', 250) for n in (1, 2, 3)
    ]
    assert events[2][0] - events[0][0] >= 150  # each row stamped when it arrived
    assert records[-1]["type"] == "end"
    assert "event: tick" in records[-1]["view"]["response"]["body"]["text"]


def test_sse_mode_on_any_body_and_a_bad_flag(api: httpx.Client, workbench: Workbench) -> None:
    body = {"request": {"url": workbench.echo_url + "/stream/2"}, "sse": True}
    with api.stream("POST", "/api/send/stream", json=body) as r:
        records = [json.loads(line) for line in r.iter_lines()]
    assert records[0]["sse"] is True
    assert [row for r in records if r["type"] == "chunk" for row in r["events"]] == []
    bad = api.post("/api/send/stream", json={**body, "sse": "yes"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "sse"


def test_stop_ends_a_stream_early_with_its_record(api: httpx.Client, workbench: Workbench) -> None:
    body = {"request": {"url": workbench.echo_url + "/sse?count=50&interval=0.5"}}
    with api.stream("POST", "/api/send/stream", json=body) as r:
        lines = r.iter_lines()
        head = json.loads(next(lines))
        first = json.loads(next(lines))  # the comment: the stream is live
        assert first["type"] == "chunk"
        other = httpx.post(workbench.url + "/api/send/stream/stop", json={"stream": head["stream"]})
        assert other.status_code in (403, 404)  # not this session's (no token, or no such)
        stop = api.post("/api/send/stream/stop", json={"stream": head["stream"]})
        assert stop.status_code == 200, stop.text
        rest = [json.loads(line) for line in lines]
    kinds = [x["type"] for x in rest]
    assert kinds[-2:] == ["stopped", "end"]
    view = rest[-1]["view"]
    assert any("closed before the end" in w for w in view["warnings"])
    assert api.get(f"/api/history/{view['history_id']}").json()["status"] == 200
    again = api.post("/api/send/stream/stop", json={"stream": head["stream"]})
    assert again.status_code == 404


def test_a_refused_send_is_an_error_record_and_in_history(
    api: httpx.Client, workbench: Workbench
) -> None:
    import socket

    with socket.socket() as s:  # a free port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    records = _records(api, f"http://127.0.0.1:{port}/")
    assert [r["type"] for r in records] == ["error"]
    assert records[0]["message"]
    assert api.get("/api/history").json()[0]["error"]


def test_public_instance_streams_the_echo_and_bounds_the_body(tmp_path) -> None:  # noqa: ANN001
    from reqlab.web.testing import start_workbench

    with (
        start_workbench(
            db_url=f"sqlite:///{tmp_path / 'p.db'}", public=True, public_max_body=3, rate_burst=100
        ) as wb,
        wb.api() as api,
    ):
        records = _records(api, wb.echo_url + "/drip?duration=0.2&numbytes=8")
        assert records[0]["type"] == "head"
        errors = [r for r in records if r["type"] == "error"]
        assert errors and "3 bytes" in errors[0]["message"]
        assert sum(r["n"] for r in records if r["type"] == "chunk") <= 3
