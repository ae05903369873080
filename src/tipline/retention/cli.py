"""`tipline purge [--dry-run]`: enforce the configured retention (TIPLINE_RETENTION_*_DAYS)."""

from __future__ import annotations

from typing import Annotated

import typer


def purge_command(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only count what would go; change nothing.")
    ] = False,
) -> None:
    """Remove each data class past its retention (audited); evidence files go from the store."""
    from tipline.evidence.service import store_of
    from tipline.retention.service import policy_of, purge
    from tipline.server.console import cli_actor, database
    from tipline.settings import get_settings

    settings = get_settings()
    policy = policy_of(settings)
    with database() as session:
        outcome = purge(session, policy, store_of(settings), dry_run=dry_run, actor=cli_actor())
    for kind, days in policy.days.items():
        if not days:
            typer.echo(f"{kind.value:<11} kept (no retention set)")
            continue
        verb = "would go" if dry_run else "removed"
        cutoff = outcome.cutoffs[kind].date().isoformat()
        typer.echo(f"{kind.value:<11} {outcome.counts[kind]:>8} {verb} (older than {days} days, "
                   f"before {cutoff})")  # fmt: skip
    if dry_run:
        typer.echo("dry run: nothing was changed")


def register(app: typer.Typer) -> None:
    app.command("purge")(purge_command)
