"""Database plumbing: the declarative base, the engine for the configured URL, sessions."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
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


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")
WRITER_WAIT = 30.0  # seconds, as the busy timeout: then SQLite's own wait decides, as before


class WriterQueue:
    """The writers of one SQLite file, one at a time and woken at once: a lock for this
    process's threads, then an exclusive `flock` of `<database>-writers` for other processes.

    SQLite lets one transaction write at a time; the others wait in its busy handler, which
    sleeps 1, 2, 5 … then 100 ms between tries, so under load the writer lock sits free while
    every waiter sleeps (the server's workers then idle on half their time: issue 18). Here a
    waiter blocks in the kernel and takes the lock the moment it is released. A writer holds
    its place from its first write statement to its commit or rollback. A second connection
    of a thread that holds the place (which SQLite would make wait on the first), and a wait
    longer than `WRITER_WAIT`, go on without it: SQLite's busy timeout decides, as before.
    The kernel drops a killed process's `flock`.
    """

    def __init__(self, database: Path) -> None:
        self.path = database.with_name(database.name + "-writers")
        self.threads = threading.Lock()
        self.owner: int | None = None  # the thread holding the place
        self.fd: int | None = None
        self.pid = 0

    def take(self) -> bool:
        """Wait for this thread's turn to write; False when it goes on without one."""
        if self.owner == threading.get_ident() or not self.threads.acquire(timeout=WRITER_WAIT):
            return False
        try:
            fcntl.flock(self._file(), fcntl.LOCK_EX)  # the GIL is released while it waits
        except BaseException:
            self.threads.release()
            raise
        self.owner = threading.get_ident()
        return True

    def give(self) -> None:
        """End the turn taken by `take` (from any thread: a request may end in another)."""
        self.owner = None
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        self.threads.release()

    def _file(self) -> int:
        if self.fd is None or self.pid != os.getpid():  # a forked child opens its own
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self.pid = os.getpid()
        return self.fd


class QueuedConnection(sqlite3.Connection):
    """A SQLite connection whose write transactions wait their turn in their file's
    `WriterQueue` (set by `make_engine` through `queue_writers`)."""

    queue: WriterQueue | None = None
    holding = False

    def cursor(self, factory: Any = None) -> Any:
        return super().cursor(factory or QueuedCursor)

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        # sqlite3's own shortcut would bypass the cursor's `execute`.
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> Any:
        return self.cursor().executemany(sql, parameters)

    def begin_write(self, statement: str) -> None:
        if self.holding or self.queue is None:
            return
        if statement.lstrip()[:7].upper().startswith(WRITES):
            self.holding = self.queue.take()

    def end_write(self) -> None:
        """Leave the queue once no transaction is open (a commit, a rollback, an autocommit
        write)."""
        if self.holding and not self.in_transaction:
            self.holding = False
            assert self.queue is not None
            self.queue.give()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.end_write()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.end_write()

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self.holding:
                self.holding = False
                assert self.queue is not None
                self.queue.give()


class QueuedCursor(sqlite3.Cursor):
    connection: QueuedConnection

    def execute(self, sql: str, parameters: Any = (), /) -> QueuedCursor:
        self.connection.begin_write(sql)
        try:
            return super().execute(sql, parameters)
        finally:
            self.connection.end_write()

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> QueuedCursor:
        self.connection.begin_write(sql)
        try:
            return super().executemany(sql, seq_of_parameters)
        finally:
            self.connection.end_write()


_queues: dict[Path, WriterQueue] = {}
_queues_lock = threading.Lock()
# A forked child starts with no queue: a lock held by a parent's thread would never be released.
os.register_at_fork(after_in_child=_queues.clear)


def writer_queue(database: Path) -> WriterQueue:
    """The queue of a SQLite file, one per file in a process (every engine on it shares it)."""
    key = database.resolve()
    with _queues_lock:
        return _queues.setdefault(key, WriterQueue(key))


def _queue_writers(queue: WriterQueue) -> Any:
    def connected(dbapi_connection: Any, _record: Any) -> None:
        if isinstance(dbapi_connection, QueuedConnection):
            dbapi_connection.queue = queue

    return connected


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    return None if database.startswith("file:") else Path(database)


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
    database = _sqlite_file(url)
    if database is not None:
        kwargs["connect_args"] = {"factory": QueuedConnection, **kwargs.get("connect_args", {})}
    engine = create_engine(url, **kwargs)
    event.listen(engine, "before_cursor_execute", _storable_parameters, retval=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _tune_sqlite)
    if database is not None:
        event.listen(engine, "connect", _queue_writers(writer_queue(database)))
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
