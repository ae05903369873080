"""The reads a backup makes of a database (a snapshot, or the database restored from one)."""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from tipline.backups.core import DatabaseFacts


def table_names(connection: Connection) -> list[str]:
    """Every table, the full-text index's own tables on SQLite included."""
    return sorted(inspect(connection).get_table_names())


def row_counts(connection: Connection) -> dict[str, int]:
    counts = {}
    for table in table_names(connection):
        quoted = connection.dialect.identifier_preparer.quote(table)
        counts[table] = int(connection.execute(text(f"SELECT count(*) FROM {quoted}")).scalar_one())
    return counts


def schema_revision(connection: Connection) -> str:
    revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return str(revision or "")


def evidence_hashes(connection: Connection) -> set[str]:
    return set(connection.execute(text("SELECT sha256 FROM evidence")).scalars())


def database_facts(connection: Connection) -> DatabaseFacts:
    """Rows per table, revision and evidence files, all read in the connection's transaction."""
    return DatabaseFacts(
        row_counts(connection), schema_revision(connection), evidence_hashes(connection)
    )


def export_snapshot(connection: Connection) -> str:
    """PostgreSQL: the id of this transaction's snapshot, for pg_dump to take the same one."""
    return str(connection.execute(text("SELECT pg_export_snapshot()")).scalar_one())
