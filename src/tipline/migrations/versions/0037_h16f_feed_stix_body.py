"""feeds: each entry's STIX indicator, written when the entry changes

Existing entries get theirs at the next refresh (`tipline serve` runs a full one as it starts;
`tipline feeds refresh` too); until then a pull builds them as before.

Revision ID: 0037_h16f
Revises: 0036_h19s
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0037_h16f"
down_revision: str | None = "0036_h19s"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("feed_entry") as batch:
        batch.add_column(sa.Column("stix_body", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feed_entry") as batch:
        batch.drop_column("stix_body")
