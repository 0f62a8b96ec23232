"""Run the Alembic migrations shipped inside the package.

No ``alembic.ini`` is needed: the configuration is built here and the
migration scripts live in ``reqlab/web/migrations``, so an installed wheel
can create or upgrade its own database on start.

Two ``reqlab serve`` processes started together on a new database would
both see "no tables yet" and both create them (the loser fails with "table
already exists").  So an upgrade runs under a lock the database's users
share: an exclusive ``flock`` on ``<file>.migrate.lock`` beside a SQLite
file, a session advisory lock on PostgreSQL.  The second process waits, then
finds the schema at head and has nothing to do.
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).with_name("migrations")
PG_LOCK_KEY = 0x7265716C6162  # "reqlab": any constant both processes agree on


def config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


@contextlib.contextmanager
def migration_lock(engine: Engine) -> Iterator[None]:
    """Held by one process at a time, for everything sharing ``engine``'s database."""
    database = engine.url.database
    if engine.dialect.name == "sqlite":
        if not database or database == ":memory:":
            yield  # private to this process: nobody to race
            return
        with open(f"{database}.migrate.lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            yield
        return
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": PG_LOCK_KEY})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": PG_LOCK_KEY})
                conn.commit()
        return
    yield


def upgrade(engine: Engine, revision: str = "head") -> None:
    with migration_lock(engine):
        command.upgrade(config(engine), revision)


def current(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
