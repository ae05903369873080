"""`tipline client check VALUE --server URL [--token T]`: ask a tipline server, as a bank's
program would, through `tipline.client` (the private check when the server has one).

The commands are a Typer app of their own, so that the `tipline-client` distribution offers
them without the server's CLI (as its `tipline-client` command)."""

from __future__ import annotations

from typing import Annotated

import typer

from tipline.client.api import Client
from tipline.client.errors import (
    BadAnswer,
    ClientError,
    NotFound,
    RateLimited,
    ServerError,
    Unavailable,
    Unreachable,
)
from tipline.client.results import Checked
from tipline.client.retrying import Backoff

client_app = typer.Typer(
    name="client",
    help="Ask a tipline server as a client program would.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
FAILURES = (Unreachable, ServerError, BadAnswer, RateLimited)


@client_app.callback()
def client_group() -> None:
    """Ask a tipline server as a client program would."""
    # A callback keeps `check` a subcommand of `tipline-client`, not the command itself.


def verdict_lines(result: Checked, check: str) -> list[str]:
    """The verdict alone on the first line (for scripts), then what the server knows."""
    categories = sorted(result.categories.items(), key=lambda item: (-item[1], item[0]))
    return [
        result.verdict,
        f"kind: {result.kind}",
        f"value: {result.value}",
        f"reports: {result.report_count}",
        f"confirmed: {'yes' if result.confirmed else 'no'}",
        f"allowlisted: {'yes' if result.allowlisted else 'no'}",
        "categories: " + (", ".join(f"{name}: {n}" for name, n in categories) or "-"),
        f"check: {check}",
    ]


def ask(tipline: Client, value: str) -> list[str]:
    """The private check's answer, or the public check's from a server without a private one."""
    try:
        return verdict_lines(tipline.private_check(value), "private")
    except (NotFound, Unavailable):
        return verdict_lines(tipline.check(value), "public (the server has no private check)")


@client_app.command("check")
def check(
    value: Annotated[str, typer.Argument(help="A phone, account, link, wallet, handle…")],
    server: Annotated[str, typer.Option(help="The tipline server: https://host[:port].")],
    token: Annotated[
        str | None, typer.Option(help="An API token (higher rate limits).", envvar="TIPLINE_TOKEN")
    ] = None,
    timeout: Annotated[float, typer.Option(help="Seconds for each try.", min=0.1)] = 10.0,
    retries: Annotated[int, typer.Option(help="Tries after a failed one.", min=0, max=10)] = 3,
) -> None:
    """Has anyone reported VALUE? The private check (the server learns a bucket of thousands
    of values, not the value), or the public check on a server that has no private one.
    Prints the verdict (reported, not_reported, allowlisted), then what the server knows."""
    try:
        backoff = Backoff(retries=retries)
        with Client(server, token, timeout=timeout, backoff=backoff, language="en") as tipline:
            lines = ask(tipline, value)
    except ClientError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        # A bad value, token or URL is the user's to fix: 2; the network's or server's: 1.
        raise typer.Exit(1 if isinstance(exc, FAILURES) else 2) from exc
    for line in lines:
        typer.echo(line)


def register(app: typer.Typer) -> None:
    app.add_typer(client_app, name="client")


def main() -> None:
    """The `tipline-client` command of the client's own distribution."""
    client_app()
