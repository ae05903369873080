"""`tipline backup DEST`, `tipline backup verify SRC`, `tipline backup keygen FILE` and
`tipline restore SRC`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tipline.server.groups import default_subcommand

if TYPE_CHECKING:
    from rich.progress import Progress


backup_app = typer.Typer(
    cls=default_subcommand("create"),  # `tipline backup DEST` makes one
    help="Encrypted backups: `tipline backup DEST`, `tipline backup verify SRC`.",
    no_args_is_help=True,
)


class _Bars:
    """A Rich progress bar per step of long work (on standard error)."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: Any = None

    def begin(self, step: str, total: int) -> None:
        if self.task is not None:
            self.progress.update(self.task, completed=self.progress.tasks[-1].total)
        self.task = self.progress.add_task(step, total=max(total, 1))

    def advance(self, amount: int = 1) -> None:
        if self.task is not None:
            self.progress.advance(self.task, amount)


def _progress() -> Progress:
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

    from tipline.server.console import errors

    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn())
    return Progress(*columns, console=errors, transient=True)


def create_command(
    destination: Annotated[Path, typer.Argument(help="The backup file to write (must not exist).")],
    include_keys: Annotated[
        bool,
        typer.Option(help="Also copy the sealing and audit keys (see docs/reliability.md)."),
    ] = False,
) -> None:
    """Back up the database, the evidence it names and the audit checkpoints, encrypted."""
    from tipline.backups.service import take_backup
    from tipline.server.console import user_errors
    from tipline.settings import get_settings

    with user_errors(), _progress() as progress:
        manifest = take_backup(get_settings(), destination, include_keys=include_keys,
                               tracker=_Bars(progress))  # fmt: skip
    rows = sum(manifest.tables.values())
    typer.echo(f"backup written to {destination}: {manifest.engine}, revision "
               f"{manifest.schema_revision}, {rows} rows in {len(manifest.tables)} tables, "
               f"{len(manifest.evidence_hashes)} evidence files")  # fmt: skip


def verify_command(
    source: Annotated[Path, typer.Argument(help="The backup file.")],
) -> None:
    """Decrypt a backup and recompute every hash and row count; exit 1 naming what differs."""
    from tipline.backups.service import verify_backup
    from tipline.server.console import user_errors
    from tipline.settings import get_settings

    with user_errors(), _progress() as progress:
        verified = verify_backup(get_settings(), source, _Bars(progress))
    for problem in verified.problems:
        typer.echo(f"PROBLEM {problem}")
    if not verified.intact:
        typer.echo(f"backup NOT intact: {len(verified.problems)} problems")
        raise typer.Exit(1)
    manifest = verified.manifest
    typer.echo(f"backup intact: {len(manifest.files)} files, {len(manifest.tables)} tables, "
               f"made {manifest.created_at}")  # fmt: skip


def keygen_command(
    path: Annotated[Path, typer.Argument(help="The key file to make (0600; never overwritten).")],
) -> None:
    """Make a random backup key file for TIPLINE_BACKUP_KEY_FILE."""
    from tipline.backups.keys import write_key_file

    try:
        write_key_file(path)
    except FileExistsError:
        typer.echo(f"error: {path} exists", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"backup key written to {path}: keep a copy apart from the backups")


def restore_command(
    source: Annotated[Path, typer.Argument(help="The backup file.")],
) -> None:
    """Restore a backup into the configured data folder and database, which must be empty."""
    from tipline.backups.service import restore_backup
    from tipline.server.console import user_errors
    from tipline.settings import get_settings

    with user_errors(), _progress() as progress:
        manifest = restore_backup(get_settings(), source, _Bars(progress))
    typer.echo(f"restored the backup of {manifest.created_at}: {len(manifest.evidence_hashes)} "
               f"evidence files, revision {manifest.schema_revision}")  # fmt: skip
    if not manifest.keys_included:
        typer.echo("the backup holds no keys: put the sealing and audit keys back (see the "
                   "manifest's identifiers) before serving")  # fmt: skip


def register(app: typer.Typer) -> None:
    backup_app.command("create")(create_command)
    backup_app.command("verify")(verify_command)
    backup_app.command("keygen")(keygen_command)
    app.add_typer(backup_app, name="backup")
    app.command("restore")(restore_command)
