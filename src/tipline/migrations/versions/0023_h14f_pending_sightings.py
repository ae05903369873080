"""sharing: a partner's sightings of indicators it has not sent yet, kept until they come

Revision ID: 0023_h14f
Revises: 0022_h15o
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tipline.db_types import UtcDateTime

revision: str = "0023_h14f"
down_revision: str | None = "0022_h15o"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pending_sighting",
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("stix_id", sa.String(length=120), nullable=False),
        sa.Column("sightings", sa.Integer(), nullable=False),
        sa.Column("last_seen", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("source", "stix_id", name=op.f("pk_pending_sighting")),
    )


def downgrade() -> None:
    op.drop_table("pending_sighting")
