"""bank accounts indexed by their bare digits (the check finds one at any bank); who reported

Revision ID: 0011_h7
Revises: 0013_lead
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_h7"
down_revision: str | None = "0013_lead"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("indicator", sa.Column("account_digits", sa.String(length=32), nullable=True))
    # `BANK:DIGITS` → DIGITS, for the accounts already stored.
    if op.get_bind().dialect.name == "postgresql":
        digits = "split_part(value, ':', 2)"
    else:
        digits = "substr(value, instr(value, ':') + 1)"
    op.execute(f"UPDATE indicator SET account_digits = {digits} WHERE kind = 'bank_account'")
    op.create_index(op.f("ix_indicator_account_digits"), "indicator", ["account_digits"])
    # Who reported (the child herself, a parent, a teacher…): the advice is written to them.
    op.add_column("report", sa.Column("reporter", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.drop_column("reporter")
    op.drop_index(op.f("ix_indicator_account_digits"), table_name="indicator")
    with op.batch_alter_table("indicator") as batch:
        batch.drop_column("account_digits")
