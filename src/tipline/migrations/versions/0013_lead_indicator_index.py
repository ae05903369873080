"""report_indicator's index by indicator also holds reporter_own: campaign linking counts an
indicator's links that are the reporter's own from the index alone

Revision ID: 0013_lead
Revises: 0012_lead
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0013_lead"
down_revision: str | None = "0012_lead"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_report_indicator_indicator_id", table_name="report_indicator")
    op.create_index(
        "ix_report_indicator_indicator_id", "report_indicator", ["indicator_id", "reporter_own"]
    )


def downgrade() -> None:
    op.drop_index("ix_report_indicator_indicator_id", table_name="report_indicator")
    op.create_index("ix_report_indicator_indicator_id", "report_indicator", ["indicator_id"])
