"""`tipline partners endpoint` (a partner's TAXII server and our credentials there) and
`tipline partners sync` (pull its collections, push ours), added to `tipline partners` by
`tipline.sharing.partners_cli`."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress

    from tipline.settings import Settings


def _read_secret(from_stdin: bool, token: bool) -> str:
    what = "Token" if token else "Password"
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        from tipline.accounts.cli import fail

        raise fail(f"no terminal to ask for the {what.lower()}: pipe it with --secret-stdin")
    return str(typer.prompt(what, hide_input=True))


def _key(settings: Settings) -> bytes:
    from tipline.sealing import sealing_key

    return sealing_key(settings.secret_key, settings.make_data_dir())


def set_endpoint(
    name: Annotated[str, typer.Argument(help="The partner, as `tipline partners list` names it.")],
    url: Annotated[str, typer.Option("--url", help="Its TAXII 2.1 discovery (or API root) URL.")],
    user: Annotated[str, typer.Option("--user", help="Our username at its server.")] = "",
    token: Annotated[
        bool, typer.Option("--token", help="Sign in with an API token, not a user's password.")
    ] = False,
    secret_stdin: Annotated[
        bool, typer.Option("--secret-stdin", help="Read the password or token from stdin.")
    ] = False,
) -> None:
    """Set where a partner's TAXII server is and how we sign in to it (the password or token is
    asked, hidden, or read with --secret-stdin, and kept sealed)."""
    from tipline.server.console import cli_actor, database
    from tipline.settings import get_settings
    from tipline.sharing.sync.core import Credentials
    from tipline.sharing.sync.service import set_endpoint as set_it

    secret = _read_secret(secret_stdin, token)
    credentials = Credentials("token" if token else "basic", user, secret)
    with database() as session:
        endpoint = set_it(session, cli_actor(), name, url, credentials, _key(get_settings()))
    typer.echo(f"partner {name}: TAXII server {endpoint.url} ({endpoint.auth})")


class _Bar:
    """Sync progress as a rich bar per collection (objects, with no total: TAXII gives none)."""

    def __init__(self, progress: RichProgress) -> None:
        self._progress = progress
        self._task: object = None

    def collection(self, partner: str, title: str, direction: str) -> None:
        verb = "pulling from" if direction == "pull" else "pushing to"
        self._task = self._progress.add_task(f"{partner}: {verb} {title}", total=None)

    def advance(self, count: int) -> None:
        if self._task is not None:
            self._progress.advance(self._task, count)  # type: ignore[arg-type]


@contextmanager
def _bar() -> Iterator[_Bar]:
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"),
               TextColumn("{task.completed} objects"), TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, transient=not sys.stderr.isatty()) as progress:
        yield _Bar(progress)


def sync(
    name: Annotated[
        str | None, typer.Argument(help="One partner; without it every partner with a server.")
    ] = None,
    page: Annotated[int, typer.Option("--page", min=1, max=10000, help="Objects a page.")] = 1000,
) -> None:
    """Pull the partner's collections from where the last sync stopped, then push what its
    policy admits of ours to the collections it lets us write. Syncing every partner, one whose
    server fails is named in one line and the others go on (exit status 2 at the end)."""
    from tipline.server.console import cli_actor, database, errors
    from tipline.settings import get_settings
    from tipline.sharing.sync.client import PartnerServerError
    from tipline.sharing.sync.service import sync_partner, synced_partners

    key, results, failed = _key(get_settings()), [], 0
    with database() as session, _bar() as bar:
        for partner in synced_partners(session, name):
            try:
                results.append(sync_partner(session, cli_actor(), partner, key, bar, page))
            except PartnerServerError as error:
                if name is not None:
                    raise
                session.rollback()
                errors.print(f"error: {partner.name}: {error.message}", markup=False)
                failed += 1
    for result in results:
        refused = f", {result.rejected} rejected by its server" if result.rejected else ""
        typer.echo(
            f"{result.partner}: {result.pulled} objects pulled, {result.pushed} pushed{refused}"
        )
    if not results and not failed:
        typer.echo("no partner has a TAXII server: `tipline partners endpoint NAME --url …`")
    if failed:
        raise typer.Exit(2)


def add_partner_commands(partners_app: typer.Typer) -> None:
    """Add `endpoint` and `sync` to `tipline partners`."""
    partners_app.command("endpoint")(set_endpoint)
    partners_app.command("sync")(sync)
