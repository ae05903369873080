"""`tipline import FILE`: load reports from a `.jsonl` or `.csv` file (columns: imports/core.py).

`tipline import` is a group: `tipline import FILE` (or `tipline import reports FILE`) imports
reports, and other capabilities add what else can be imported (`tipline import stix FILE`,
in `tipline.sharing.cli`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from tipline.imports import DEFAULT_BATCH
from tipline.server.groups import default_subcommand
from tipline.vocabulary import LANGUAGES

LINE_WORD = {"vi": "dòng", "en": "line"}


def import_file(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    source: Annotated[
        str, typer.Option(help="Who the reports come from; with each row's id it is unique.")
    ] = "import",
    batch: Annotated[
        int, typer.Option(min=1, max=10_000, help="Reports per transaction.")
    ] = DEFAULT_BATCH,
    workers: Annotated[
        int, typer.Option(min=-1, max=32, help="Worker processes reading reports (-1: auto).")
    ] = -1,
    lang: Annotated[
        str | None,
        typer.Option(help="Language of rejection reasons, vi or en (default: from LANG)."),
    ] = None,
) -> None:
    """Import reports; rows it rejects are listed with their line and reason, the others load.
    Importing the same file again adds nothing; an interrupted import can simply be run again."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from tipline.imports.core import read_rows
    from tipline.imports.service import import_reports
    from tipline.server.console import open_database, user_errors
    from tipline.settings import get_settings

    console = Console()
    raw = file.read_bytes()
    total = sum(1 for line in raw.splitlines() if line.strip())
    if file.suffix.lower() == ".csv":
        total = max(total - 1, 0)
    if workers < 0:
        workers = min(2, os.cpu_count() or 1) if total >= 2000 else 0
    language = lang or operator_language()
    if language not in LANGUAGES:
        raise typer.BadParameter("vi or en", param_hint="--lang")
    with user_errors():
        rows = read_rows(file.name, raw, language)
        factory = open_database(get_settings())
        columns = (
            *Progress.get_default_columns()[:1],
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
        )
        try:
            with factory() as session, Progress(*columns, console=console) as progress:
                task = progress.add_task(file.name, total=total)
                summary = import_reports(
                    session,
                    rows,
                    source,
                    batch_size=batch,
                    workers=workers,
                    progress=lambda n: progress.advance(task, n),
                )
        except KeyboardInterrupt:
            console.print(
                "interrupted: whole batches are stored; run the same command again "
                "to import the rest"
            )
            raise typer.Exit(130) from None
    console.print(
        f"{summary.imported} imported, {summary.already_stored} already stored, "
        f"{len(summary.rejected)} rejected, {summary.indicator_links} indicator links"
    )
    for row in summary.rejected:
        console.print(
            f"  {LINE_WORD[language]} {row.line}: {row.reason}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    if summary.rejected:
        raise typer.Exit(1)


def operator_language() -> str:
    """vi when the operator's locale is Vietnamese (LC_ALL, LC_MESSAGES, LANG), else en."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "vi" if value.lower().startswith("vi") else "en"
    return "en"


import_app = typer.Typer(
    cls=default_subcommand("reports"),  # `tipline import FILE` imports reports
    help="Import reports (tipline import FILE), or what partners share (tipline import stix).",
    no_args_is_help=True,
)
import_app.command("reports")(import_file)


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
