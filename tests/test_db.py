"""The engine: the pool hands out the connection returned last."""

from __future__ import annotations

import stat
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from tipline.db import make_engine


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
    assert files == ["tipline.db", "tipline.db-shm", "tipline.db-wal"]
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
