"""`tipline db upgrade`."""

from __future__ import annotations

from typing import Annotated

import typer

db_app = typer.Typer(help="The database: migrations.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Apply the migrations to the configured database (SQLite under TIPLINE_DATA_DIR or
    TIPLINE_DATABASE_URL)."""
    from tipline.db import make_engine
    from tipline.server.migrate import upgrade
    from tipline.settings import get_settings

    settings = get_settings()
    settings.make_data_dir()
    engine = make_engine(settings.sqlalchemy_url)
    upgrade(engine, revision)
    typer.echo(f"database at {revision} ({engine.dialect.name})")


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
