"""`tipline organisations answers` (what an organisation answers for, and how fast it promised
to) and `tipline requests remind` (remind the organisations of overdue requests)."""

from __future__ import annotations

from typing import Annotated

import typer

requests_app = typer.Typer(help="Requests to organisations.", no_args_is_help=True)


def set_answers(
    name: Annotated[str, typer.Argument(help="The organisation, as `tipline organisations list`.")],
    bank_code: Annotated[
        str | None, typer.Option("--bank-code", help="A bank's code as accounts are written: VCB.")
    ] = None,
    prefixes: Annotated[
        str | None, typer.Option("--prefixes", help="A telecom's number prefixes: +8498,+8496")
    ] = None,
    domains: Annotated[
        str | None,
        typer.Option("--domains", help="A platform's domains and platforms: facebook.com,facebook"),
    ] = None,
    hours: Annotated[
        str | None,
        typer.Option("--response-hours", help="Promised hours per type: freeze=2,takedown=12"),
    ] = None,
) -> None:
    """Say what an organisation answers for, so that tipline proposes it for an indicator."""
    from tipline.orgrequests.core import read_response_hours
    from tipline.orgrequests.organisations import set_answers_for
    from tipline.server.console import cli_actor, database

    try:
        promised = read_response_hours(hours) if hours is not None else None
    except ValueError as exc:
        raise typer.BadParameter(
            "write freeze=2,takedown=12", param_hint="--response-hours"
        ) from exc
    with database() as session:
        found = set_answers_for(session, cli_actor(), name, bank_code, prefixes, domains, promised)
        summary = (f"organisation {found.name}: bank code {found.bank_code or '-'}, prefixes "
                   f"{found.phone_prefixes or '-'}, domains {found.domains or '-'}, "
                   f"hours {found.response_hours or 'default'}")  # fmt: skip
    typer.echo(summary)


def remind() -> None:
    """Remind the organisations of their overdue requests (each once since it fell due)."""
    from tipline.orgrequests.service import remind_overdue
    from tipline.server.console import cli_actor, database

    with database() as session:
        reminded = remind_overdue(session, cli_actor())
    typer.echo(f"{len(reminded)} overdue requests reminded")


def register(app: typer.Typer) -> None:
    from tipline.orgrequests.webhook_commands import deliver, set_webhook
    from tipline.partners.cli import organisations_app

    organisations_app.command("answers")(set_answers)
    organisations_app.command("webhook")(set_webhook)
    requests_app.command("remind")(remind)
    requests_app.command("deliver")(deliver)
    app.add_typer(requests_app, name="requests")
