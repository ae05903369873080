"""A whole tipline instance for tests that need committed data and files (backups, purges): a
data folder, a backup key, and a database of its own (SQLite in the folder, or a fresh
PostgreSQL database in the PostgreSQL run), migrated; and `other_instance`, an empty place to
restore into. Import the fixtures into a test folder's conftest.py."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Protocol

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from tests.conftest import POSTGRES_URL

from tipline.backups.keys import write_key_file
from tipline.settings import Settings, get_settings

_numbers = count()


@dataclass
class Instance:
    settings: Settings
    url: str
    engines: list[Engine]

    def factory(self) -> sessionmaker[Session]:
        """Sessions on this instance's database (migrated when new), disposed at the end."""
        from tipline.server.console import open_database

        made = open_database(self.settings)
        self.engines.append(made.kw["bind"])
        return made


def _admin_execute(statement: str) -> None:
    assert POSTGRES_URL is not None
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(statement))
    finally:
        admin.dispose()


def _fresh_postgres(label: str, template: str | None = None) -> str:
    assert POSTGRES_URL is not None
    url = make_url(POSTGRES_URL)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"{url.database}_{worker}_{label.replace('-', '_')}{next(_numbers)}"
    _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin_execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return url.set(database=name).render_as_string(hide_password=False)


class InstanceMaker(Protocol):
    def __call__(self, name: str, *, empty: bool = False) -> Instance: ...


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database that instances start as a copy of (migrating each costs seconds):
    a SQLite file's path, or a PostgreSQL database's name."""
    from tipline.db import make_engine
    from tipline.server.migrate import upgrade

    if POSTGRES_URL:
        url = _fresh_postgres("template")
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield make_url(url).database or ""
        _admin_execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
        return
    path = tmp_path_factory.mktemp("template") / "tipline.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    yield str(path)


def _copy_of(template: str, name: str, data: Path) -> str:
    if POSTGRES_URL:
        url = _fresh_postgres(name, template)
        return url
    data.mkdir(mode=0o700, parents=True)
    shutil.copyfile(template, data / "tipline.db")
    (data / "tipline.db").chmod(0o600)
    return f"sqlite:///{data / 'tipline.db'}"


@pytest.fixture
def make_instance(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, migrated_template: str
) -> Iterator[InstanceMaker]:
    """`make_instance("a")`: switch the configuration (TIPLINE_* variables, `get_settings()`)
    to a new instance named "a" (migrated, no data; `empty=True`: not even tables), sharing one
    backup key with the others."""
    key = tmp_path / "backup.key"
    write_key_file(key)
    made: list[str] = []
    engines: list[Engine] = []

    def make(name: str, *, empty: bool = False) -> Instance:
        data = tmp_path / name
        monkeypatch.setenv("TIPLINE_DATA_DIR", str(data))
        monkeypatch.setenv("TIPLINE_SECRET_KEY", "test-secret-key")
        monkeypatch.setenv("TIPLINE_BACKUP_KEY_FILE", str(key))
        monkeypatch.delenv("TIPLINE_BACKUP_PASSPHRASE", raising=False)
        monkeypatch.delenv("TIPLINE_DATABASE_URL", raising=False)
        if POSTGRES_URL:
            url = _fresh_postgres(name) if empty else _copy_of(migrated_template, name, data)
            made.append(make_url(url).database or "")
            monkeypatch.setenv("TIPLINE_DATABASE_URL", url)
        elif not empty:
            _copy_of(migrated_template, name, data)
        get_settings.cache_clear()
        settings = get_settings()
        return Instance(settings, settings.sqlalchemy_url, engines)

    yield make
    get_settings.cache_clear()
    for engine in engines:
        engine.dispose()
    for database in made:
        _admin_execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
