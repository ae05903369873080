"""Applying the Alembic migrations in `tipline/migrations` to a database."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect
from sqlalchemy.engine import Connection, Engine


def alembic_config(url: str, connection: Connection | None = None) -> Config:
    """Alembic's configuration without an ini file: the packaged scripts, this database."""
    config = Config()
    config.set_main_option("script_location", str(resources.files("tipline") / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to `revision` (default: the latest)."""
    with engine.begin() as connection:
        url = engine.url.render_as_string(hide_password=False)
        command.upgrade(alembic_config(url, connection), revision)


def is_new(engine: Engine) -> bool:
    """True when no migration has ever been applied to this database."""
    return not inspect(engine).has_table("alembic_version")


def is_behind(engine: Engine) -> bool:
    """True when the database lacks a migration this version of tipline has."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    url = engine.url.render_as_string(hide_password=False)
    heads = set(ScriptDirectory.from_config(alembic_config(url)).get_heads())
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current != heads
