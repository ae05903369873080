"""`tipline audit verify`: is the audit log intact, and if not, where was it changed?
`tipline audit checkpoint`: sign the log's end now (`tipline serve` does it periodically)."""

from __future__ import annotations

import re
from typing import Annotated

import typer

from tipline.audit.checkpoints import Checkpoint

audit_app = typer.Typer(help="The audit log: an append-only hash chain of every action.")

_HEAD = re.compile(r"^(\d+):([0-9a-f]{64})$")


def _parse_head(text: str | None) -> tuple[int, str] | None:
    if text is None:
        return None
    match = _HEAD.match(text.strip().lower())
    if match is None:
        raise typer.BadParameter("expected SEQUENCE:HASH, e.g. 1042:9f86d0…(64 hex digits)")
    return int(match.group(1)), match.group(2)


def _anchor_line(checkpoints: list[Checkpoint], head_given: bool) -> str:
    if checkpoints:
        return f"checkpoint {len(checkpoints)} (entry {checkpoints[-1].sequence}) holds"
    if head_given:
        return "the given head matches"
    return "no checkpoint yet (`tipline audit checkpoint`): a cut-off end would go unnoticed"


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
    from tipline.audit.anchors import checkpoint_file, load_key
    from tipline.audit.core import ChainPoint
    from tipline.audit.service import verify_anchored, verify_log
    from tipline.server.console import open_database, user_errors
    from tipline.settings import get_settings

    expected = _parse_head(head)
    with user_errors():
        settings = get_settings()
        factory = open_database(settings)
        checkpoints = [] if expected else checkpoint_file(settings).read()
        with factory() as session:
            if checkpoints:
                public_key = load_key(settings).public_key()
                result = verify_anchored(session, public_key, checkpoints)
            else:
                result = verify_log(session, ChainPoint(*expected) if expected else None)
    if result.intact:
        typer.echo(
            f"audit log intact: {result.checked} entries, "
            f"head {result.last.sequence}:{result.last.entry_hash}"
        )
        typer.echo(_anchor_line(checkpoints, expected is not None))
        raise typer.Exit(0)
    typer.echo(
        f"audit log NOT intact at entry {result.sequence} ({result.problem}): {result.message}"
    )
    typer.echo(f"{result.checked} entries before it are intact")
    raise typer.Exit(1)


def checkpoint_command() -> None:
    """Sign the audit log's end now and append it to the checkpoint file."""
    from tipline.audit.anchors import checkpoint_file
    from tipline.audit.service import checkpoint_now
    from tipline.server.console import open_database, user_errors
    from tipline.settings import get_settings

    with user_errors():
        settings = get_settings()
        checkpoint = checkpoint_now(open_database(settings), settings)
        count = len(checkpoint_file(settings).read())
    if checkpoint is None:
        typer.echo("the audit log is empty: nothing to sign")
        return
    typer.echo(
        f"checkpoint {count}: entry {checkpoint.sequence}:{checkpoint.entry_hash} "
        f"signed at {checkpoint.signed_at} (key {checkpoint.key_id})"
    )


def register(app: typer.Typer) -> None:
    audit_app.command("verify")(verify_command)
    audit_app.command("checkpoint")(checkpoint_command)
    app.add_typer(audit_app, name="audit")
