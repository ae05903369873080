"""`tipline partners add/list` and `tipline organisations add/list`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

import typer

partners_app = typer.Typer(help="Partner agencies abroad.", no_args_is_help=True)
organisations_app = typer.Typer(
    help="Organisations: banks, telecoms, platforms.", no_args_is_help=True
)

ContactsOption = Annotated[
    str, typer.Option("--contacts", help="Who to reach and how (kept, never logged).")
]


def add_partner(
    name: Annotated[str, typer.Argument(help="The agency's name, e.g. 'Thai Police CCIB'.")],
    country: Annotated[str, typer.Option("--country", help="ISO 3166 code: TH, KH, SG…")],
    contacts: ContactsOption = "",
) -> None:
    """Add a partner agency abroad; then `tipline users add NAME --role partner --partner …`."""
    from tipline.partners.service import add_partner as add
    from tipline.server.console import cli_actor, database

    with database() as session:
        partner = add(session, cli_actor(), name, country, contacts)
    typer.echo(f"partner {partner.id} {partner.name} ({partner.country}) added")


def print_records(columns: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    """A table of records (id, name, a third column, the day added): never their contacts."""
    from rich.console import Console
    from rich.table import Table

    table = Table(*columns)
    for row in rows:
        table.add_row(*row)
    Console().print(table)


def list_partners() -> None:
    """Every partner agency (not their contacts)."""
    from tipline.partners.service import list_partners as every_partner
    from tipline.server.console import database

    with database() as session:
        rows = [
            (str(p.id), p.name, p.country, f"{p.created_at:%Y-%m-%d}")
            for p in every_partner(session)
        ]
    print_records(("id", "name", "country", "added"), rows)


def add_organisation(
    name: Annotated[str, typer.Argument(help="The organisation's name, e.g. 'Vietcombank'.")],
    kind: Annotated[str, typer.Option("--kind", help="bank, telecom, platform or other")],
    contacts: ContactsOption = "",
) -> None:
    """Add an organisation; then `tipline users add NAME --role platform --organisation …`."""
    from tipline.partners.service import add_organisation as add
    from tipline.server.console import cli_actor, database

    with database() as session:
        organisation = add(session, cli_actor(), name, kind, contacts)
    typer.echo(f"organisation {organisation.id} {organisation.name} ({organisation.kind}) added")


def list_organisations() -> None:
    """Every organisation (not their contacts)."""
    from tipline.partners.service import list_organisations as every_organisation
    from tipline.server.console import database

    with database() as session:
        rows = [
            (str(o.id), o.name, o.kind, f"{o.created_at:%Y-%m-%d}")
            for o in every_organisation(session)
        ]
    print_records(("id", "name", "kind", "added"), rows)


def register(app: typer.Typer) -> None:
    partners_app.command("add")(add_partner)
    partners_app.command("list")(list_partners)
    organisations_app.command("add")(add_organisation)
    organisations_app.command("list")(list_organisations)
    app.add_typer(partners_app, name="partners")
    app.add_typer(organisations_app, name="organisations")
