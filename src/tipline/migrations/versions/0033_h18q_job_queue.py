"""jobs: the job queue's tables, types and functions (procrastinate's), on PostgreSQL only

The SQL is procrastinate's own (`SchemaManager.get_schema()`, through
`tipline.jobs.queue.schema_sql`) for the version installed; the table's comment records which,
so that `tipline.jobs` can tell a database made by another version. An upgrade of procrastinate
that changes its schema comes with a migration of ours applying its `sql/migrations` files.
SQLite runs the jobs in the server's process and gets nothing.

Revision ID: 0033_h18q
Revises: 0032_h14r
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from tipline.jobs.queue import procrastinate_version, schema_sql

revision: str = "0033_h18q"
down_revision: str | None = "0032_h14r"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Everything procrastinate's schema makes, whatever its version: its tables, then its
# functions and types (all named procrastinate_…).
DROP_ALL = r"""
DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs,
    procrastinate_workers CASCADE;
DO $$
DECLARE found record;
BEGIN
    FOR found IN SELECT p.oid::regprocedure AS routine FROM pg_proc p
        WHERE p.pronamespace = current_schema()::regnamespace
        AND p.proname LIKE 'procrastinate\_%%'
    LOOP
        EXECUTE 'DROP ROUTINE IF EXISTS ' || found.routine || ' CASCADE';
    END LOOP;
    FOR found IN SELECT t.typname FROM pg_type t
        WHERE t.typnamespace = current_schema()::regnamespace
        AND t.typname LIKE 'procrastinate\_%%' AND t.typtype IN ('e', 'c')
    LOOP
        EXECUTE 'DROP TYPE IF EXISTS ' || quote_ident(found.typname) || ' CASCADE';
    END LOOP;
END $$;
"""


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    bind.exec_driver_sql(schema_sql())
    note = f"procrastinate {procrastinate_version()}"
    bind.exec_driver_sql(f"COMMENT ON TABLE procrastinate_jobs IS '{note}'")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        bind.exec_driver_sql(DROP_ALL)
