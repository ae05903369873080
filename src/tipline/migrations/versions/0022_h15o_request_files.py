"""orgrequests: the files an organisation answered a request with (kept in the evidence store)

Revision ID: 0022_h15o
Revises: 0021_h14c
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tipline.db_types import BigId, UtcDateTime

revision: str = "0022_h15o"
down_revision: str | None = "0021_h14c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "org_request_file",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column(
            "request_id",
            BigId,
            sa.ForeignKey("org_request.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("evidence_id", BigId, sa.ForeignKey("evidence.id"), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("attached_by", sa.String(length=200), nullable=False),
        sa.Column("attached_at", UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("org_request_file")
