"""`tipline partners add/list/policy`: partner agencies abroad and what each may receive.

The `partners` commands live with sharing (not in `tipline.partners`, which accounts and
sharing build on) because a partner's policy is sharing's: the partners package may not import
it back.
"""

from __future__ import annotations

from typing import Annotated

import typer

from tipline.partners.cli import ContactsOption, print_records
from tipline.sharing.sync.cli import add_partner_commands

partners_app = typer.Typer(help="Partner agencies abroad and their sharing policies.",
                           no_args_is_help=True)  # fmt: skip


def add_partner(
    name: Annotated[str, typer.Argument(help="The agency's name, e.g. 'Thai Police CCIB'.")],
    country: Annotated[str, typer.Option("--country", help="ISO 3166 code: TH, KH, SG…")],
    contacts: ContactsOption = "",
) -> None:
    """Add a partner agency abroad (it receives TLP:CLEAR only until its policy says more);
    then `tipline users add NAME --role partner --partner …` and a token for its TAXII client."""
    from tipline.partners.service import add_partner as add
    from tipline.server.console import cli_actor, database

    with database() as session:
        partner = add(session, cli_actor(), name, country, contacts)
    typer.echo(f"partner {partner.id} {partner.name} ({partner.country}) added")


def list_partners() -> None:
    """Every partner agency with its sharing policy (not its contacts)."""
    from tipline.server.console import database
    from tipline.sharing.policies import partners_with_access
    from tipline.sharing.policy_text import policy_summary

    with database() as session:
        rows = [
            (str(p.partner.id), p.partner.name, p.partner.country, policy_summary(p.policy),
             ", ".join(user.username for user in p.users) or "-", str(p.rejected))
            for p in partners_with_access(session)
        ]  # fmt: skip
    print_records(("id", "name", "country", "policy", "users", "rejected"), rows)


def list_rejections(
    name: Annotated[str, typer.Argument(help="The partner, by name.")],
    limit: Annotated[int, typer.Option("--limit", min=1, max=10000)] = 50,
) -> None:
    """Our objects the partner's TAXII server rejected, latest first, with the reason it gave;
    each is sent again only when a newer version of it is published."""
    from tipline.partners.service import find_partner
    from tipline.server.console import database, user_errors
    from tipline.sharing.sync.repository import rejections

    with user_errors(), database() as session:
        partner = find_partner(session, name)
        count, latest = rejections(session, [partner.id], limit).get(partner.id, (0, []))
    rows = [
        (r.stix_id, r.modified.isoformat(), r.at.isoformat(timespec="seconds"), r.reason or "-")
        for r in latest
    ]
    typer.echo(f"{name}: {count} objects rejected by its server")
    if rows:
        print_records(("object", "version", "rejected at", "reason"), rows)


CategoriesOption = Annotated[
    str | None,
    typer.Option("--categories", help="Report categories, comma-separated, or `all`."),
]
KindsOption = Annotated[
    str | None,
    typer.Option("--kinds", help="Indicator kinds (phone, url, bank_account…), or `all`."),
]


def policy_command(
    name: Annotated[str, typer.Argument(help="The partner's name.")],
    max_tlp: Annotated[
        str | None, typer.Option("--max-tlp", help="clear, green, amber, amber+strict or red.")
    ] = None,
    categories: CategoriesOption = None,
    kinds: KindsOption = None,
    campaigns: Annotated[
        bool | None, typer.Option("--campaigns/--no-campaigns", help="Campaigns too?")
    ] = None,
) -> None:
    """Show a partner's sharing policy; with options, change it (in the audit log)."""
    from tipline.server.console import cli_actor, database
    from tipline.sharing.policies import PolicyChange, partner_policy, set_policy
    from tipline.sharing.policy import KINDS
    from tipline.sharing.policy_text import chosen_words, policy_lines
    from tipline.vocabulary import CATEGORIES

    change = PolicyChange(
        max_tlp,
        None if categories is None else chosen_words(categories, CATEGORIES),
        None if kinds is None else chosen_words(kinds, KINDS),
        campaigns,
    )
    with database() as session:
        if change == PolicyChange():
            partner, policy = partner_policy(session, name)
        else:
            set_policy(session, cli_actor(), name, change)
            partner, policy = partner_policy(session, name)
            typer.echo(f"policy of {partner.name} set")
        typer.echo(f"{partner.name} ({partner.country})")
        typer.echo("\n".join(f"  {line}" for line in policy_lines(policy)))


def register(app: typer.Typer) -> None:
    partners_app.command("add")(add_partner)
    partners_app.command("list")(list_partners)
    partners_app.command("policy")(policy_command)
    partners_app.command("rejections")(list_rejections)
    add_partner_commands(partners_app)  # endpoint, sync: tipline.sharing.sync.cli
    app.add_typer(partners_app, name="partners")
