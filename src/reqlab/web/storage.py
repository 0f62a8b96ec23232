"""Saved requests and history, on SQLite (default) or PostgreSQL.

One schema, created and upgraded by the Alembic migrations shipped in
``reqlab/web/migrations`` (see :mod:`reqlab.web.migrate`).  The engine is
synchronous SQLAlchemy Core; the web layer calls it from a thread pool so
the event loop never waits on the disk.

Durability: a save returns only after its transaction has committed, and on
SQLite the database runs in WAL mode with ``synchronous=FULL``, so a commit
has reached the disk (fsync) before the API acknowledges it.  A ``kill -9``
of the server therefore loses nothing that was acknowledged.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    insert,
    or_,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool

metadata = MetaData()

saved_requests = Table(
    "saved_requests",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("owner", String(64), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("method", String(32), nullable=False),
    Column("url", Text, nullable=False),
    Column("request", Text, nullable=False),  # the API's JSON form of the request
    Column("created_at", Float, nullable=False),
    # Whether a share link (someone else opening it) shows its secrets.
    Column("include_secrets", Boolean, nullable=False, default=False),
)

# Every session id the server minted (see reqlab.web.identity); "used" once
# history or a saved request was written under it.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("client", String(64), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("used", Boolean, nullable=False),
)

history = Table(
    "history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("owner", String(64), nullable=False, index=True),
    Column("method", String(32), nullable=False),
    Column("url", Text, nullable=False),
    Column("status", Integer, nullable=True),
    Column("error", Text, nullable=True),
    Column("total_ms", Float, nullable=True),
    Column("request", Text, nullable=False),
    Column("created_at", Float, nullable=False, index=True),
)


def _saved(r: Any) -> Saved:
    return Saved(
        r.id,
        r.name,
        r.method,
        r.url,
        json.loads(r.request),
        r.created_at,
        bool(r.include_secrets),
        r.owner,
    )


def _trim(conn: Any, owner: str, keep: int | None, max_age: float | None) -> None:
    mine = history.c.owner == owner
    if max_age is not None:
        conn.execute(delete(history).where(mine, history.c.created_at < time.time() - max_age))
    if keep is not None:
        newest = select(history.c.id).where(mine).order_by(history.c.id.desc())
        cutoff = conn.execute(newest.offset(keep).limit(1)).scalar()
        if cutoff is not None:
            conn.execute(delete(history).where(mine, history.c.id <= cutoff))


def default_db_url() -> str:
    """SQLite in the XDG data directory: ``$XDG_DATA_HOME/reqlab/reqlab.db``."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
    return f"sqlite:///{os.path.join(base, 'reqlab', 'reqlab.db')}"


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` as the user writes it; use psycopg 3 for it."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, synchronous: str = "FULL") -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite:"):
        path = url[len("sqlite:///") :]
        args: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        else:  # in memory: one shared connection, or every checkout sees an empty database
            args["poolclass"] = StaticPool
        engine = create_engine(url, **args)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            # WAL lets readers run during a write; FULL syncs the WAL on
            # every commit, which is what makes an acknowledged save durable.
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(f"PRAGMA synchronous={synchronous}")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


@dataclass(frozen=True)
class Saved:
    id: str
    name: str
    method: str
    url: str
    request: dict[str, Any]
    created_at: float
    include_secrets: bool = False
    owner: str = ""

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "method": self.method,
            "url": self.url,
            "created_at": self.created_at,
            "share": f"/r/{self.id}",
            "include_secrets": self.include_secrets,
        }


class Storage:
    """The database, behind plain methods (all synchronous, all committed)."""

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = normalise_url(url)
        self.engine = make_engine(self.url)
        # History is a log, not a promise: its commits skip the fsync (WAL
        # synchronous=NORMAL; PostgreSQL synchronous_commit off), so a send
        # does not wait for the disk.  Both still survive the server process
        # being killed; only an OS crash could drop the last few entries.
        self.sqlite = self.engine.dialect.name == "sqlite"
        in_memory = self.url in ("sqlite://", "sqlite:///:memory:")
        self.log_engine = (
            make_engine(self.url, synchronous="NORMAL")
            if self.sqlite and not in_memory
            else self.engine
        )
        if migrate:
            from reqlab.web.migrate import upgrade

            upgrade(self.engine)

    def close(self) -> None:
        self.engine.dispose()
        self.log_engine.dispose()

    # ---------------------------------------------------------- saved
    def save(
        self, owner: str, name: str, request: dict[str, Any], include_secrets: bool = False
    ) -> Saved:
        row = Saved(
            id=secrets.token_urlsafe(9),
            name=name,
            method=str(request.get("method", "GET")),
            url=str(request.get("url", "")),
            request=request,
            created_at=time.time(),
            include_secrets=include_secrets,
            owner=owner,
        )
        with self.engine.begin() as conn:  # commits (and syncs) before returning
            conn.execute(
                insert(saved_requests).values(
                    id=row.id,
                    owner=owner,
                    name=row.name,
                    method=row.method,
                    url=row.url,
                    request=json.dumps(request),
                    created_at=row.created_at,
                    include_secrets=include_secrets,
                )
            )
        return row

    def get(self, saved_id: str) -> Saved | None:
        with self.engine.connect() as conn:
            r = conn.execute(select(saved_requests).where(saved_requests.c.id == saved_id)).first()
        if r is None:
            return None
        return _saved(r)

    def count_saved(self, owner: str) -> int:
        stmt = select(func.count()).where(saved_requests.c.owner == owner)
        with self.engine.connect() as conn:
            return int(conn.execute(stmt).scalar_one())

    def list_saved(self, owner: str | None, query: str = "", limit: int = 200) -> list[Saved]:
        stmt = select(saved_requests).order_by(saved_requests.c.created_at.desc()).limit(limit)
        if owner is not None:
            stmt = stmt.where(saved_requests.c.owner == owner)
        if query:
            like = f"%{query.lower()}%"
            stmt = stmt.where(
                or_(
                    func.lower(saved_requests.c.name).like(like),
                    func.lower(saved_requests.c.url).like(like),
                )
            )
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return [_saved(r) for r in rows]

    def delete_saved(self, owner: str | None, saved_id: str) -> bool:
        stmt = delete(saved_requests).where(saved_requests.c.id == saved_id)
        if owner is not None:
            stmt = stmt.where(saved_requests.c.owner == owner)
        with self.engine.begin() as conn:
            return conn.execute(stmt).rowcount > 0

    # -------------------------------------------------------- history
    def add_history(
        self,
        owner: str,
        request: dict[str, Any],
        status: int | None,
        total_ms: float | None,
        error: str | None = None,
        keep: int | None = None,
        max_age: float | None = None,
    ) -> int:
        """Log one send; then trim the owner's history to its newest ``keep``
        entries and to ``max_age`` seconds (None: no such limit)."""
        with self.log_engine.begin() as conn:
            if not self.sqlite:
                conn.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
            result = conn.execute(
                insert(history).values(
                    owner=owner,
                    method=str(request.get("method", "GET")),
                    url=str(request.get("url", "")),
                    status=status,
                    error=error,
                    total_ms=total_ms,
                    request=json.dumps(request),
                    created_at=time.time(),
                )
            )
            key = result.inserted_primary_key
            assert key is not None  # set by every single-row INSERT
            _trim(conn, owner, keep, max_age)
            return int(key[0])

    def list_history(
        self, owner: str | None, query: str = "", limit: int = 100
    ) -> list[dict[str, Any]]:
        cols = [c for c in history.c if c.name not in ("request", "owner")]
        stmt = select(*cols).order_by(history.c.id.desc()).limit(limit)
        if owner is not None:
            stmt = stmt.where(history.c.owner == owner)
        if query:
            like = f"%{query.lower()}%"
            stmt = stmt.where(
                or_(func.lower(history.c.url).like(like), func.lower(history.c.method).like(like))
            )
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(stmt)]

    def get_history(self, owner: str | None, entry_id: int) -> dict[str, Any] | None:
        stmt = select(history).where(history.c.id == entry_id)
        if owner is not None:
            stmt = stmt.where(history.c.owner == owner)
        with self.engine.connect() as conn:
            r = conn.execute(stmt).first()
        if r is None:
            return None
        out = dict(r._mapping)
        out["request"] = json.loads(out["request"])
        out.pop("owner", None)
        return out

    def clear_history(self, owner: str | None) -> int:
        stmt = delete(history)
        if owner is not None:
            stmt = stmt.where(history.c.owner == owner)
        with self.engine.begin() as conn:
            return conn.execute(stmt).rowcount
