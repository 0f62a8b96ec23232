"""Server-minted session ids; share links without secrets by default.

Revision ID: 0002
Revises: 0001

Every session id the server minted gets a row, so a cookie the server never
issued is never adopted.  Owners already in the database (ids from before
this revision) are carried over as used sessions, so their browsers keep
their history.
"""

import time

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("used", sa.Boolean, nullable=False),
    )
    op.create_index("ix_web_sessions_client_created", "web_sessions", ["client", "created_at"])
    with op.batch_alter_table("saved_requests") as batch:
        batch.add_column(
            sa.Column("include_secrets", sa.Boolean, nullable=False, server_default=sa.false())
        )
    now = time.time()
    op.execute(
        sa.text(
            "INSERT INTO web_sessions (id, client, created_at, used) "
            "SELECT DISTINCT owner, '', :now, :used FROM "
            "(SELECT owner FROM history UNION SELECT owner FROM saved_requests) AS owners"
        ).bindparams(now=now, used=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("saved_requests") as batch:
        batch.drop_column("include_secrets")
    op.drop_table("web_sessions")
