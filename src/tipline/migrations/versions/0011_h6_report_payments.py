"""report payments: the transfers a victim made (date, amount, her bank, the account she paid)

Revision ID: 0011_h6
Revises: 0011_h1
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_h6"
down_revision: str | None = "0011_h1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.add_column(sa.Column("payments", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.drop_column("payments")
