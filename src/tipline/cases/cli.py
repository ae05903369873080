"""`tipline cases list`: the cases, overdue first, from the command line."""

from __future__ import annotations

from typing import Annotated

import typer

cases_app = typer.Typer(help="Cases: reports and campaigns grouped for an investigation.")


def list_command(
    status: Annotated[str | None, typer.Option(help="open, in_progress or closed")] = None,
    assignee: Annotated[str | None, typer.Option(help="only this user's cases")] = None,
) -> None:
    """Print the cases (overdue first): reference, status, assignee, deadline, title."""
    from tipline.cases.service import list_cases
    from tipline.server.console import cli_principal, open_database, user_errors
    from tipline.settings import get_settings

    with user_errors():
        factory = open_database(get_settings())
        with factory() as session:
            listing = list_cases(session, cli_principal(), status, assignee)
            for row in listing.rows:
                case = row.case
                deadline = case.deadline.isoformat() if case.deadline else "-"
                flag = " OVERDUE" if row.overdue else ""
                typer.echo(
                    f"{row.reference}\t{case.status}\t{case.assignee or '-'}\t"
                    f"{deadline}{flag}\t{case.title}"
                )
    typer.echo(f"{listing.total} cases")


def register(app: typer.Typer) -> None:
    cases_app.command("list")(list_command)
    app.add_typer(cases_app, name="cases")
