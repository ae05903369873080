"""`tipline export misp --tlp clear --out DIR` and `tipline import misp FILE`: the MISP
commands, which `tipline.sharing.cli` puts in its `export` and `import` groups beside STIX's."""

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
    """Write a MISP feed (manifest.json, hashes.csv, an event file each) of everything shareable
    at a TLP; a MISP instance adds the folder, served over HTTP, as a 'MISP Feed'."""
    from tipline.server.console import cli_actor, database
    from tipline.settings import get_settings
    from tipline.sharing.misp_service import write_feed
    from tipline.sharing.tlp import parse_tlp

    try:
        level = parse_tlp(tlp)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--tlp") from error
    with database() as session:
        share = write_feed(session, cli_actor(), level, get_settings().sharing_identity_name, out)
        session.commit()
    attributes = sum(len(e["Event"]["Attribute"]) + len(e["Event"]["Object"]) for e in share.events)
    typer.echo(f"{out}: {len(share.events)} MISP events, {attributes} indicators ({level.label})")
