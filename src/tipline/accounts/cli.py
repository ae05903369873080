"""`tipline users add/list/disable` and `tipline tokens create/revoke/list`."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

users_app = typer.Typer(help="People who sign in, and their roles.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens for machines (shown once).", no_args_is_help=True)

ROLES_HELP = "analyst, supervisor, admin, partner or platform"


def fail(message: str) -> typer.Exit:
    from tipline.server.console import errors

    errors.print(f"[red]error:[/red] {message}", highlight=False, markup=True)
    return typer.Exit(2)


def read_password(from_stdin: bool) -> str:
    """The new password: one line of stdin, or asked twice, hidden, at the terminal."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise fail("no terminal to ask for the password: pipe it with --password-stdin")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


def add_user(
    username: Annotated[str, typer.Argument(help="Login name (a-z, 0-9, . _ -).")],
    role: Annotated[str, typer.Option("--role", help=ROLES_HELP)],
    display_name: Annotated[str | None, typer.Option(help="Name shown in the workspace.")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    partner: Annotated[
        str | None, typer.Option("--partner", help="The agency a partner user acts for.")
    ] = None,
    organisation: Annotated[
        str | None, typer.Option("--organisation", help="The organisation of a platform user.")
    ] = None,
) -> None:
    """Add a user; the password is asked twice (hidden) or read with --password-stdin.

    A user of role partner belongs to a partner agency (`tipline partners add`), one of role
    platform to an organisation (`tipline organisations add`); their tokens act for it.
    """
    from tipline.accounts.service import create_user
    from tipline.server.console import cli_actor, database

    password = read_password(password_stdin)
    with database() as session:
        user = create_user(
            session, cli_actor(), username, role, password, display_name,
            partner=partner, organisation=organisation,
        )  # fmt: skip
    typer.echo(f"user {user.username} added ({user.role})")


def list_users() -> None:
    """Every user, with role, state and last sign-in."""
    from rich.console import Console
    from rich.table import Table

    from tipline.accounts.service import list_users as all_users
    from tipline.server.console import database

    table = Table("username", "name", "role", "state", "created", "last sign-in")
    with database() as session:
        for user in all_users(session):
            last = f"{user.last_login_at:%Y-%m-%d %H:%M}" if user.last_login_at else "never"
            state = "disabled" if user.disabled else "active"
            created = f"{user.created_at:%Y-%m-%d}"
            table.add_row(user.username, user.display_name, user.role, state, created, last)
    Console().print(table)


def disable(username: Annotated[str, typer.Argument(help="The user to disable.")]) -> None:
    """Disable a user: they can no longer sign in, and their sessions and tokens stop working."""
    from tipline.accounts.service import disable_user
    from tipline.server.console import cli_actor, database

    with database() as session:
        user = disable_user(session, cli_actor(), username)
    typer.echo(f"user {user.username} disabled; their sessions and tokens are revoked")


def set_password(
    username: Annotated[str, typer.Argument(help="Whose password.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Set a user's password (asked twice, hidden, or read with --password-stdin): every web
    session of theirs ends; their API tokens are kept (tokens revoke ends those)."""
    from tipline.accounts.service import change_password
    from tipline.server.console import cli_actor, database

    password = read_password(password_stdin)
    with database() as session:
        ended = change_password(session, cli_actor(), username, password)
    typer.echo(f"password of {username} set; {ended} session(s) ended")


def create_token(
    username: Annotated[str, typer.Argument(help="Whose token (its calls act as this user).")],
    name: Annotated[str, typer.Option("--name", help="What or who uses it, e.g. 'bank feed'.")],
    days: Annotated[int, typer.Option("--days", help="Valid for this many days (1-366).")] = 90,
) -> None:
    """Create an API token and print it once: it is never shown again."""
    from tipline.accounts.service import create_token as issue
    from tipline.server.console import cli_actor, database

    with database() as session:
        issued = issue(session, cli_actor(), username, name, days)
    token = issued.token
    typer.echo(f"token {token.id} ({token.name}), valid until {token.expires_at:%Y-%m-%d}:")
    typer.echo(issued.plaintext)
    typer.echo("Copy it now: it will not be shown again (only its hash is kept).", err=True)


def revoke(token_id: Annotated[int, typer.Argument(help="The token's id (tokens list).")]) -> None:
    """Revoke a token at once."""
    from tipline.accounts.service import revoke_token
    from tipline.server.console import cli_actor, database

    with database() as session:
        token = revoke_token(session, cli_actor(), token_id)
    typer.echo(f"token {token.id} ({token.prefix}…, {token.name}) revoked")


def list_tokens(
    username: Annotated[str | None, typer.Argument(help="Only this user's tokens.")] = None,
) -> None:
    """Every token (never the token itself: its first characters only)."""
    from rich.console import Console
    from rich.table import Table

    from tipline.accounts.service import list_tokens as tokens_of
    from tipline.server.console import database

    table = Table("id", "user", "name", "starts with", "state", "expires", "last used")
    with database() as session:
        for token in tokens_of(session, username):
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            table.add_row(
                str(token.id), token.username, token.name, f"{token.prefix}…", token.state,
                f"{token.expires_at:%Y-%m-%d}", used,
            )  # fmt: skip
    Console().print(table)


def register(app: typer.Typer) -> None:
    users_app.command("add")(add_user)
    users_app.command("list")(list_users)
    users_app.command("disable")(disable)
    users_app.command("set-password")(set_password)
    tokens_app.command("create")(create_token)
    tokens_app.command("revoke")(revoke)
    tokens_app.command("list")(list_tokens)
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")
