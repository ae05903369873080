"""`tipline media bank …`: create banks, list them, add, remove, grant, import, export, expire.

Registered by `tipline.media.cli` under `tipline media`. The commands act as an administrator
(`cli_principal`): whoever runs them holds the database anyway. A user error (an unknown bank,
a malformed hash, an export the bank's TLP forbids) exits 2 with one line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Annotated

import typer

bank_app = typer.Typer(help="Hash banks: create, list, add, remove, grant, import, export.",
                       no_args_is_help=True)  # fmt: skip
BankArg = Annotated[str, typer.Argument(help="The bank, by its name or id.")]
FormatOption = Annotated[str, typer.Option("--format", help="hma, threatexchange (or stix).")]


@bank_app.command("create")
def create(
    name: Annotated[str, typer.Argument(help='The bank\'s name: "CSAM known".')],
    kind: Annotated[str, typer.Option(help="child, ncii or other.")],
    owner: Annotated[str, typer.Option(help="Who runs the bank.")],
    provenance: Annotated[str, typer.Option(help="Where its hashes come from.")] = "",
    tlp: Annotated[str, typer.Option(help="clear, green, amber, amber+strict or red.")] = "amber",
    retention_days: Annotated[int | None, typer.Option(help="Remove hashes after this.")] = None,
    owner_organisation: Annotated[
        str | None, typer.Option(help="An organisation that owns it (it may match).")
    ] = None,
) -> None:
    """Create a bank of hashes."""
    from tipline.media.service import create_bank
    from tipline.server.console import cli_principal, database

    with database() as session:
        bank = create_bank(session, cli_principal(), name, kind, owner, provenance, tlp,
                           retention_days, owner_organisation)  # fmt: skip
        typer.echo(f"bank {bank.id} {bank.name}: {bank.kind}, TLP:{bank.tlp.upper()}")


@bank_app.command("list")
def list_banks() -> None:
    """Every bank with its live hashes per signal type."""
    from tipline.media.service import list_banks as listed
    from tipline.server.console import cli_principal, database

    with database() as session:
        for summary in listed(session, cli_principal()):
            bank = summary.bank
            counts = "\t".join(f"{signal} {n}" for signal, n in summary.counts.items())
            typer.echo(f"{bank.id}\t{bank.name}\t{bank.kind}\tTLP:{bank.tlp.upper()}\t{counts}")


@bank_app.command("add")
def add(
    bank: BankArg,
    hashes: Annotated[
        list[str], typer.Argument(help="pdq:<64 hex>, md5:<32 hex>, sha256:<64 hex>")
    ],
    source: Annotated[str, typer.Option(help="Where these hashes come from.")] = "cli",
) -> None:
    """Add hashes to a bank, each written `signal:value`."""
    from tipline.media.core import hash_value
    from tipline.media.service import add_hashes, find_bank
    from tipline.server.console import cli_principal, database

    values = []
    for written in hashes:
        signal, _, value = written.partition(":")
        try:
            values.append(hash_value(signal, value))
        except ValueError as exc:
            raise typer.BadParameter(f"{written[:80]}: {exc}", param_hint="HASHES") from exc
    with database() as session:
        found = find_bank(session, cli_principal(), bank)
        added = add_hashes(session, cli_principal(), found.id, values, source)
    typer.echo(f"{len(added.ids)} added, {added.skipped} in the bank already")


@bank_app.command("remove")
def remove(
    bank: BankArg,
    ids: Annotated[list[int], typer.Argument(help="The ids of the hashes to remove.")],
) -> None:
    """Remove hashes from a bank: they never match again, and their values are erased."""
    from tipline.media.service import find_bank, remove_hashes
    from tipline.server.console import cli_principal, database

    with database() as session:
        found = find_bank(session, cli_principal(), bank)
        typer.echo(f"{remove_hashes(session, cli_principal(), found.id, ids)} removed")


@bank_app.command("grant")
def grant(
    bank: BankArg,
    organisation: Annotated[str | None, typer.Option(help="An organisation's name.")] = None,
    partner: Annotated[str | None, typer.Option(help="A partner agency's name.")] = None,
) -> None:
    """Let an organisation's or a partner agency's users and tokens match against a bank."""
    from tipline.media.service import find_bank
    from tipline.media.service import grant as granted
    from tipline.server.console import cli_principal, database

    with database() as session:
        found = find_bank(session, cli_principal(), bank)
        granted(session, cli_principal(), found.id, organisation, partner)
    typer.echo(f"{organisation or partner} may match against {found.name}")


@bank_app.command("import")
def import_file(
    bank: BankArg,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    format: FormatOption = "hma",
    source: Annotated[str | None, typer.Option(help="Default: the file's name.")] = None,
) -> None:
    """Import hashes from an HMA signal file (`pdq <hash>` a line) or ThreatExchange descriptors
    (JSON lines, also `tipline media hash` output); a progress bar on stderr for long files."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    from tipline.media.service import find_bank
    from tipline.media.transfer import import_hashes
    from tipline.server.console import cli_principal, database

    stderr = Console(stderr=True)
    columns = ("{task.description}", BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with database() as session, Progress(*columns, console=stderr, transient=True,
                                          disable=not stderr.is_terminal) as progress:  # fmt: skip
        found = find_bank(session, cli_principal(), bank)
        task = progress.add_task("importing", total=file.stat().st_size)
        with file.open(encoding="utf-8", errors="replace") as handle:
            lines = _counted(handle, lambda n: progress.advance(task, n))
            done = import_hashes(session, cli_principal(), found.id, format, lines,
                                 source or file.name)  # fmt: skip
    for problem in done.problems:
        stderr.print(f"line {problem.line}: {problem.reason}", highlight=False, markup=False)
    typer.echo(f"{done.added} added, {done.skipped} in the bank already, "
               f"{done.refused} lines refused")  # fmt: skip


def _counted(lines: Iterable[str], advance: Callable[[int], object]) -> Iterator[str]:
    """The lines of a file, telling `advance` how many bytes each took (about: characters)."""
    for line in lines:
        advance(len(line))
        yield line


@bank_app.command("export")
def export(
    bank: BankArg,
    format: Annotated[str, typer.Option("--format", help="hma, threatexchange or stix.")] = "hma",
    for_organisation: Annotated[
        str | None, typer.Option(help="The recipient organisation.")
    ] = None,
    for_partner: Annotated[str | None, typer.Option(help="The recipient partner agency.")] = None,
    output: Annotated[Path | None, typer.Option(help="A file (default: standard output).")] = None,
) -> None:
    """Export a bank's live hashes where its TLP and kind allow (a TLP:RED bank never; a child
    bank only for a recipient granted it, within its TLP)."""
    import sys

    from tipline.media.service import find_bank
    from tipline.media.transfer import export_bank
    from tipline.server.console import cli_principal, database
    from tipline.settings import get_settings

    name = get_settings().sharing_identity_name
    with database() as session:
        found = find_bank(session, cli_principal(), bank)
        pieces = export_bank(session, cli_principal(), found.id, format, name,
                             for_organisation, for_partner)  # fmt: skip
        target = output.open("w", encoding="utf-8") if output else sys.stdout
        try:
            target.writelines(pieces)
        finally:
            if output:
                target.close()


@bank_app.command("expire")
def expire() -> None:
    """Remove the hashes older than their bank's retention (run it daily)."""
    from tipline.media.service import expire_hashes
    from tipline.server.console import database

    with database() as session:
        typer.echo(f"{expire_hashes(session)} hashes past their bank's retention removed")
