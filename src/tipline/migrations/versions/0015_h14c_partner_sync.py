"""sharing: partners' TAXII servers, where each collection's pull stopped, what was pushed

Revision ID: 0015_h14c
Revises: 0014_lead
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tipline.db_types import UtcDateTime

revision: str = "0015_h14c"
down_revision: str | None = "0014_lead"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _partner_id(table: str) -> sa.Column[int]:
    """The partner a row belongs to (deleted with it)."""
    foreign = sa.ForeignKey(
        "partner.id", name=op.f(f"fk_{table}_partner_id_partner"), ondelete="CASCADE"
    )
    return sa.Column("partner_id", BIG_ID, foreign, nullable=False)


def upgrade() -> None:
    op.create_table(
        "partner_endpoint",
        _partner_id("partner_endpoint"),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("auth", sa.String(length=8), nullable=False),
        sa.Column("username", sa.String(length=200), nullable=False),
        sa.Column("sealed_secret", sa.Text(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("partner_id", name=op.f("pk_partner_endpoint")),
    )
    op.create_table(
        "sync_cursor",
        _partner_id("sync_cursor"),
        sa.Column("collection_id", sa.String(length=200), nullable=False),
        sa.Column("added_last", sa.String(length=40), nullable=False),
        sa.Column("pulled", sa.Integer(), nullable=False),
        sa.Column("synced_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("partner_id", "collection_id", name=op.f("pk_sync_cursor")),
    )
    op.create_table(
        "pushed_object",
        _partner_id("pushed_object"),
        sa.Column("collection_id", sa.String(length=200), nullable=False),
        sa.Column("stix_id", sa.String(length=120), nullable=False),
        sa.Column("modified", UtcDateTime(), nullable=False),
        sa.Column("pushed_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint(
            "partner_id", "collection_id", "stix_id", name=op.f("pk_pushed_object")
        ),
    )


def downgrade() -> None:
    op.drop_table("pushed_object")
    op.drop_table("sync_cursor")
    op.drop_table("partner_endpoint")
