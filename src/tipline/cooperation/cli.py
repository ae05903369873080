"""`tipline cooperation reminders`: the preservations that lapse soon, from the command line."""

from __future__ import annotations

from typing import Annotated

import typer

from tipline.cooperation.core import LAPSE_REMINDER_DAYS

cooperation_app = typer.Typer(help="Cooperation requests between countries.")


def reminders_command(
    days: Annotated[
        int, typer.Option(min=0, max=366, help="lapsing within this many days")
    ] = LAPSE_REMINDER_DAYS,
) -> None:
    """Print the preservations being held that lapse within DAYS days (soonest first):
    reference, lapses on, the authority asked, type, status. Extend one before it lapses."""
    from tipline.cooperation.service import lapsing_within
    from tipline.server.console import cli_principal, open_database, user_errors
    from tipline.settings import get_settings

    with user_errors():
        factory = open_database(get_settings())
        with factory() as session:
            found = lapsing_within(session, cli_principal(), days)
            for request in found:
                until = request.preserved_until.isoformat() if request.preserved_until else "-"
                typer.echo(
                    f"{request.reference}\t{until}\t{request.requested_authority}\t"
                    f"{request.type}\t{request.status}"
                )
    typer.echo(f"{len(found)} lapsing within {days} days")


def register(app: typer.Typer) -> None:
    cooperation_app.command("reminders")(reminders_command)
    app.add_typer(cooperation_app, name="cooperation")
