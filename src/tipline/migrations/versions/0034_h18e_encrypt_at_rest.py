"""victims' contacts, narratives, messages and evidence file names encrypted at rest; the queue's
full-text index over keyed hashes of the narrative's words (tipline.keyring)

The plain full-text index (FTS5's tables, PostgreSQL's tsvector index) would keep the words of
every narrative readable: it is dropped and built again over `report.search_terms`, the
narrative's words as keyed hashes. Every stored value is encrypted under the current data key,
in batches. Evidence files stay readable as they are; `tipline keys rotate` encrypts them.

Revision ID: 0034_h18e
Revises: 0033_h18q
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

from tipline.db_types import data_keys
from tipline.keyring import KeyRing, sealed_key_id

revision: str = "0034_h18e"
down_revision: str | None = "0033_h18q"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2000
_TRIGGERS = ("report_fts_insert", "report_fts_delete", "report_fts_update")
# (table, column): the values encrypted at rest.
_SEALED = (
    ("report", "narrative"),
    ("report", "reporter_contact"),
    ("evidence", "original_name"),
    ("evidence_attachment", "file_name"),
    ("report_note", "text"),  # the victim's messages from the follow page are notes
)
_WIDENED = (("report", "reporter_contact", 200), ("evidence", "original_name", 255),
            ("evidence_attachment", "file_name", 255))  # fmt: skip


def _search(column: str) -> tuple[str, ...]:
    """The full-text index over `column` of `report` (SQLite: FTS5 kept by triggers)."""
    if op.get_bind().dialect.name == "postgresql":
        return (
            "CREATE INDEX ix_report_narrative_search ON report "
            f"USING gin (to_tsvector('simple', {column}))",
        )
    options = (
        "detail=none" if column == "search_terms" else "tokenize='unicode61 remove_diacritics 2'"
    )
    return (
        f"CREATE VIRTUAL TABLE report_fts USING fts5({column}, content='report', "
        f"content_rowid='id', {options})",
        "INSERT INTO report_fts(report_fts) VALUES ('rebuild')",
        "CREATE TRIGGER report_fts_insert AFTER INSERT ON report BEGIN "
        f"INSERT INTO report_fts(rowid, {column}) VALUES (new.id, new.{column}); END",
        "CREATE TRIGGER report_fts_delete AFTER DELETE ON report BEGIN "
        f"INSERT INTO report_fts(report_fts, rowid, {column}) "
        f"VALUES ('delete', old.id, old.{column}); END",
        f"CREATE TRIGGER report_fts_update AFTER UPDATE OF {column} ON report BEGIN "
        f"INSERT INTO report_fts(report_fts, rowid, {column}) "
        f"VALUES ('delete', old.id, old.{column}); "
        f"INSERT INTO report_fts(rowid, {column}) VALUES (new.id, new.{column}); END",
    )


def _drop_search() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_report_narrative_search")
        return
    for trigger in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS report_fts")


def _rewrite(table: str, column: str, change: Callable[[str], str]) -> None:
    """Every non-null value of `table.column` through `change`, in batches by id."""
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.text(
                f"SELECT id, {column} FROM {table} WHERE id > :last AND {column} IS NOT NULL "
                "ORDER BY id LIMIT :batch"
            ),  # fmt: skip
            {"last": last, "batch": BATCH},
        ).all()
        if not rows:
            return
        updates = [{"id": i, "value": change(v)} for i, v in rows if change(v) != v]
        if updates:
            connection.execute(
                sa.text(f"UPDATE {table} SET {column} = :value WHERE id = :id"), updates
            )
        last = rows[-1][0]


def _terms(ring: KeyRing, narrative: str) -> str:
    return ring.search_terms(ring.open(narrative, "report.narrative"))


def _index_terms() -> None:
    ring = data_keys()
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.text("SELECT id, narrative FROM report WHERE id > :last ORDER BY id LIMIT :batch"),
            {"last": last, "batch": BATCH},
        ).all()
        if not rows:
            return
        connection.execute(
            sa.text("UPDATE report SET search_terms = :terms WHERE id = :id"),
            [
                {"id": i, "terms": ring.search_terms(ring.open(v, "report.narrative"))}
                for i, v in rows
            ],
        )
        last = rows[-1][0]


def _sealing(ring: KeyRing, label: str) -> Callable[[str], str]:
    return lambda value: value if sealed_key_id(value) else ring.seal(value, label)


def _opening(ring: KeyRing, label: str) -> Callable[[str], str]:
    return lambda value: ring.open(value, label)


def upgrade() -> None:
    ring = data_keys()
    _drop_search()
    op.add_column("report", sa.Column("search_terms", sa.Text(), server_default="", nullable=False))
    if op.get_bind().dialect.name == "postgresql":
        for table, column, _length in _WIDENED:
            op.alter_column(table, column, type_=sa.Text())
    _index_terms()
    for table, column in _SEALED:
        _rewrite(table, column, _sealing(ring, f"{table}.{column}"))
    for statement in _search("search_terms"):
        op.execute(statement)


def downgrade() -> None:
    ring = data_keys()
    _drop_search()
    for table, column in _SEALED:
        _rewrite(table, column, _opening(ring, f"{table}.{column}"))
    if op.get_bind().dialect.name == "postgresql":
        for table, column, length in _WIDENED:
            op.alter_column(table, column, type_=sa.String(length))
    with op.batch_alter_table("report") as batch_op:
        batch_op.drop_column("search_terms")
    for statement in _search("narrative"):
        op.execute(statement)
