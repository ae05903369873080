"""`tipline export misp --tlp clear --out DIR` and `tipline import misp FILE`: the MISP
commands, which `tipline.sharing.cli` puts in the `export` and `import` groups beside STIX's."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def export_misp(
    out: Annotated[
        Path, typer.Option("--out", file_okay=False, help="The feed's folder (made if missing).")
    ],
    tlp: Annotated[
        str, typer.Option("--tlp", help="The highest TLP to include: clear, green, amber…")
    ] = "clear",
) -> None:
    """Publish, then write a MISP feed of everything shareable at a TLP.

    The folder holds manifest.json, hashes.csv and an event file each; a MISP instance adds it,
    served over HTTP, as a feed of format 'MISP Feed'."""
    from tipline.errors import InvalidInput
    from tipline.server.console import cli_actor, database, user_errors
    from tipline.settings import get_settings
    from tipline.sharing.misp_service import write_feed
    from tipline.sharing.service import publish
    from tipline.sharing.tlp import parse_tlp

    with user_errors():
        try:
            level = parse_tlp(tlp)
        except ValueError as error:
            raise InvalidInput(str(error), field="tlp") from error
    settings = get_settings()
    with database() as session, user_errors():
        publish(session, settings)
        share = write_feed(session, cli_actor(), level, settings.sharing_identity_name, out)
        session.commit()
    events = [e["Event"] for e in share.events]
    indicators = sum(len(e["Attribute"]) + len(e["Object"]) for e in events)
    typer.echo(
        f"{out}: {len(events)} MISP events, {indicators} indicators ({level.label} and below)"
    )


def import_misp(
    path: Annotated[
        Path, typer.Argument(help="A MISP event's JSON (or a list of events), or a feed's folder.")
    ],
    source: Annotated[
        str | None,
        typer.Option("--source", help="Who shared it (default: each event's organisation)."),
    ] = None,
) -> None:
    """Import MISP events into the indicator store, as a partner's STIX bundle is imported.

    Each indicator keeps its TLP tag, categories and sightings, listed under the source."""
    from tipline.server.console import cli_actor, database, user_errors
    from tipline.sharing.misp_service import import_events

    with database() as session, user_errors():
        done = import_events(session, cli_actor(), path, source)
        session.commit()
    for name, summary in done:
        typer.echo(
            f"{summary.imported} indicators imported from {name}, {summary.revoked} withdrawn, "
            f"{len(summary.skipped)} skipped"
        )
        for skipped in summary.skipped[:50]:
            typer.echo(f"  {skipped.stix_id}: {skipped.reason}")
        if len(summary.skipped) > 50:
            typer.echo(f"  … and {len(summary.skipped) - 50} more")
