"""the queue's order: a child at risk or a risk to life first within an urgency; the analyst a
report is assigned to; indexes for the queue's sorts by age, by loss and "mine"

Revision ID: 0011_h8
Revises: 0010_h10
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_h8"
down_revision: str | None = "0010_h10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BY_URGENCY = ["urgency_rank", "risk_rank", "created_at", "id"]
_QUEUE_INDEXES = {
    "ix_report_queue": [],
    "ix_report_queue_status": ["status"],
    "ix_report_queue_category": ["category"],
    "ix_report_queue_province": ["province"],
}
# Reports stored before triage said `at_risk`: a child's sexual danger or a victim under 18 is
# read from the stored category and age group (a threat to life needs triage run again).
_BACKFILL = (
    "UPDATE report SET risk_rank = 0 WHERE category = 'child_exploitation' "
    "OR victim_age_group IN ('under_13', '13_17')"
)


def upgrade() -> None:
    op.add_column(
        "report",
        sa.Column("risk_rank", sa.SmallInteger(), server_default=sa.text("1"), nullable=False),
    )
    op.add_column("report", sa.Column("assignee", sa.String(length=100), nullable=True))
    op.execute(_BACKFILL)
    for name, leading in _QUEUE_INDEXES.items():
        op.drop_index(name, table_name="report")
        op.create_index(name, "report", [*leading, *_BY_URGENCY])
    op.create_index("ix_report_queue_assignee", "report", ["assignee", *_BY_URGENCY])
    op.create_index("ix_report_queue_age", "report", ["created_at", "id"])
    op.create_index("ix_report_queue_loss", "report", ["loss_amount", "id"])


def downgrade() -> None:
    for name in ("ix_report_queue_loss", "ix_report_queue_age", "ix_report_queue_assignee"):
        op.drop_index(name, table_name="report")
    for name, leading in _QUEUE_INDEXES.items():
        op.drop_index(name, table_name="report")
        op.create_index(name, "report", [*leading, "urgency_rank", "created_at", "id"])
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_column("assignee")
        batch_op.drop_column("risk_rank")
