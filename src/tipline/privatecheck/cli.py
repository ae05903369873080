"""`tipline private-check build|rotate|status`: the private check's keyed set and its key."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Annotated, Any

import typer

app = typer.Typer(
    name="private-check",
    help="The private check's keyed set: build it, rotate its key, show its state.",
    no_args_is_help=True,
)
Processes = Annotated[
    int, typer.Option(min=0, max=64, help="Processes sealing the set (0: one a core).")
]


def _run(action: Callable[..., Any], processes: int | None, verb: str) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
    from sqlalchemy import func, select

    from tipline.indicators.models import IndicatorRecord
    from tipline.server.console import open_database, user_errors
    from tipline.settings import get_settings

    settings = get_settings()
    console = Console(stderr=True)
    with user_errors():
        factory = open_database(settings)
        with factory() as session:
            total = int(session.scalar(select(func.count()).select_from(IndicatorRecord)) or 0)
        columns = (
            "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
            TimeRemainingColumn(),
        )  # fmt: skip
        with Progress(*columns, console=console, transient=True) as progress:
            task = progress.add_task(verb, total=total)
            built = action(
                factory, settings, processes or os.cpu_count() or 1,
                lambda read: progress.advance(task, read),
            )  # fmt: skip
    typer.echo(f"key {built.key_id}: {built.entries} entries from {built.indicators} indicators")


@app.command("build")
def build_command(processes: Processes = 0) -> None:
    """Build the active key's set anew from the database (the first time: make the key)."""
    from tipline.privatecheck.service import build

    _run(build, processes, "sealing")


@app.command("rotate")
def rotate_command(processes: Processes = 0) -> None:
    """A new key: its set is built beside the old one, then checks switch to it at once."""
    from tipline.privatecheck.service import rotate

    _run(rotate, processes, "sealing (new key)")


@app.command("status")
def status_command() -> None:
    """The active key, its set's size and the follow job's last round."""
    from tipline.privatecheck.service import status
    from tipline.server.console import open_database, user_errors
    from tipline.settings import get_settings

    with user_errors():
        factory = open_database(get_settings())
        with factory() as session:
            state = status(session)
    for name, value in state.model_dump().items():
        typer.echo(f"{name}: {value}")


def register(main: typer.Typer) -> None:
    main.add_typer(app, name="private-check")
