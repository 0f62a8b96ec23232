"""A ``--public`` instance under attack (issue 15, items 3, 8, 9): bounded
memory and disk, the exact echo origin, the SSRF guard, X-Forwarded-For."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from reqlab.web.guard import refusal
from reqlab.web.testing import start_workbench

from ._serve import new_session, responsive, rss_mb, serve

EIGHT_MB = 8 * 1024 * 1024


def test_25_big_sends_from_new_sessions_stay_bounded(tmp_path: Path) -> None:
    """The issue's numbers: 25 sends of 8 MB, each from a new session
    (before: RSS 65 -> 256 MB, 100 MB kept in /tmp)."""
    limits = ["--limit", "rate_burst=1000", "--limit", "rate_per_minute=6000"]
    with serve(tmp_path, "--public", *limits) as (proc, urls):
        web, echo = urls["workbench"], urls["echo server"]
        warm = new_session(web)  # one send first, so imports and pools are paid for
        warm.post("/api/send", json={"request": {"url": echo + "/get"}})
        before = rss_mb(proc.pid)
        tmp_before = _tmp_bytes(tmp_path)
        body = {"kind": "text", "text": "a" * EIGHT_MB}
        statuses = []
        for _ in range(25):
            try:
                client = new_session(web)
            except httpx.HTTPStatusError as exc:
                statuses.append(exc.response.status_code)  # the session quota
                continue
            with client:
                r = client.post(
                    "/api/send",
                    json={"request": {"method": "POST", "url": echo + "/anything", "body": body}},
                )
                statuses.append(r.status_code)
        after = rss_mb(proc.pid)
        # 20 sessions a client address an hour: the warm-up one and 19 more.
        assert statuses.count(200) == 19 and statuses.count(429) == 6, statuses
        assert after - before < 120, (before, after)
        # Before: 200 MB of spooled bodies kept, and 208 MB of history.
        assert _tmp_bytes(tmp_path) - tmp_before < 20 * 1024 * 1024
        assert _db_bytes(tmp_path) < 8 * 1024 * 1024
        # Still answering (this address has no new sessions left: use the first).
        assert warm.get("/api/history").status_code == 200
        warm.close()


def _tmp_bytes(tmp_path: Path) -> int:
    """Bytes in the server's own TMPDIR (see _serve.serve)."""
    return sum(p.stat().st_size for p in (tmp_path / "tmp").rglob("*") if p.is_file())


def _db_bytes(tmp_path: Path) -> int:
    return sum(p.stat().st_size for p in tmp_path.glob("serve.db*") if p.suffix != ".lock")


def test_10_refused_10_mb_sends_keep_only_summaries(tmp_path: Path) -> None:
    """Before: database 1 -> 111 MB.  Refused sends keep a bounded summary."""
    with serve(tmp_path, "--public") as (proc, urls):
        web = urls["workbench"]
        before_db = _db_bytes(tmp_path)
        before = rss_mb(proc.pid)
        body = {"kind": "text", "text": "b" * (10 * 1024 * 1024 - 4096)}
        with new_session(web) as client:
            for _ in range(10):
                r = client.post(
                    "/api/send",
                    json={"request": {"method": "POST", "url": "http://10.0.0.1/", "body": body}},
                )
                assert r.status_code == 403 and r.json()["error"]["kind"] == "blocked-address"
            history = client.get("/api/history").json()
            assert len(history) == 10
            entry = client.get(f"/api/history/{history[0]['id']}").json()
            assert entry["request"]["body"]["omitted"] > 10_000_000
        size = _db_bytes(tmp_path)
        assert size - before_db < 4 * 1024 * 1024, size  # before: 110 MB
        assert rss_mb(proc.pid) - before < 150
        assert responsive(web)


def test_history_is_trimmed_per_session(tmp_path: Path) -> None:
    with (
        start_workbench(
            db_url=f"sqlite:///{tmp_path / 'h.db'}",
            public=True,
            public_history_entries=3,
            rate_burst=100,
        ) as wb,
        wb.api() as api,
    ):
        for i in range(6):
            api.post("/api/send", json={"request": {"url": f"{wb.echo_url}/get?i={i}"}})
        urls = [h["url"] for h in api.get("/api/history").json()]
        assert urls == [f"{wb.echo_url}/get?i={i}" for i in (5, 4, 3)]


def test_kept_bodies_stay_within_the_budget(tmp_path: Path) -> None:
    with start_workbench(
        db_url=f"sqlite:///{tmp_path / 'b.db'}",
        public=True,
        public_keep_session_bytes=64 * 1024,
        public_keep_total_bytes=96 * 1024,
        rate_burst=100,
    ) as wb:
        bodies = wb.app.state.bodies
        for _ in range(3):
            with wb.api() as api:
                for _ in range(3):
                    r = api.post(
                        "/api/send",
                        json={"request": {"url": wb.echo_url + "/bytes/30000"}},
                    )
                    assert r.status_code == 200
            assert bodies.total <= 96 * 1024 and len(bodies) <= 3
        big = wb.api().post("/api/send", json={"request": {"url": wb.echo_url + "/bytes/90000"}})
        assert big.json()["response"]["body"]["download"] is None  # over a session's budget


