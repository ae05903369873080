"""`tipline evidence verify|sweep|custody|export`: check the stored files, remove what a crash
left without a record, print a file's chain."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

evidence_app = typer.Typer(help="Evidence files: verify the store, read a chain of custody.")
CLI_ACTOR = "cli:operator"


def verify_command() -> None:
    """Re-hash every stored file; exit 0 if all match, 1 naming each that does not."""
    from tipline.evidence.service import store_of, verify_store
    from tipline.server.console import open_database, user_errors
    from tipline.settings import get_settings

    with user_errors():
        settings = get_settings()
        factory = open_database(settings)
        with factory() as session:
            outcome = verify_store(session, store_of(settings), CLI_ACTOR)
    for sha256, problem in outcome.mismatches:
        typer.echo(f"MISMATCH {sha256}: {problem}")
    if outcome.intact:
        typer.echo(f"evidence intact: {outcome.checked} files")
        raise typer.Exit(0)
    typer.echo(f"{len(outcome.mismatches)} of {outcome.checked} files do not match their hash")
    raise typer.Exit(1)


def sweep_command(
    minutes: Annotated[
        int, typer.Option(min=0, help="Only files older than this (uploads still in flight).")
    ] = 60,
) -> None:
    """Remove files a crash left without their record, and unfinished uploads (audited)."""
    from tipline.evidence.service import store_of, sweep_orphans
    from tipline.server.console import open_database, user_errors
    from tipline.settings import get_settings

    with user_errors():
        settings = get_settings()
        with open_database(settings)() as session:
            removed = sweep_orphans(session, store_of(settings), CLI_ACTOR, minutes * 60)
    typer.echo(f"{len(removed)} files without a record removed")


def custody_command(
    sha256: Annotated[str, typer.Argument(help="The file's SHA-256 (64 hex digits).")],
) -> None:
    """Print a file's chain of custody, oldest first."""
    import json

    from tipline.evidence.service import custody_chain
    from tipline.server.console import open_database, user_errors
    from tipline.settings import get_settings

    with user_errors():
        factory = open_database(get_settings())
        with factory() as session:
            evidence, chain = custody_chain(session, sha256)
    typer.echo(
        f"{evidence.sha256} {evidence.media_type} {evidence.size} bytes "
        f"{json.dumps(evidence.original_name, ensure_ascii=False)}"
    )
    for entry in chain:
        details = json.dumps(entry.details, ensure_ascii=False, sort_keys=True)
        typer.echo(f"{entry.at.isoformat()}\t{entry.action}\t{entry.actor}\t{details}")


def export_command(
    sha256: Annotated[str, typer.Argument(help="The file's SHA-256.")],
    destination: Annotated[Path, typer.Argument(help="A folder, or the file to write.")],
    actor: Annotated[str, typer.Option(help="Who exports it, for the custody chain.")] = CLI_ACTOR,
) -> None:
    """Copy a verified file out of the store (a custody entry and an audit entry)."""
    from tipline.evidence.service import export, store_of
    from tipline.server.console import open_database, user_errors
    from tipline.settings import get_settings

    with user_errors():
        settings = get_settings()
        factory = open_database(settings)
        with factory() as session:
            target = export(session, store_of(settings), sha256, destination, actor)
    typer.echo(f"exported to {target}")


def register(app: typer.Typer) -> None:
    evidence_app.command("verify")(verify_command)
    evidence_app.command("sweep")(sweep_command)
    evidence_app.command("custody")(custody_command)
    evidence_app.command("export")(export_command)
    app.add_typer(evidence_app, name="evidence")
