"""sharing: published STIX objects, partners' policies, indicators' TLP, partners' sightings

Revision ID: 0014_lead
Revises: 0011_h7
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tipline.db_types import UtcDateTime

revision: str = "0014_lead"
down_revision: str | None = "0011_h7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every category and indicator kind as of this migration (a new partner's policy).
ALL_CATEGORIES = (
    "child_exploitation,fraud.impersonation,fraud.investment,fraud.job_task,fraud.loan,"
    "fraud.phishing,fraud.romance,fraud.shopping,hacking,harassment,other,sextortion"
)
ALL_KINDS = "bank_account,crypto,domain,email,hash,ip,phone,social,url"


def upgrade() -> None:
    op.create_table(
        "shared_object",
        sa.Column("stix_id", sa.String(length=120), primary_key=True),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("origin", sa.String(length=80), nullable=False),
        sa.Column("tlp", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=True),
        sa.Column("category_mask", sa.Integer(), nullable=False),
        sa.Column("needs_campaigns", sa.Boolean(), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("modified", UtcDateTime(), nullable=False),
        sa.Column("date_added", UtcDateTime(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
    )
    op.create_index("ix_shared_object_date_added", "shared_object", ["date_added", "stix_id"])
    op.create_index("ix_shared_object_origin", "shared_object", ["origin"])
    with op.batch_alter_table("partner") as batch:
        batch.add_column(
            sa.Column("max_tlp", sa.String(16), nullable=False, server_default="clear")
        )
        batch.add_column(
            sa.Column("categories", sa.Text(), nullable=False, server_default=ALL_CATEGORIES)
        )
        batch.add_column(sa.Column("kinds", sa.Text(), nullable=False, server_default=ALL_KINDS))
        batch.add_column(
            sa.Column("campaigns", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.add_column("indicator", sa.Column("tlp", sa.String(length=16), nullable=True))
    op.add_column("indicator_source", sa.Column("tlp", sa.String(length=16), nullable=True))
    op.add_column("indicator_source", sa.Column("sightings", sa.Integer(), nullable=True))
    op.add_column("indicator_source", sa.Column("stix_id", sa.String(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("indicator_source") as batch:
        batch.drop_column("stix_id")
        batch.drop_column("sightings")
        batch.drop_column("tlp")
    with op.batch_alter_table("indicator") as batch:
        batch.drop_column("tlp")
    with op.batch_alter_table("partner") as batch:
        for column in ("campaigns", "kinds", "categories", "max_tlp"):
            batch.drop_column(column)
    op.drop_index("ix_shared_object_origin", table_name="shared_object")
    op.drop_index("ix_shared_object_date_added", table_name="shared_object")
    op.drop_table("shared_object")
