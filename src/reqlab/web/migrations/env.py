"""Alembic environment: runs on the engine reqlab.web.migrate hands over."""

from __future__ import annotations

from alembic import context

from reqlab.web.storage import metadata

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
