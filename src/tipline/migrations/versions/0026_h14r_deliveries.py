"""sharing: who received which published object (revocations go only to those who had it)

Revision ID: 0026_h14r
Revises: 0025_h16o
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tipline.db_types import UtcDateTime

revision: str = "0026_h14r"
down_revision: str | None = "0025_h16o"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "delivered_object",
        sa.Column("recipient", sa.String(length=120), nullable=False),
        sa.Column("stix_id", sa.String(length=120), nullable=False),
        sa.Column("tlp", sa.String(length=16), nullable=False),
        sa.Column("modified", UtcDateTime(), nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.Column("delivered_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("recipient", "stix_id", name=op.f("pk_delivered_object")),
    )


def downgrade() -> None:
    op.drop_table("delivered_object")
