"""`tipline feeds refresh`: bring the organisations' indicator feed in step with the database
(`tipline serve` does it every `feed_refresh_seconds`); `tipline organisations agreement`: what
an organisation may pull (docs/feeds.md)."""

from __future__ import annotations

from typing import Annotated

import typer

from tipline.partners.cli import organisations_app

feeds_app = typer.Typer(help="Indicator feeds for organisations.", no_args_is_help=True)


def refresh_feed() -> None:
    """Refresh the feed now: entries that came, changed or left (expired, rejected)."""
    from tipline.feeds.service import refresh
    from tipline.server.console import database
    from tipline.settings import get_settings

    with database() as session:
        done = refresh(session, get_settings())
        session.commit()
    typer.echo(
        f"feed refreshed: {done.added} added, {done.changed} changed "
        f"({done.removed} removed); last change {done.last}"
    )


def agreement_command(
    name: Annotated[str, typer.Argument(help="The organisation's name.")],
    kinds: Annotated[
        str | None, typer.Option("--kinds", help="Indicator kinds, comma-separated, or `all`.")
    ] = None,
    categories: Annotated[
        str | None,
        typer.Option("--categories", help="Report categories, comma-separated, or `all`."),
    ] = None,
    min_confidence: Annotated[
        int | None, typer.Option("--min-confidence", help="The lowest confidence, 0-100.")
    ] = None,
) -> None:
    """Show an organisation's feed agreement; with options, change it (in the audit log)."""
    from tipline.feeds.agreements import (
        AgreementChange,
        agreement_summary,
        organisation_agreement,
        set_agreement,
    )
    from tipline.server.console import cli_actor, database
    from tipline.sharing.policy import KINDS
    from tipline.sharing.policy_text import chosen_words
    from tipline.vocabulary import CATEGORIES

    change = AgreementChange(
        None if kinds is None else chosen_words(kinds, KINDS),
        None if categories is None else chosen_words(categories, CATEGORIES),
        min_confidence,
    )
    with database() as session:
        if change == AgreementChange():
            organisation, agreement = organisation_agreement(session, name)
        else:
            organisation, agreement = set_agreement(session, cli_actor(), name, change)
            typer.echo(f"agreement of {organisation.name} set")
    typer.echo(f"{organisation.name} ({organisation.kind}): {agreement_summary(agreement)}")


def register(app: typer.Typer) -> None:
    feeds_app.command("refresh")(refresh_feed)
    organisations_app.command("agreement")(agreement_command)
    app.add_typer(feeds_app, name="feeds")
