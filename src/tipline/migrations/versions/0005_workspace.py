"""workspace: report notes, status history and full-text search (tipline.workspace)

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tipline.db_types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_QUEUE_INDEXES = {
    "ix_report_queue": [],
    "ix_report_queue_status": ["status"],
    "ix_report_queue_category": ["category"],
    "ix_report_queue_province": ["province"],
}
# The FTS5 table reads the narrative from `report` (external content); triggers keep it in step.
_SQLITE_SEARCH = (
    "CREATE VIRTUAL TABLE report_fts USING fts5(narrative, content='report', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "INSERT INTO report_fts(report_fts) VALUES ('rebuild')",
    "CREATE TRIGGER report_fts_insert AFTER INSERT ON report BEGIN "
    "INSERT INTO report_fts(rowid, narrative) VALUES (new.id, new.narrative); END",
    "CREATE TRIGGER report_fts_delete AFTER DELETE ON report BEGIN "
    "INSERT INTO report_fts(report_fts, rowid, narrative) "
    "VALUES ('delete', old.id, old.narrative); END",
    "CREATE TRIGGER report_fts_update AFTER UPDATE OF narrative ON report BEGIN "
    "INSERT INTO report_fts(report_fts, rowid, narrative) "
    "VALUES ('delete', old.id, old.narrative); "
    "INSERT INTO report_fts(rowid, narrative) VALUES (new.id, new.narrative); END",
)
_POSTGRES_SEARCH = (
    "CREATE INDEX ix_report_narrative_search ON report "
    "USING gin (to_tsvector('simple', narrative))",
)


def _create_tables() -> None:
    op.create_table(
        "report_note",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("report_id", _ID, nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", tipline.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_report_note_report_id_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_note")),
    )  # fmt: skip
    op.create_index(op.f("ix_report_note_report_id"), "report_note", ["report_id"])
    op.create_table(
        "report_status_change",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("report_id", _ID, nullable=False),
        sa.Column("previous_status", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("changed_at", tipline.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_report_status_change_report_id_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_status_change")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_report_status_change_report_id"), "report_status_change", ["report_id"]
    )
    op.create_table(
        "indicator_review",
        sa.Column("report_id", _ID, nullable=False),
        sa.Column("indicator_id", _ID, nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("reviewed_at", tipline.db_types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"], ["indicator.id"],
            name=op.f("fk_indicator_review_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_indicator_review_report_id_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("report_id", "indicator_id", name=op.f("pk_indicator_review")),
    )  # fmt: skip
    op.create_index("ix_indicator_review_indicator_id", "indicator_review", ["indicator_id"])


def upgrade() -> None:
    op.add_column(
        "report",
        sa.Column("urgency_rank", sa.SmallInteger(), server_default=sa.text("2"), nullable=False),
    )
    op.execute(
        "UPDATE report SET urgency_rank = CASE urgency WHEN 'critical' THEN 0 "
        "WHEN 'high' THEN 1 WHEN 'low' THEN 3 ELSE 2 END"
    )
    for name, leading in _QUEUE_INDEXES.items():
        op.create_index(name, "report", [*leading, "urgency_rank", "created_at", "id"])
    _create_tables()
    dialect = op.get_bind().dialect.name
    for statement in _SQLITE_SEARCH if dialect == "sqlite" else _POSTGRES_SEARCH:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("report_fts_insert", "report_fts_delete", "report_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS report_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_report_narrative_search")
    op.drop_index("ix_indicator_review_indicator_id", table_name="indicator_review")
    op.drop_table("indicator_review")
    op.drop_index(op.f("ix_report_status_change_report_id"), table_name="report_status_change")
    op.drop_table("report_status_change")
    op.drop_index(op.f("ix_report_note_report_id"), table_name="report_note")
    op.drop_table("report_note")
    for name in _QUEUE_INDEXES:
        op.drop_index(name, table_name="report")
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_column("urgency_rank")
