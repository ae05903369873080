"""Taking and restoring a database's snapshot with each engine's own tools.

SQLite: `VACUUM INTO` writes a consistent copy from one read transaction while the server keeps
writing (WAL), and the copy has no free pages (nothing purged travels into a backup).
PostgreSQL: Debian's `pg_dump` in custom format takes the snapshot that our own transaction
exported (so the row counts and evidence list are of the same instant); `pg_restore` loads it
into an empty database in one transaction.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from sqlalchemy.engine import Connection, Engine, make_url

from tipline.backups import repository
from tipline.backups.core import DatabaseFacts
from tipline.db import make_engine
from tipline.errors import InvalidInput, TiplineError

_COPY = re.compile(r"^COPY (?:[\w\"]+\.)?\"?(\w+)\"? \((.*)\) FROM stdin;$")


class ToolFailed(TiplineError):
    code = "tool_failed"


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise InvalidInput("a backup needs a SQLite database in a file")
    return Path(database)


def snapshot_sqlite(path: Path, target: Path) -> None:
    """A consistent copy of the database at `path` in `target` (a new file)."""
    with closing(sqlite3.connect(path, timeout=30)) as source:
        source.execute("VACUUM INTO ?", (str(target),))


def sqlite_facts(path: Path) -> DatabaseFacts:
    """Rows, revision and evidence of a SQLite snapshot, after its integrity check."""
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            check = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
            if check != "ok":
                raise ToolFailed(f"the database snapshot fails SQLite's integrity check: {check}")
            return repository.database_facts(connection)
    finally:
        engine.dispose()


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: p.parts)
    if versions:
        return str(versions[-1])
    raise ToolFailed(f"{name} is not installed (Debian: apt install postgresql-client)")


def libpq_target(url: str) -> tuple[str, dict[str, str]]:
    """A libpq URL for the tools without the password, and the environment that carries it."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str], what: str) -> str:
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise ToolFailed(f"{what} failed: {last}")
    return done.stdout


@contextmanager
def pg_snapshot(engine: Engine) -> Iterator[tuple[Connection, str]]:
    """A repeatable-read transaction and its exported snapshot's id, open until the end."""
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            yield connection, repository.export_snapshot(connection)


def dump_postgres(url: str, snapshot: str, target: Path) -> None:
    libpq, env = libpq_target(url)
    command = [_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}", "--no-owner",
               "--no-privileges", f"--file={target}", f"--dbname={libpq}"]  # fmt: skip
    _run(command, env, "pg_dump")


def restore_postgres(url: str, dump: Path) -> None:
    libpq, env = libpq_target(url)
    command = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
               "--single-transaction", f"--dbname={libpq}", str(dump)]  # fmt: skip
    _run(command, env, "pg_restore")


def dump_facts(dump: Path) -> DatabaseFacts:
    """Rows per table, revision and evidence hashes of a custom-format dump, read by
    `pg_restore` into text (no server needed): each table's COPY block, a row a line."""
    script = _run([_tool("pg_restore"), "--data-only", "--file=-", str(dump)], dict(os.environ),
                  "pg_restore (reading the dump)")  # fmt: skip
    tables: dict[str, int] = {}
    columns: dict[str, list[str]] = {}
    rows: dict[str, list[str]] = {}
    current: str | None = None
    for line in script.splitlines():
        if current is None:
            if match := _COPY.match(line):
                current = match.group(1)
                columns[current] = [c.strip().strip('"') for c in match.group(2).split(",")]
                tables[current], rows[current] = 0, []
        elif line == "\\.":
            current = None
        else:
            tables[current] += 1
            if current in ("evidence", "alembic_version"):
                rows[current].append(line)
    revisions = _column(rows, columns, "alembic_version", "version_num")
    hashes = set(_column(rows, columns, "evidence", "sha256"))
    return DatabaseFacts(tables, revisions[0] if revisions else "", hashes)


def _column(
    rows: dict[str, list[str]], columns: dict[str, list[str]], table: str, name: str
) -> list[str]:
    if table not in columns:
        return []
    index = columns[table].index(name)
    return [line.split("\t")[index] for line in rows[table]]
