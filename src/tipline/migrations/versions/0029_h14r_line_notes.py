"""requests: a note on each line of an organisation's answer (its per-line outcome)

Revision ID: 0029_h14r
Revises: 0028_h14r
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029_h14r"
down_revision: str | None = "0028_h14r"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("org_request_line") as batch:
        batch.add_column(sa.Column("note", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("org_request_line") as batch:
        batch.drop_column("note")
