"""`tipline organisations add/list` (`tipline partners …` is with sharing: its policies are
sharing's, `tipline.sharing.partners_cli`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

import typer

organisations_app = typer.Typer(
    help="Organisations: banks, telecoms, platforms.", no_args_is_help=True
)

ContactsOption = Annotated[
    str, typer.Option("--contacts", help="Who to reach and how (kept, never logged).")
]


def print_records(columns: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    """A table of records (id, name, a third column, the day added): never their contacts."""
    from rich.console import Console
    from rich.table import Table

    table = Table(*columns)
    for row in rows:
        table.add_row(*row)
    Console().print(table)


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
    organisations_app.command("add")(add_organisation)
    organisations_app.command("list")(list_organisations)
    app.add_typer(organisations_app, name="organisations")
