"""partners and organisations; users act for them (tipline.partners)

Revision ID: 0008_h4
Revises: 0007_h6
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tipline.db_types

revision: str = "0008_h4"
down_revision: str | None = "0007_h6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organisation",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("contacts", sa.Text(), nullable=False),
        sa.Column("created_at", tipline.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
        sa.UniqueConstraint("name", name=op.f("uq_organisation_name")),
    )
    op.create_table(
        "partner",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("contacts", sa.Text(), nullable=False),
        sa.Column("created_at", tipline.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner")),
        sa.UniqueConstraint("name", name=op.f("uq_partner_name")),
    )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "partner_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column(
                "organisation_id",
                sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                nullable=True,
            )
        )
        batch_op.create_index(
            batch_op.f("ix_user_account_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_user_account_partner_id"), ["partner_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_user_account_partner_id_partner"), "partner", ["partner_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_user_account_organisation_id_organisation"),
            "organisation",
            ["organisation_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_user_account_organisation_id_organisation"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_user_account_partner_id_partner"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_user_account_partner_id"))
        batch_op.drop_index(batch_op.f("ix_user_account_organisation_id"))
        batch_op.drop_column("organisation_id")
        batch_op.drop_column("partner_id")

    op.drop_table("partner")
    op.drop_table("organisation")
