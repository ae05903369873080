"""reporter's own indicators: a report–indicator link naming the reporter's own contact

Revision ID: 0007_h6
Revises: 0006
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_h6"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("report_indicator") as batch:
        batch.add_column(
            sa.Column("reporter_own", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("report_indicator") as batch:
        batch.drop_column("reporter_own")
