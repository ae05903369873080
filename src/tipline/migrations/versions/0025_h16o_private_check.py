"""private check: OPRF keys (sealed), each key's set of entries, the follow job's position

Revision ID: 0025_h16o
Revises: 0024_h17b
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tipline.db_types import BigId, UtcDateTime

revision: str = "0025_h16o"
down_revision: str | None = "0024_h17b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "private_check_key",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("sealed_key", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("prefix_bits", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("activated_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_private_check_key")),
        sa.UniqueConstraint("key_id", name=op.f("uq_private_check_key_key_id")),
    )
    op.create_index(
        op.f("ix_private_check_key_state"), "private_check_key", ["state"], unique=False
    )
    op.create_table(
        "private_check_entry",
        sa.Column("key_pk", sa.Integer(), nullable=False),
        sa.Column("indicator_id", BigId, autoincrement=False, nullable=False),
        sa.Column("bucket", sa.Integer(), nullable=False),
        sa.Column("tag", sa.LargeBinary(length=16), nullable=False),
        sa.Column("sealed", sa.LargeBinary(length=500), nullable=False),
        sa.Column("last_seen", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["key_pk"],
            ["private_check_key.id"],
            name=op.f("fk_private_check_entry_key_pk_private_check_key"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key_pk", "indicator_id", name=op.f("pk_private_check_entry")),
    )
    op.create_index(
        "ix_private_check_entry_bucket", "private_check_entry", ["key_pk", "bucket"], unique=False
    )
    op.create_index(
        "ix_private_check_entry_last_seen",
        "private_check_entry",
        ["key_pk", "last_seen"],
        unique=False,
    )
    op.create_table(
        "private_check_follow",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("changes_since", UtcDateTime(), nullable=False),
        sa.Column("indicator_after", BigId, nullable=False),
        sa.Column("source_after", BigId, nullable=False),
        sa.Column("sweep_after", BigId, nullable=False),
        sa.Column("followed_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_private_check_follow")),
    )


def downgrade() -> None:
    op.drop_table("private_check_follow")
    op.drop_index("ix_private_check_entry_last_seen", table_name="private_check_entry")
    op.drop_index("ix_private_check_entry_bucket", table_name="private_check_entry")
    op.drop_table("private_check_entry")
    op.drop_index(op.f("ix_private_check_key_state"), table_name="private_check_key")
    op.drop_table("private_check_key")
