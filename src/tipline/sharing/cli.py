"""`tipline sharing publish`, `tipline export stix --tlp clear --out FILE` and `tipline import
stix FILE --source NAME`; and the `export` group, where MISP's export (`tipline.sharing.
misp_commands`) goes beside STIX's. `import` is `tipline.imports.cli`'s group (reports by
default); STIX's import is added to it here."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

if TYPE_CHECKING:
    from rich.progress import Progress

sharing_app = typer.Typer(
    help="Publish what analysts confirmed, for partners to receive.", no_args_is_help=True
)
export_app = typer.Typer(
    help="Export what is shareable, as STIX 2.1 or a MISP feed.", no_args_is_help=True
)


def _progress() -> Progress:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    return Progress(*columns, transient=True)


def publish_command() -> None:
    """Publish (or update) what is shareable now: confirmed indicators and their campaigns."""
    from tipline.server.console import database
    from tipline.settings import get_settings
    from tipline.sharing.service import publish

    with database() as session, _progress() as bar:
        bar.add_task("publishing", total=None)
        summary = publish(session, get_settings())
        session.commit()
    typer.echo(
        f"{summary.written} published anew ({summary.objects} objects), {summary.unchanged} "
        f"unchanged, {summary.revoked} revoked, {summary.withdrawn} withdrawn"
    )


def export_stix(
    out: Annotated[Path, typer.Option("--out", dir_okay=False, help="The bundle's file.")],
    tlp: Annotated[
        str, typer.Option("--tlp", help="The highest TLP to include: clear, green, amber…")
    ] = "clear",
) -> None:
    """Publish, then write a STIX 2.1 bundle of everything shareable at a TLP.

    Campaigns are included; each object carries its TLP marking."""
    from tipline.errors import InvalidInput
    from tipline.server.console import cli_actor, database, user_errors
    from tipline.settings import get_settings
    from tipline.sharing import repository
    from tipline.sharing.service import policy_at, publish, recipient_key, write_bundle
    from tipline.sharing.tlp import parse_tlp

    with user_errors():
        try:
            policy = policy_at(parse_tlp(tlp))
        except ValueError as error:
            raise InvalidInput(str(error), field="tlp") from error
    with database() as session, _progress() as bar:
        task = bar.add_task("publishing", total=None)
        publish(session, get_settings())
        total = repository.count_for_policy(session, policy, recipient_key("stix", policy, None))
        bar.update(task, description=f"writing {out.name}", total=total)
        with user_errors(), _opened(out) as file:
            written = write_bundle(
                session, cli_actor(), policy, file, progress=lambda n: bar.advance(task, n)
            )
        session.commit()
    typer.echo(
        f"{out}: {written.indicators} indicators, {written.objects} objects "
        f"({policy.max_tlp.label} and below)"
    )


def _opened(path: Path) -> TextIO:
    from tipline.errors import InvalidInput

    try:
        return path.open("w", encoding="utf-8")
    except OSError as error:
        raise InvalidInput(f"cannot write {path}: {error.strerror}", field="out") from error


def import_stix(
    file: Annotated[Path, typer.Argument(dir_okay=False, help="A STIX 2.1 bundle (JSON).")],
    source: Annotated[
        str, typer.Option("--source", help="Who shared it: the partner, as its listings name it.")
    ],
) -> None:
    """Import a partner's STIX 2.1 bundle into the indicator store.

    Its indicators are listed under the source's name, with their TLP and sightings; a file
    that is no bundle is refused whole."""
    import json

    from tipline.errors import InvalidInput
    from tipline.server.console import cli_actor, database, user_errors

    with user_errors():
        try:
            document = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise InvalidInput(f"cannot read {file} as JSON: {error}", field="file") from error
    from tipline.sharing.service import import_bundle

    with database() as session, user_errors(), _progress() as bar:
        bar.add_task(f"importing {file.name}", total=None)
        summary = import_bundle(session, cli_actor(), source, document)
        session.commit()
    typer.echo(
        f"{summary.imported} indicators imported from {source}, {summary.revoked} withdrawn, "
        f"{len(summary.skipped)} skipped"
    )
    for skipped in summary.skipped:
        typer.echo(f"  {skipped.stix_id}: {skipped.reason}")


def register(app: typer.Typer) -> None:
    from tipline.imports.cli import import_app
    from tipline.sharing.misp_commands import export_misp, import_misp

    sharing_app.command("publish")(publish_command)
    export_app.command("stix")(export_stix)
    export_app.command("misp")(export_misp)
    import_app.command("stix")(import_stix)
    import_app.command("misp")(import_misp)
    app.add_typer(sharing_app, name="sharing")
    app.add_typer(export_app, name="export")
