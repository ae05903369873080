"""trends: scripts (clusters of similar narratives) and each report's script

Revision ID: 0036_h19s
Revises: 0035_h15r
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tipline.db_types import BigId, UtcDateTime

revision: str = "0036_h19s"
down_revision: str | None = "0035_h15r"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "trend_script",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("words", sa.JSON(), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "report_script",
        sa.Column(
            "report_id",
            BigId,
            sa.ForeignKey("report.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "script_id",
            BigId,
            sa.ForeignKey("trend_script.id", ondelete="CASCADE"),
            nullable=False,
        ),
    )
    op.create_index("ix_report_script_script_id", "report_script", ["script_id"])


def downgrade() -> None:
    op.drop_index("ix_report_script_script_id", table_name="report_script")
    op.drop_table("report_script")
    op.drop_table("trend_script")
