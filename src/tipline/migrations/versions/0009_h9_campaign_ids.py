"""campaign ids: a stable identifier per campaign, surviving merges and splits

Every campaign stored so far (a distinct `campaign_report.campaign_id`) gets a new UUID.

Revision ID: 0009_h9
Revises: 0008_h4
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import tipline.db_types

revision: str = "0009_h9"
down_revision: str | None = "0008_h4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 10_000


def upgrade() -> None:
    campaign = op.create_table(
        "campaign",
        sa.Column("uid", sa.Uuid(), nullable=False),
        sa.Column("label", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("created_at", tipline.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("merged_into", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("uid", name=op.f("pk_campaign")),
    )
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_campaign_label"), ["label"], unique=False)
        batch_op.create_index(batch_op.f("ix_campaign_merged_into"), ["merged_into"], unique=False)
    _identify_stored_campaigns(campaign)


def _identify_stored_campaigns(campaign: sa.Table) -> None:
    connection = op.get_bind()
    placements = sa.table("campaign_report", sa.column("campaign_id", sa.BigInteger()))
    labels = connection.scalars(
        sa.select(placements.c.campaign_id).distinct().order_by(placements.c.campaign_id)
    ).all()
    now = datetime.now(UTC)
    rows = [{"uid": uuid.uuid4(), "label": label, "created_at": now} for label in labels]
    for start in range(0, len(rows), BATCH):
        connection.execute(sa.insert(campaign), rows[start : start + BATCH])


def downgrade() -> None:
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_merged_into"))
        batch_op.drop_index(batch_op.f("ix_campaign_label"))
    op.drop_table("campaign")
