"""private check: each entry as an answer lists it, so that a check encodes nothing

Existing entries get theirs when next saved (the follow job's sweep re-saves every indicator's
entry in turn; `tipline private-check build` all at once); until then a check encodes them.

Revision ID: 0038_h16f
Revises: 0037_h16f
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0038_h16f"
down_revision: str | None = "0037_h16f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("private_check_entry") as batch:
        batch.add_column(sa.Column("answer_json", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("private_check_entry") as batch:
        batch.drop_column("answer_json")
