"""sharing: objects a partner's server rejected are remembered with its reason, not resent

Revision ID: 0028_h14r
Revises: 0027_h16f
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028_h14r"
down_revision: str | None = "0027_h16f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pushed_object") as batch:
        batch.add_column(
            sa.Column("rejected", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(sa.Column("reason", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pushed_object") as batch:
        batch.drop_column("reason")
        batch.drop_column("rejected")
