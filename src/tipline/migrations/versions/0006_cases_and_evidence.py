"""cases and evidence: cases, evidence files and chain of custody (tipline.cases, tipline.evidence)

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tipline.db_types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "case_file",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("assignee", sa.String(length=100), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", tipline.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tipline.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_file")),
        sa.UniqueConstraint("year", "number", name=op.f("uq_case_file_year")),
    )
    op.create_index(op.f("ix_case_file_assignee"), "case_file", ["assignee"], unique=False)
    op.create_index(op.f("ix_case_file_status"), "case_file", ["status"], unique=False)
    op.create_table(
        "evidence",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("uploaded_by", sa.String(length=200), nullable=False),
        sa.Column("uploaded_at", tipline.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
        sa.UniqueConstraint("sha256", name=op.f("uq_evidence_sha256")),
    )
    op.create_table(
        "case_campaign",
        sa.Column("case_id", _ID, nullable=False),
        sa.Column("campaign_id", _ID, nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", tipline.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_file.id"],
            name=op.f("fk_case_campaign_case_id_case_file"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_id", "campaign_id", name=op.f("pk_case_campaign")),
    )
    op.create_index(
        op.f("ix_case_campaign_campaign_id"), "case_campaign", ["campaign_id"], unique=False
    )
    op.create_table(
        "case_note",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("case_id", _ID, nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", tipline.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_file.id"],
            name=op.f("fk_case_note_case_id_case_file"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_note")),
    )
    op.create_index(op.f("ix_case_note_case_id"), "case_note", ["case_id"], unique=False)
    op.create_table(
        "case_report",
        sa.Column("case_id", _ID, nullable=False),
        sa.Column("report_id", _ID, nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", tipline.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_file.id"],
            name=op.f("fk_case_report_case_id_case_file"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["report.id"],
            name=op.f("fk_case_report_report_id_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_id", "report_id", name=op.f("pk_case_report")),
    )
    op.create_index(op.f("ix_case_report_report_id"), "case_report", ["report_id"], unique=False)
    op.create_table(
        "evidence_attachment",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("evidence_id", _ID, nullable=False),
        sa.Column("report_id", _ID, nullable=True),
        sa.Column("case_id", _ID, nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("attached_by", sa.String(length=200), nullable=False),
        sa.Column("attached_at", tipline.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(report_id IS NULL) <> (case_id IS NULL)",
            name=op.f("ck_evidence_attachment_one_target"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_file.id"],
            name=op.f("fk_evidence_attachment_case_id_case_file"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence.id"],
            name=op.f("fk_evidence_attachment_evidence_id_evidence"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["report.id"],
            name=op.f("fk_evidence_attachment_report_id_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_attachment")),
    )
    op.create_index(
        op.f("ix_evidence_attachment_case_id"), "evidence_attachment", ["case_id"], unique=False
    )
    op.create_index(
        op.f("ix_evidence_attachment_evidence_id"),
        "evidence_attachment",
        ["evidence_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_evidence_attachment_report_id"), "evidence_attachment", ["report_id"], unique=False
    )
    op.create_table(
        "evidence_custody",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("evidence_id", _ID, nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", tipline.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence.id"],
            name=op.f("fk_evidence_custody_evidence_id_evidence"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_custody")),
    )
    op.create_index(
        op.f("ix_evidence_custody_evidence_id"), "evidence_custody", ["evidence_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_evidence_custody_evidence_id"), table_name="evidence_custody")
    op.drop_table("evidence_custody")
    op.drop_index(op.f("ix_evidence_attachment_report_id"), table_name="evidence_attachment")
    op.drop_index(op.f("ix_evidence_attachment_evidence_id"), table_name="evidence_attachment")
    op.drop_index(op.f("ix_evidence_attachment_case_id"), table_name="evidence_attachment")
    op.drop_table("evidence_attachment")
    op.drop_index(op.f("ix_case_report_report_id"), table_name="case_report")
    op.drop_table("case_report")
    op.drop_index(op.f("ix_case_note_case_id"), table_name="case_note")
    op.drop_table("case_note")
    op.drop_index(op.f("ix_case_campaign_campaign_id"), table_name="case_campaign")
    op.drop_table("case_campaign")
    op.drop_table("evidence")
    op.drop_index(op.f("ix_case_file_status"), table_name="case_file")
    op.drop_index(op.f("ix_case_file_assignee"), table_name="case_file")
    op.drop_table("case_file")
