"""What every command that touches the database shares: open it, and fail with one line."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape
from sqlalchemy.orm import Session, sessionmaker

from tipline.errors import TiplineError
from tipline.principals import Principal, Role
from tipline.settings import Settings

errors = Console(stderr=True)


@contextmanager
def user_errors() -> Iterator[None]:
    """A TiplineError ends the command with its message and exit status 2, not a traceback."""
    try:
        yield
    except TiplineError as exc:
        errors.print(f"[red]error:[/red] {escape(exc.message)}", highlight=False, markup=True)
        raise typer.Exit(2) from exc


def open_database(settings: Settings, migrate_if_new: bool = True) -> sessionmaker[Session]:
    """Sessions on the configured database; a new database gets the migrations first."""
    from tipline.db import make_engine, make_session_factory
    from tipline.server.migrate import is_behind, is_new, upgrade

    settings.make_data_dir()
    engine = make_engine(settings.sqlalchemy_url)
    if migrate_if_new and is_new(engine):
        upgrade(engine)
    elif is_behind(engine):
        errors.print("[yellow]warning:[/yellow] the database lacks migrations of this version: "
                     "run `tipline db upgrade`")  # fmt: skip
    return make_session_factory(engine)


def cli_actor() -> str:
    """How the audit log names whoever runs the command: `cli:<system user>`."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no user name in this container
        return "cli"


def cli_principal() -> Principal:
    """Whoever runs a command, as a caller: an administrator, who holds the database anyway.
    (User 0 is no stored user: the audit log names her by `cli_actor`.)"""
    return Principal(user_id=0, username=cli_actor(), role=Role.ADMIN, via="cli")


@contextmanager
def database() -> Iterator[Session]:
    """A session on the configured database; a TiplineError exits 2 with one line."""
    from tipline.settings import get_settings

    with user_errors():
        factory = open_database(get_settings())
        with factory() as session:
            yield session
