"""The engine: the pool hands out the connection returned last."""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import stat
import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tipline.db import make_engine, writer_queue


def test_the_connection_returned_last_is_handed_out_next(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'pool.db'}")
    first, second = engine.connect(), engine.connect()
    first_dbapi, second_dbapi = (
        first.connection.dbapi_connection,
        second.connection.dbapi_connection,
    )
    first.close()
    second.close()
    with engine.connect() as again:
        assert again.connection.dbapi_connection is second_dbapi
        assert again.connection.dbapi_connection is not first_dbapi
    engine.dispose()


def test_an_in_memory_database_needs_no_pool_settings() -> None:
    for url in ("sqlite://", "sqlite:///:memory:"):
        with make_engine(url).connect() as connection:
            assert connection.exec_driver_sql("SELECT 1").scalar() == 1


def test_a_new_sqlite_database_is_private_to_its_owner(tmp_path: Path) -> None:
    from tipline.settings import Settings

    settings = Settings(data_dir=tmp_path / "data")
    folder = settings.make_data_dir()
    engine = make_engine(settings.sqlalchemy_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        connection.exec_driver_sql("INSERT INTO t VALUES (1)")
        files = sorted(p.name for p in folder.iterdir())
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()}
    engine.dispose()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert files == ["tipline.db", "tipline.db-shm", "tipline.db-wal", "tipline.db-writers"]
    assert set(modes.values()) == {0o600}


def test_nul_and_lone_surrogates_are_made_storable_on_the_way_in(db_session: Session) -> None:
    """PostgreSQL refuses NUL in text and no driver encodes a lone surrogate: every engine
    tipline makes gets them as a space and U+FFFD, in writes, queries and batches alike."""
    one = db_session.scalar(text("SELECT :v"), {"v": "a\x00b\udc80"})
    assert one == "a b\ufffd"
    rows = db_session.execute(text("SELECT :v, :w"), {"v": "x\x00", "w": b"\x00"}).one()
    assert tuple(rows) == ("x ", b"\x00")


def test_batched_inserts_are_made_storable_too(db_session: Session) -> None:
    db_session.execute(text("CREATE TEMPORARY TABLE texts (v TEXT)"))
    db_session.execute(text("INSERT INTO texts (v) VALUES (:v)"), [{"v": "a\x00"}, {"v": "\udc80"}])
    assert sorted(db_session.scalars(text("SELECT v FROM texts"))) == ["a ", "\ufffd"]


def test_sqlite_commits_survive_the_process_in_wal_mode(tmp_path: Path) -> None:
    """What crash safety rests on (docs/reliability.md, Crash safety): WAL with
    synchronous=NORMAL keeps every commit through a killed process; FULL would also keep the
    last ones through a power cut, at an fsync per commit."""
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def _writer_engine(path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE IF NOT EXISTS t (x INTEGER)")
    return engine


def test_a_writer_holds_its_files_queue_from_its_first_write_to_its_end(tmp_path: Path) -> None:
    engine = _writer_engine(tmp_path / "q.db")
    queue = writer_queue(tmp_path / "q.db")
    with engine.connect() as connection:
        connection.exec_driver_sql("SELECT count(*) FROM t").scalar()
        assert not queue.threads.locked()  # a read takes no place
        connection.exec_driver_sql("INSERT INTO t VALUES (1)")
        assert queue.threads.locked()
        assert queue.owner == threading.get_ident()
        with pytest.raises(BlockingIOError):  # another process would wait
            _flock_elsewhere(queue.path)
        connection.commit()
        assert not queue.threads.locked()
        assert queue.owner is None
        _flock_elsewhere(queue.path)  # free again
        connection.exec_driver_sql("UPDATE t SET x = 2")
        assert queue.threads.locked()
        connection.rollback()
        assert not queue.threads.locked()
    engine.dispose()


def _flock_elsewhere(path: Path) -> None:
    """Take and drop the lock on a new open file, as another process would."""
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        os.close(fd)


def test_writers_of_two_threads_take_turns_and_lose_nothing(tmp_path: Path) -> None:
    engine = _writer_engine(tmp_path / "q.db")
    inside, most = 0, 0
    guard = threading.Lock()

    def write(n: int) -> None:
        nonlocal inside, most
        for _ in range(n):
            with engine.begin() as connection:
                connection.exec_driver_sql("INSERT INTO t VALUES (1)")
                with guard:
                    inside += 1
                    most = max(most, inside)
                connection.exec_driver_sql("SELECT count(*) FROM t").scalar()
                with guard:
                    inside -= 1

    threads = [threading.Thread(target=write, args=(50,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM t").scalar() == 200
    engine.dispose()
    assert most == 1  # never two write transactions at once


def test_a_second_connection_of_the_holding_thread_does_not_wait_for_itself(
    tmp_path: Path,
) -> None:
    engine = _writer_engine(tmp_path / "q.db")
    with engine.connect() as first, engine.connect() as second:
        first.exec_driver_sql("INSERT INTO t VALUES (1)")
        first.commit()
        second.exec_driver_sql("INSERT INTO t VALUES (2)")  # no wait on the queue: it is free
        second.commit()
        first.exec_driver_sql("SELECT 1").scalar()
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT sum(x) FROM t").scalar() == 3
    engine.dispose()


def _write_counts(path: Path, n: int) -> None:
    engine = make_engine(f"sqlite:///{path}")
    for _ in range(n):
        with engine.begin() as connection:
            count = connection.exec_driver_sql("SELECT count(*) FROM t").scalar()
            connection.exec_driver_sql("INSERT INTO t VALUES (?)", (count,))
    engine.dispose()


def test_writers_of_two_processes_take_turns(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    _writer_engine(path).dispose()
    fork = multiprocessing.get_context("fork")
    children = [fork.Process(target=_write_counts, args=(path, 50)) for _ in range(2)]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=120)
    assert [child.exitcode for child in children] == [0, 0]
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM t").scalar() == 100
    engine.dispose()
