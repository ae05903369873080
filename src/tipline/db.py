"""Database plumbing: the declarative base, the engine for the configured URL, sessions."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, Table, create_engine, event, false, func, select, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from tipline.messages import is_storable, storable

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Every model of every capability derives from this one base (one metadata, one migration)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


_ROWS = (dict, list, tuple)


def _storable_row(row: Any) -> Any:
    if isinstance(row, dict):
        if all(is_storable(value) for value in row.values()):
            return row
        return {key: storable(v) if isinstance(v, str) else v for key, v in row.items()}
    if isinstance(row, list | tuple) and not all(is_storable(value) for value in row):
        return type(row)(storable(v) if isinstance(v, str) else v for v in row)
    return row


def _storable_parameters(
    _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, executemany: bool
) -> tuple[str, Any]:
    """Every text bound to a statement made storable (`tipline.messages.storable`): the last
    guard, on both engines alike, so that a NUL or a lone surrogate that reached a query or a
    write from any input is neither a 500 (PostgreSQL refuses NUL in text) nor lost."""
    # "insertmanyvalues" batches come with `executemany` set and one mapping of parameters.
    if executemany and isinstance(parameters, list) and isinstance(parameters[0], _ROWS):
        return statement, [_storable_row(row) for row in parameters]
    return statement, _storable_row(parameters)


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # WAL with synchronous=NORMAL: a commit survives the death of the process (SIGKILL, OOM);
    # only a power cut may roll back the last ones. FULL (an fsync per commit) would cost ~50
    # times the commit's time here (docs/reliability.md, Crash safety).
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _has_connection_pool(url: str) -> bool:
    """A server or a SQLite file (SQLAlchemy pools their connections); not in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return True
    in_memory = parsed.database in (None, "", ":memory:") or parsed.query.get("mode") == "memory"
    return not in_memory


def _private_sqlite_file(url: str) -> None:
    """Make a new SQLite database file readable by its owner only (0600); SQLite gives its
    `-wal` and `-shm` files the database file's permissions."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys and a busy timeout on every connection.

    The pool hands out the connection returned last (LIFO): one after another, requests reuse
    one connection whose page cache holds the indexes' upper levels, instead of cycling through
    the pool's five cold ones (and idle connections can be closed by the server)."""
    if make_url(url).get_backend_name() == "sqlite":
        _private_sqlite_file(url)
    if _has_connection_pool(url) and "poolclass" not in kwargs:
        kwargs.setdefault("pool_use_lifo", True)
    engine = create_engine(url, **kwargs)
    event.listen(engine, "before_cursor_execute", _storable_parameters, retval=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _tune_sqlite)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with factory() as session, session.begin():
        yield session


def serialise_appends(session: Session, lock_key: int, table: Table) -> None:
    """Make this transaction the only one appending to `table` until it ends, so that what it
    reads next (the last sequence or number) is still the last when it adds the next row.

    PostgreSQL: a transaction-scoped advisory lock on `lock_key` (it also covers an empty
    table, where there is no last row to lock `FOR UPDATE`). SQLite: a write that changes
    nothing, which makes this transaction the single writer now (waiting on the busy timeout
    for another to end); without it, two transactions could read the same last row before
    either writes.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(lock_key)))
        return
    key = next(iter(table.primary_key.columns))
    session.execute(update(table).where(false()).values({key: key}))
