"""requests: an index that holds all the figures dashboard reads, by organisation and date sent

Revision ID: 0032_h14r
Revises: 0031_h19l
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0032_h14r"
down_revision: str | None = "0031_h19l"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = [
    "organisation_id", "sent_at", "status", "due_at", "seen_at", "answered_at", "outcome",
    "amount_frozen",
]  # fmt: skip


def upgrade() -> None:
    op.create_index("ix_org_request_figures", "org_request", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_org_request_figures", table_name="org_request")
