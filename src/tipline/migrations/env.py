"""Alembic environment: one metadata, every capability's models, SQLite or PostgreSQL."""

from __future__ import annotations

import importlib
import pkgutil

from alembic import context
from sqlalchemy.engine import Connection

import tipline
from tipline.db import Base, make_engine


def import_every_model() -> None:
    """Import `tipline.<capability>.models` of every capability that has one (reports,
    indicators, triage, campaigns, audit, …), so one metadata holds every table."""
    for package in pkgutil.iter_modules(tipline.__path__):
        module_name = f"tipline.{package.name}.models"
        if package.ispkg and importlib.util.find_spec(module_name) is not None:
            importlib.import_module(module_name)


import_every_model()


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(context.config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.begin() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    context.configure(
        url=context.config.get_main_option("sqlalchemy.url"),
        target_metadata=Base.metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
