"""alerts: public warnings drawn from campaigns, and the values they name

Revision ID: 0030_h19a
Revises: 0029_h14r
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tipline.db_types import BigId, UtcDateTime

revision: str = "0030_h19a"
down_revision: str | None = "0029_h14r"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alert",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("uid", sa.Uuid(), nullable=False, unique=True),
        sa.Column("campaign_uid", sa.Uuid(), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("pending", sa.String(16), nullable=True),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("indicators", sa.JSON(), nullable=False),
        sa.Column("public", sa.JSON(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("report_count", sa.Integer(), nullable=False),
        sa.Column("last_report_at", UtcDateTime, nullable=True),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("editor", sa.String(200), nullable=False),
        sa.Column("reviewer", sa.String(200), nullable=True),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
        sa.Column("published_at", UtcDateTime, nullable=True),
        sa.Column("withdrawn_at", UtcDateTime, nullable=True),
    )
    op.create_index("ix_alert_campaign_uid", "alert", ["campaign_uid"])
    op.create_index("ix_alert_status", "alert", ["status"])
    op.create_table(
        "alert_indicator",
        sa.Column(
            "alert_id", BigId, sa.ForeignKey("alert.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("value", sa.String(2000), primary_key=True),
    )
    op.create_index("ix_alert_indicator_kind_value", "alert_indicator", ["kind", "value"])


def downgrade() -> None:
    op.drop_index("ix_alert_indicator_kind_value", table_name="alert_indicator")
    op.drop_table("alert_indicator")
    op.drop_index("ix_alert_status", table_name="alert")
    op.drop_index("ix_alert_campaign_uid", table_name="alert")
    op.drop_table("alert")
