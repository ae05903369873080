"""media: hash banks (known abuse images, victims' own photos), who may match, their hashes

Revision ID: 0024_h17b
Revises: 0023_h14f
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tipline.db_types import BigId, UtcDateTime

revision: str = "0024_h17b"
down_revision: str | None = "0023_h14f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "media_bank",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("owner_organisation_id", BigId, nullable=True),
        sa.Column("provenance", sa.Text(), nullable=False),
        sa.Column("tlp", sa.String(length=16), nullable=False),
        sa.Column("retention_days", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_organisation_id"],
            ["organisation.id"],
            name=op.f("fk_media_bank_owner_organisation_id_organisation"),
            ondelete="SET NULL",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_bank")),
        sa.UniqueConstraint("name", name=op.f("uq_media_bank_name")),
    )
    op.create_table(
        "media_bank_access",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("bank_id", BigId, nullable=False),
        sa.Column("organisation_id", BigId, nullable=True),
        sa.Column("partner_id", BigId, nullable=True),
        sa.Column("granted_by", sa.String(length=200), nullable=False),
        sa.Column("granted_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bank_id"],
            ["media_bank.id"],
            name=op.f("fk_media_bank_access_bank_id_media_bank"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_media_bank_access_organisation_id_organisation"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partner.id"],
            name=op.f("fk_media_bank_access_partner_id_partner"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_bank_access")),
        sa.UniqueConstraint("bank_id", "organisation_id", name="uq_media_bank_access_organisation"),
        sa.UniqueConstraint("bank_id", "partner_id", name="uq_media_bank_access_partner"),
    )
    op.create_index(
        "ix_media_bank_access_organisation", "media_bank_access", ["organisation_id", "bank_id"]
    )
    op.create_index("ix_media_bank_access_partner", "media_bank_access", ["partner_id", "bank_id"])
    op.create_table(
        "media_hash",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("bank_id", BigId, nullable=False),
        sa.Column("signal", sa.String(length=8), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.Column("quality", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("added_at", UtcDateTime(), nullable=False),
        sa.Column("removed_at", UtcDateTime(), nullable=True),
        sa.Column("receipt_hash", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["bank_id"],
            ["media_bank.id"],
            name=op.f("fk_media_hash_bank_id_media_bank"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_hash")),
    )
    op.create_index("ix_media_hash_signal_value", "media_hash", ["signal", "value"])
    op.create_index("ix_media_hash_bank_signal", "media_hash", ["bank_id", "signal", "id"])
    op.create_index("ix_media_hash_receipt", "media_hash", ["receipt_hash"])


def downgrade() -> None:
    op.drop_table("media_hash")
    op.drop_table("media_bank_access")
    op.drop_table("media_bank")
