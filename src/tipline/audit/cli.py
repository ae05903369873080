"""`tipline audit verify`: is the audit log intact, and if not, where was it changed?"""

from __future__ import annotations

import re
from typing import Annotated

import typer

audit_app = typer.Typer(help="The audit log: an append-only hash chain of every action.")

_HEAD = re.compile(r"^(\d+):([0-9a-f]{64})$")


def _parse_head(text: str | None) -> tuple[int, str] | None:
    if text is None:
        return None
    match = _HEAD.match(text.strip().lower())
    if match is None:
        raise typer.BadParameter("expected SEQUENCE:HASH, e.g. 1042:9f86d0…(64 hex digits)")
    return int(match.group(1)), match.group(2)


def verify_command(
    head: Annotated[
        str | None,
        typer.Option(
            "--head",
            help="SEQUENCE:HASH of an entry recorded elsewhere; also detects a cut-off end.",
        ),
    ] = None,
) -> None:
    """Check every entry's hash and link; exit 0 if intact, 1 (saying where) if not."""
    from tipline.audit.core import ChainPoint
    from tipline.audit.service import verify_log
    from tipline.server.console import open_database, user_errors
    from tipline.settings import get_settings

    expected = _parse_head(head)
    with user_errors():
        factory = open_database(get_settings())
        with factory() as session:
            result = verify_log(session, ChainPoint(*expected) if expected else None)
    if result.intact:
        typer.echo(
            f"audit log intact: {result.checked} entries, "
            f"head {result.last.sequence}:{result.last.entry_hash}"
        )
        raise typer.Exit(0)
    typer.echo(
        f"audit log NOT intact at entry {result.sequence} ({result.problem}): {result.message}"
    )
    typer.echo(f"{result.checked} entries before it are intact")
    raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    audit_app.command("verify")(verify_command)
    app.add_typer(audit_app, name="audit")
