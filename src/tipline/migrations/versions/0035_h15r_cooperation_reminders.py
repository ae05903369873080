"""cooperation: the deadline and the preservation end a reminder was last sent for

Revision ID: 0035_h15r
Revises: 0034_h18e
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0035_h15r"
down_revision: str | None = "0034_h18e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cooperation_request") as batch:
        batch.add_column(sa.Column("reminded_deadline", sa.Date(), nullable=True))
        batch.add_column(sa.Column("reminded_lapse", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cooperation_request") as batch:
        batch.drop_column("reminded_lapse")
        batch.drop_column("reminded_deadline")
