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


def test_sse_events_each_arrive_as_a_chunk(api: httpx.Client, workbench: Workbench) -> None:
    records = _records(api, workbench.echo_url + "/sse?count=3&interval=0.1")
    text = "".join(r.get("text", "") for r in records if r["type"] == "chunk")
    assert text.count("event: tick") == 3


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
