"""The migrations build exactly the tables the models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from tipline.db import Base
from tipline.migrations.env_models import import_every_model, include_name


def test_models_and_migrations_agree(engine: Engine) -> None:
    import_every_model()
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include_name}
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_every_model_table_exists_after_upgrade(engine: Engine) -> None:
    import_every_model()
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert {"report", "indicator", "audit_entry", "campaign_report"} <= tables


def test_the_migrations_form_one_line() -> None:
    """One head, each revision the child of the one before: two engineers' migrations with the
    same parent would leave `upgrade head` refusing to run."""
    from alembic.script import ScriptDirectory

    from tipline.server.migrate import alembic_config

    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(scripts.get_heads()) == 1, scripts.get_heads()
    children: dict[str | None, list[str]] = {}
    for script in scripts.walk_revisions():
        down = script.down_revision
        assert down is None or isinstance(down, str), f"{script.revision} merges branches"
        children.setdefault(down, []).append(script.revision)
    forks = {parent: kids for parent, kids in children.items() if len(kids) > 1}
    assert forks == {}
