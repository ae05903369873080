"""`tipline organisations webhook` (where an organisation takes webhooks, and their secret) and
`tipline requests deliver` (deliver the webhooks due; `tipline serve` does it too), registered
by `tipline.orgrequests.cli`."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from tipline.settings import Settings


def _key(settings: Settings) -> bytes:
    from tipline.sealing import sealing_key

    return sealing_key(settings.secret_key, settings.make_data_dir())


def set_webhook(
    name: Annotated[str, typer.Argument(help="The organisation, as `tipline organisations list`.")],
    url: Annotated[
        str | None, typer.Option("--url", help="Where its systems take webhooks: https://…")
    ] = None,
    secret_stdin: Annotated[
        bool, typer.Option("--secret-stdin", help="Read the secret from stdin, not a new one.")
    ] = False,
    off: Annotated[bool, typer.Option("--off", help="Send it no more webhooks.")] = False,
) -> None:
    """Send an organisation's requests to its systems as signed webhooks. A new secret is made
    and shown once (give it to the organisation), or read from stdin; it is kept sealed."""
    from tipline.orgrequests import webhook_service as service
    from tipline.server.console import cli_actor, database
    from tipline.settings import get_settings

    if off:
        with database() as session:
            service.remove_webhook(session, cli_actor(), name)
        typer.echo(f"organisation {name}: no webhooks")
        return
    if url is None:
        raise typer.BadParameter("give --url, or --off", param_hint="--url")
    secret = sys.stdin.readline().rstrip("\r\n") if secret_stdin else service.new_secret()
    with database() as session:
        service.set_webhook(session, cli_actor(), name, url, secret, _key(get_settings()))
    typer.echo(f"organisation {name}: webhooks to {url.strip()}")
    if not secret_stdin:
        typer.echo(f"secret (shown once, give it to the organisation): {secret}")


def deliver(
    once: Annotated[
        bool, typer.Option("--once", help="Deliver what is due now, then stop.")
    ] = False,
) -> None:
    """Deliver the webhooks due (signed, retried with backoff), every few seconds until
    interrupted; several servers may run this on one PostgreSQL database."""
    import time

    from tipline.db_types import utc_now
    from tipline.orgrequests.delivery import deliver_due, webhook_client
    from tipline.server.console import open_database, user_errors
    from tipline.settings import get_settings

    settings = get_settings()
    with user_errors(), webhook_client(settings) as client:
        factory, key = open_database(settings), _key(settings)
        while True:
            done = deliver_due(factory, utc_now(), client, key)
            if once or done.delivered or done.retried or done.gave_up:
                typer.echo(
                    f"{done.delivered} delivered, {done.retried} to retry, {done.gave_up} given up"
                )
            if once:
                return
            time.sleep(settings.webhook_deliver_seconds)
