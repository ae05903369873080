"""feeds: each organisation's feed agreement, and the feed's entries (docs/feeds.md)

Revision ID: 0027_h16f
Revises: 0026_h14r
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tipline.db_types import BigId, UtcDateTime

revision: str = "0027_h16f"
down_revision: str | None = "0026_h14r"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organisation") as batch:
        batch.add_column(sa.Column("feed_kinds", sa.Text(), server_default="", nullable=False))
        batch.add_column(sa.Column("feed_categories", sa.Text(), server_default="", nullable=False))
        batch.add_column(
            sa.Column("feed_min_confidence", sa.Integer(), server_default="70", nullable=False)
        )
    op.create_table(
        "feed_entry",
        sa.Column("indicator_id", BigId, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=2000), nullable=False),
        sa.Column("stix_id", sa.String(length=120), nullable=True),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=True),
        sa.Column("category_mask", sa.Integer(), nullable=False),
        sa.Column("confidence", sa.Integer(), nullable=False),
        sa.Column("shown_mask", sa.Integer(), nullable=False),
        sa.Column("peak_confidence", sa.Integer(), nullable=False),
        sa.Column("tlp", sa.String(length=16), nullable=False),
        sa.Column("first_seen", UtcDateTime(), nullable=False),
        sa.Column("last_seen", UtcDateTime(), nullable=False),
        sa.Column("added_at", UtcDateTime(), nullable=False),
        sa.Column("changed_at", UtcDateTime(), nullable=False),
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.PrimaryKeyConstraint("indicator_id", name=op.f("pk_feed_entry")),
    )
    op.create_index("ix_feed_entry_seq", "feed_entry", ["seq"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_feed_entry_seq", table_name="feed_entry")
    op.drop_table("feed_entry")
    with op.batch_alter_table("organisation") as batch:
        batch.drop_column("feed_min_confidence")
        batch.drop_column("feed_categories")
        batch.drop_column("feed_kinds")