def test_x_forwarded_for_does_not_bypass_the_rate_limit(tmp_path: Path) -> None:
    with (
        start_workbench(
            db_url=f"sqlite:///{tmp_path / 'r.db'}", public=True, rate_burst=5, rate_per_minute=1
        ) as wb,
        wb.api() as api,
    ):
        codes = [
            api.get("/api/history", headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code
            for i in range(10)
        ]
        assert 429 in codes, codes


def test_x_forwarded_for_is_believed_from_a_trusted_proxy(tmp_path: Path) -> None:
    with start_workbench(
        db_url=f"sqlite:///{tmp_path / 'r.db'}",
        public=True,
        rate_burst=3,
        rate_per_minute=1,
        trust_proxy=("127.0.0.1",),
    ) as wb:
        for i in range(6):  # each forwarded client has its own budget
            r = httpx.get(wb.url + "/api/session", headers={"X-Forwarded-For": f"203.0.113.{i}"})
            assert r.status_code == 200


def test_the_echo_exception_is_the_exact_origin(tmp_path: Path) -> None:
    with start_workbench(db_url=f"sqlite:///{tmp_path / 'o.db'}", public=True) as wb:
        assert wb.echo_url is not None
        port = wb.echo_url.rsplit(":", 1)[1]
        with wb.api() as api:
            for url in (
                f"http://[::1]:{port}/get",
                f"http://127.0.0.2:{port}/get",
                f"http://localhost:{port}/get",
                f"http://127.1:{port}/get",
                f"https://127.0.0.1:{port}/get",
            ):
                r = api.post("/api/send", json={"request": {"url": url}})
                assert r.status_code == 403, (url, r.text)
                assert r.json()["error"]["kind"] == "blocked-address"
            own = api.post("/api/send", json={"request": {"url": wb.echo_url + "/get"}})
            assert own.status_code == 200
        assert responsive(wb.url)


@pytest.mark.parametrize(
    "address",
    [
        "2002:7f00:1::1",
        "2002:a9fe:a9fe::1",
        "2002:c0a8:101::1",
        "fec0::1",
        "feff::1",
        "64:ff9b::a00:1",
    ],
)
def test_the_guard_refuses_6to4_nat64_and_site_local(address: str) -> None:
    assert refusal(address) is not None


def test_6to4_of_a_public_address_passes() -> None:
    assert refusal("2002:5db8:d822::1") is None  # 93.184.216.34


def test_public_sends_to_6to4_loopback_are_refused(tmp_path: Path) -> None:
    with (
        start_workbench(db_url=f"sqlite:///{tmp_path / 's.db'}", public=True) as wb,
        wb.api() as api,
    ):
        for host in ("[2002:7f00:1::1]", "[2002:a9fe:a9fe::1]", "[fec0::1]"):
            r = api.post("/api/send", json={"request": {"url": f"http://{host}:80/"}})
            assert r.status_code == 403 and r.json()["error"]["kind"] == "blocked-address"


def test_saved_requests_are_bounded_in_size_and_number(tmp_path: Path) -> None:
    with (
        start_workbench(
            db_url=f"sqlite:///{tmp_path / 'v.db'}",
            public=True,
            public_saved_per_session=2,
            rate_burst=100,
        ) as wb,
        wb.api() as api,
    ):
        big = {"url": wb.echo_url + "/post", "body": {"kind": "text", "text": "c" * (2 << 20)}}
        r = api.post("/api/requests", json={"name": "big", "request": big})
        assert r.status_code == 413 and "at most" in r.json()["error"]["message"]
        small = {"url": wb.echo_url + "/get"}
        codes = [
            api.post("/api/requests", json={"name": f"s{i}", "request": small}).status_code
            for i in range(3)
        ]
        assert codes == [201, 201, 429]
        assert responsive(wb.url)


def test_a_public_instance_ignores_proxies_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The SSRF guard checks the address a send connects to; through a proxy
    taken from the server's environment that would be the proxy, not the
    target (and a socks5h:// proxy would even resolve the name itself)."""
    from reqlab.web.config import WebConfig
    from reqlab.web.sender import make_client

    monkeypatch.setenv("ALL_PROXY", "socks5h://127.0.0.1:1080")
    public = make_client(WebConfig(public=True))
    local = make_client(WebConfig())
    assert public.pool.proxies.for_target("http", "example.org") is None
    assert local.pool.proxies.for_target("http", "example.org") is not None
