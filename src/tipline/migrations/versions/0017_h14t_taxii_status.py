"""sharing: the status of each envelope POSTed to the TAXII server's inbox

Revision ID: 0017_h14t
Revises: 0016_lead
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tipline.db_types import BigId, UtcDateTime

revision: str = "0017_h14t"
down_revision: str | None = "0016_lead"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "taxii_status",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("user_id", BigId, nullable=False),
        sa.Column("partner_id", BigId, nullable=True),
        sa.Column("collection_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("request_timestamp", UtcDateTime(), nullable=False),
        sa.Column("total_count", sa.Integer(), nullable=False),
        sa.Column("success_count", sa.Integer(), nullable=False),
        sa.Column("failure_count", sa.Integer(), nullable=False),
        sa.Column("pending_count", sa.Integer(), nullable=False),
        sa.Column("outcomes", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("taxii_status")
