"""`tipline campaigns rebuild`: recompute every report's campaign from the stored links."""

from __future__ import annotations

from typing import Annotated

import typer

campaigns_app = typer.Typer(help="Campaigns: reports linked by the indicators they share.")


def rebuild_command(
    hub_threshold: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="An indicator named by more reports than this links none of them "
            "(default: TIPLINE_CAMPAIGN_HUB_REPORTS, 1000).",
        ),
    ] = None,
) -> None:
    """Rebuild all campaigns (connected components over non-allowlisted indicators)."""
    from tipline.campaigns.service import configured_hub_threshold, rebuild_campaigns
    from tipline.db import transaction
    from tipline.server.console import open_database, user_errors
    from tipline.settings import get_settings

    with user_errors():
        factory = open_database(get_settings())
        with transaction(factory) as session:
            outcome = rebuild_campaigns(session, hub_threshold or configured_hub_threshold())
    typer.echo(
        f"{outcome.reports} reports, {outcome.links} links: {outcome.campaigns} campaigns "
        f"({outcome.linked_campaigns} of more than one report), {outcome.hubs} hub indicators"
    )


def register(app: typer.Typer) -> None:
    campaigns_app.command("rebuild")(rebuild_command)
    app.add_typer(campaigns_app, name="campaigns")
