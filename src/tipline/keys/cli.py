"""`tipline keys new|list|rotate|retire`: the keys victims' data is encrypted with at rest
(tipline.keyring; docs/reliability.md, "Encryption at rest")."""

from __future__ import annotations

from typing import Annotated, Any

import typer

keys_app = typer.Typer(help="Data keys: rotate them, see what each still encrypts, retire one.")


def _progress() -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (TextColumn("re-encrypting"), BarColumn(), MofNCompleteColumn())
    return Progress(*columns, console=Console(stderr=True), transient=True)


def _context() -> tuple[Any, Any, Any]:
    """(settings, session factory, evidence store) of the configured instance."""
    from tipline.evidence.service import store_of
    from tipline.server.console import open_database
    from tipline.settings import get_settings

    settings = get_settings()
    return settings, open_database(settings), store_of(settings)


def new_command() -> None:
    """Print a fresh random key, to put first in TIPLINE_DATA_KEYS."""
    from tipline.keyring import new_key

    typer.echo(new_key().decode("ascii"))


def list_command() -> None:
    """Each key of the ring (the current first) and how many values and files it encrypts."""
    from tipline.db_types import data_keys
    from tipline.keys.service import PLAIN, key_usage
    from tipline.server.console import user_errors

    with user_errors():
        _settings, factory, store = _context()
        ring = data_keys()
        with factory() as session:
            used = key_usage(session, store)
    for index, key in enumerate(ring.keys):
        typer.echo(f"{key.id}\t{'current' if index == 0 else 'old'}\t{used.pop(key.id, 0)}")
    for key_id, number in sorted(used.items()):
        typer.echo(f"{key_id}\t{'not encrypted' if key_id == PLAIN else 'MISSING'}\t{number}")


def rotate_command(
    resume: Annotated[
        bool,
        typer.Option(
            "--resume", help="Add no key: finish an interrupted rotation (or one to the "
            "key just put first in TIPLINE_DATA_KEYS)."
        ),
    ] = False,
) -> None:  # fmt: skip
    """Add a new current key (to the data folder's key file) and re-encrypt every victim's
    value and evidence file under it, in batches: safe to interrupt and run again."""
    from tipline.db_types import use_data_keys
    from tipline.keyring import new_secret, ring_of, write_key_file
    from tipline.keys.service import rotate, totals
    from tipline.server.console import user_errors

    with user_errors():
        settings, factory, store = _context()
        ring = ring_of(settings.data_keys, settings.make_data_dir())
        if not resume and settings.data_keys:
            typer.echo("TIPLINE_DATA_KEYS is set: put a new key first there (tipline keys new), "
                       "then run tipline keys rotate --resume", err=True)  # fmt: skip
            raise typer.Exit(2)
        if not resume:
            write_key_file(settings.data_dir, [new_secret(), *(k.secret for k in ring.keys)])
        ring = use_data_keys(settings.data_keys, settings.data_dir)
        values, files = totals(factory)
        with _progress() as bar:
            task = bar.add_task("rotate", total=values + files)
            done = rotate(factory, store, ring, lambda n: bar.advance(task, n))
    typer.echo(f"current key {ring.current.id}: {done.values} values and {done.files} files "
               "re-encrypted")  # fmt: skip


def retire_command(
    key_id: Annotated[str, typer.Argument(help="The key's id (tipline keys list).")],
) -> None:
    """Remove an old key from the data folder's key file, once nothing is encrypted under it."""
    from tipline.db_types import data_keys
    from tipline.keyring import write_key_file
    from tipline.keys.service import key_usage
    from tipline.server.console import user_errors

    with user_errors():
        settings, factory, store = _context()
        ring = data_keys()
        if key_id == ring.current.id or key_id not in {k.id for k in ring.keys}:
            typer.echo(f"{key_id} is not an old key of the ring", err=True)
            raise typer.Exit(2)
        with factory() as session:
            still = key_usage(session, store)[key_id]
        if still:
            typer.echo(f"{still} values or files are still under {key_id}: run tipline keys "
                       "rotate --resume first", err=True)  # fmt: skip
            raise typer.Exit(1)
        if settings.data_keys:
            typer.echo(f"nothing is under {key_id}: remove it from TIPLINE_DATA_KEYS")
            return
        write_key_file(settings.data_dir, [k.secret for k in ring.keys if k.id != key_id])
    typer.echo(f"{key_id} retired")


def register(app: typer.Typer) -> None:
    keys_app.command("new")(new_command)
    keys_app.command("list")(list_command)
    keys_app.command("rotate")(rotate_command)
    keys_app.command("retire")(retire_command)
    app.add_typer(keys_app, name="keys")
