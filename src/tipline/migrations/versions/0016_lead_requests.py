"""requests to organisations and cooperation requests

Revision ID: 0016_lead
Revises: 0015_h14c
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tipline.db_types

revision: str = "0016_lead"
down_revision: str | None = "0015_h14c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cooperation_request",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("direction", sa.String(length=16), nullable=False),
        sa.Column("type", sa.String(length=24), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column(
            "partner_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("requesting_authority", sa.String(length=200), nullable=False),
        sa.Column("requested_authority", sa.String(length=200), nullable=False),
        sa.Column("their_reference", sa.String(length=100), nullable=True),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("offences", sa.Text(), nullable=False),
        sa.Column("data_requested", sa.JSON(), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("confidentiality", sa.Text(), nullable=False),
        sa.Column("data_conditions", sa.Text(), nullable=False),
        sa.Column("case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", tipline.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", tipline.db_types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("answered_at", tipline.db_types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("preserved_until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_file.id"],
            name=op.f("fk_cooperation_request_case_id_case_file"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partner.id"], name=op.f("fk_cooperation_request_partner_id_partner")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cooperation_request")),
        sa.UniqueConstraint("reference", name=op.f("uq_cooperation_request_reference")),
    )
    with op.batch_alter_table("cooperation_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cooperation_request_partner_id"), ["partner_id"], unique=False
        )
        batch_op.create_index(
            "ix_cooperation_request_status_deadline", ["status", "deadline"], unique=False
        )

    op.create_table(
        "org_request",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column(
            "organisation_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("report_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("campaign_uid", sa.Uuid(), nullable=True),
        sa.Column("case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("auto_drafted", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", tipline.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", tipline.db_types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("seen_at", tipline.db_types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("due_at", tipline.db_types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("answered_at", tipline.db_types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("org_reference", sa.String(length=100), nullable=True),
        sa.Column("amount_frozen", sa.Numeric(precision=20, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=8), nullable=False),
        sa.Column("preserved", sa.Text(), nullable=False),
        sa.Column("answer_note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_file.id"],
            name=op.f("fk_org_request_case_id_case_file"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_org_request_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["report.id"],
            name=op.f("fk_org_request_report_id_report"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_request")),
        sa.UniqueConstraint("reference", name=op.f("uq_org_request_reference")),
    )
    with op.batch_alter_table("org_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_org_request_campaign_uid"), ["campaign_uid"], unique=False
        )
        batch_op.create_index(
            "ix_org_request_organisation_status",
            ["organisation_id", "status", "due_at"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_org_request_report_id"), ["report_id"], unique=False)
        batch_op.create_index("ix_org_request_status_due", ["status", "due_at"], unique=False)

    op.create_table(
        "cooperation_event",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "request_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", tipline.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["cooperation_request.id"],
            name=op.f("fk_cooperation_event_request_id_cooperation_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cooperation_event")),
    )
    with op.batch_alter_table("cooperation_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cooperation_event_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "cooperation_link",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "request_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("report_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("campaign_uid", sa.Uuid(), nullable=True),
        sa.Column(
            "indicator_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_cooperation_link_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["report.id"],
            name=op.f("fk_cooperation_link_report_id_report"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["cooperation_request.id"],
            name=op.f("fk_cooperation_link_request_id_cooperation_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cooperation_link")),
    )
    with op.batch_alter_table("cooperation_link", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cooperation_link_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "org_request_event",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "request_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", tipline.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["org_request.id"],
            name=op.f("fk_org_request_event_request_id_org_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_request_event")),
    )
    with op.batch_alter_table("org_request_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_org_request_event_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "org_request_line",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "request_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "indicator_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=2000), nullable=False),
        sa.Column("amount", sa.Numeric(precision=20, scale=2), nullable=True),
        sa.Column("transfer_times", sa.JSON(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("amount_frozen", sa.Numeric(precision=20, scale=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_org_request_line_indicator_id_indicator"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["org_request.id"],
            name=op.f("fk_org_request_line_request_id_org_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_request_line")),
    )
    with op.batch_alter_table("org_request_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_org_request_line_indicator_id"), ["indicator_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_org_request_line_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "webhook_delivery",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "organisation_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "request_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", tipline.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", tipline.db_types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", tipline.db_types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("gave_up", sa.Boolean(), nullable=False),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_webhook_delivery_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["org_request.id"],
            name=op.f("fk_webhook_delivery_request_id_org_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_delivery")),
    )
    with op.batch_alter_table("webhook_delivery", schema=None) as batch_op:
        batch_op.create_index(
            "ix_webhook_delivery_due", ["delivered_at", "next_attempt_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_webhook_delivery_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_webhook_delivery_request_id"), ["request_id"], unique=False
        )

    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bank_code", sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column("phone_prefixes", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("domains", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("response_hours", sa.JSON(), server_default=sa.text("'{}'"), nullable=False)
        )
        batch_op.add_column(sa.Column("webhook_url", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("webhook_secret", sa.Text(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_organisation_bank_code"), ["bank_code"])


def downgrade() -> None:
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_organisation_bank_code"), type_="unique")
        batch_op.drop_column("webhook_secret")
        batch_op.drop_column("webhook_url")
        batch_op.drop_column("response_hours")
        batch_op.drop_column("domains")
        batch_op.drop_column("phone_prefixes")
        batch_op.drop_column("bank_code")

    with op.batch_alter_table("webhook_delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_delivery_request_id"))
        batch_op.drop_index(batch_op.f("ix_webhook_delivery_organisation_id"))
        batch_op.drop_index("ix_webhook_delivery_due")

    op.drop_table("webhook_delivery")
    with op.batch_alter_table("org_request_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_org_request_line_request_id"))
        batch_op.drop_index(batch_op.f("ix_org_request_line_indicator_id"))

    op.drop_table("org_request_line")
    with op.batch_alter_table("org_request_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_org_request_event_request_id"))

    op.drop_table("org_request_event")
    with op.batch_alter_table("cooperation_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cooperation_link_request_id"))

    op.drop_table("cooperation_link")
    with op.batch_alter_table("cooperation_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cooperation_event_request_id"))

    op.drop_table("cooperation_event")
    with op.batch_alter_table("org_request", schema=None) as batch_op:
        batch_op.drop_index("ix_org_request_status_due")
        batch_op.drop_index(batch_op.f("ix_org_request_report_id"))
        batch_op.drop_index("ix_org_request_organisation_status")
        batch_op.drop_index(batch_op.f("ix_org_request_campaign_uid"))

    op.drop_table("org_request")
    with op.batch_alter_table("cooperation_request", schema=None) as batch_op:
        batch_op.drop_index("ix_cooperation_request_status_deadline")
        batch_op.drop_index(batch_op.f("ix_cooperation_request_partner_id"))

    op.drop_table("cooperation_request")
