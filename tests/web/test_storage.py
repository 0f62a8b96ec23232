"""Storage: the same tests on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reqlab.web.migrate import current
from reqlab.web.storage import Storage, default_db_url, normalise_url

from .pg import pg_bin, postgres_server


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    if pg_bin() is None:  # scripts/setup.d/40-web.sh installs it; only a bare machine lacks it
        pytest.skip("PostgreSQL is not installed")
    with postgres_server() as url:
        yield url


@pytest.fixture(
    params=[
        "sqlite",
        # One worker starts the one server: the group keeps these tests together.
        pytest.param(
            "postgres", marks=[pytest.mark.postgres, pytest.mark.xdist_group("web-postgres")]
        ),
    ]
)
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    if request.param == "sqlite":
        s = Storage(f"sqlite:///{tmp_path / 'db' / 's.db'}")
    else:
        s = Storage(request.getfixturevalue("pg_url"))
        with s.engine.begin() as conn:  # the module's server is shared: start empty
            conn.exec_driver_sql("DELETE FROM history")
            conn.exec_driver_sql("DELETE FROM saved_requests")
    yield s
    s.close()


REQ = {"method": "POST", "url": "http://example.org/a?q=1", "headers": [["A", "b"]], "body": None}


def test_schema_comes_from_the_migrations(storage: Storage) -> None:
    assert current(storage.engine) == "0002"
    Storage(storage.url).close()  # upgrading an up-to-date database is a no-op


def test_owners_from_before_0002_keep_their_data(tmp_path: Path) -> None:
    """0002 records minted session ids; owners already in the database are
    carried over as used sessions, so their browsers are still recognised."""
    from reqlab.web.identity import SessionIds
    from reqlab.web.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = Storage(url, migrate=False)
    upgrade(old.engine, "0001")
    with old.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO history (owner, method, url, request, created_at) "
            "VALUES ('an-old-owner-id-0000', 'GET', 'http://x/', '{}', 0)"
        )
    old.close()
    new = Storage(url)
    try:
        ids = SessionIds(new)
        assert ids.used("an-old-owner-id-0000") is True
        assert ids.used("never-minted-id-00000") is None
    finally:
        new.close()


def test_save_get_list_delete(storage: Storage) -> None:
    a = storage.save("me", "first", REQ)
    b = storage.save("me", "second", {**REQ, "url": "http://other.example/"})
    storage.save("you", "theirs", REQ)
    got = storage.get(a.id)
    assert got is not None and got.request == REQ and got.name == "first" and got.method == "POST"
    assert [s.name for s in storage.list_saved("me")] == ["second", "first"]
    assert [s.name for s in storage.list_saved("me", "OTHER")] == ["second"]
    assert not storage.delete_saved("you", b.id)  # not yours
    assert storage.delete_saved("me", b.id)
    assert storage.get(b.id) is None
    assert len({a.id, b.id}) == 2 and len(a.id) >= 12


def test_history_order_search_and_clear(storage: Storage) -> None:
    first = storage.add_history("me", REQ, 200, 1.5)
    storage.add_history("me", {**REQ, "url": "http://x.example/needle"}, None, None, "refused")
    storage.add_history("you", REQ, 500, 3.0)
    rows = storage.list_history("me")
    assert [r["status"] for r in rows] == [None, 200]
    assert rows[0]["error"] == "refused" and rows[1]["total_ms"] == 1.5
    assert [r["url"] for r in storage.list_history("me", "NEEDLE")] == ["http://x.example/needle"]
    entry = storage.get_history("me", first)
    assert entry is not None and entry["request"] == REQ
    assert storage.get_history("you", first) is None
    assert storage.clear_history("me") == 2
    assert storage.list_history("me") == [] and len(storage.list_history("you")) == 1


def test_sqlite_is_durable_on_commit(tmp_path: Path) -> None:
    s = Storage(f"sqlite:///{tmp_path / 'd.db'}")
    with s.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL: saves fsync
    with s.log_engine.connect() as conn:  # history: a log, committed without waiting on fsync
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    s.close()


def test_default_database_lives_in_the_xdg_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_db_url() == f"sqlite:///{tmp_path}/reqlab/reqlab.db"
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
