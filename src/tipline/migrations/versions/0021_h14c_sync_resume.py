"""sharing: a partner's collection pull resumes at the page where an interrupted sync stopped

Revision ID: 0021_h14c
Revises: 0020_h15w
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_h14c"
down_revision: str | None = "0020_h15w"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sync_cursor") as batch:
        batch.add_column(sa.Column("next_page", sa.String(length=1000), nullable=True))
        batch.alter_column("added_last", existing_type=sa.String(length=40), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM sync_cursor WHERE added_last IS NULL")
    with op.batch_alter_table("sync_cursor") as batch:
        batch.alter_column("added_last", existing_type=sa.String(length=40), nullable=False)
        batch.drop_column("next_page")
