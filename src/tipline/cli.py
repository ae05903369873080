"""The `tipline` command: each capability's commands, found the way the app finds its routes.

A capability package adds commands with a `cli.py` (or a `<topic>_cli.py` beside it, such as
`indicators/check_cli.py`) that has `register(app)`. Those modules import their heavy
dependencies lazily, inside the commands, so `tipline extract` does not pay for the web server or
the database; the search reads file names only and imports no package that has no commands.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import typer
from typer.main import get_command_name

import tipline

CLI_FILES = ("cli.py", "*_cli.py")
app = typer.Typer(
    name="tipline",
    help="tipline: report, triage, check and share indicators of cybercrime.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@dataclass(frozen=True, slots=True)
class Registered:
    """A capability's CLI module and the top-level commands and groups it added."""

    module: str
    commands: tuple[str, ...]


def capability_cli_names(root: ModuleType = tipline) -> list[str]:
    """The CLI modules (`cli.py`, `*_cli.py`) of every capability package under `root`, in name
    order, found from the files alone: a package without commands is not imported."""
    names = []
    for package in sorted(pkgutil.iter_modules(root.__path__), key=lambda p: p.name):
        if package.ispkg:
            folders = [Path(path) / package.name for path in root.__path__]
            files = {f.stem for d in folders for pattern in CLI_FILES for f in d.glob(pattern)}
            names += [f"{root.__name__}.{package.name}.{stem}" for stem in sorted(files)]
    return names


def _top_level_names(typer_app: typer.Typer) -> set[str]:
    commands = {
        c.name or get_command_name(c.callback.__name__)
        for c in typer_app.registered_commands
        if c.callback is not None
    }
    return commands | {g.name or "" for g in typer_app.registered_groups}


def register_capabilities(typer_app: typer.Typer, names: list[str]) -> list[Registered]:
    """Import each CLI module and call its `register(typer_app)`; a CLI module without one is a
    mistake, reported at once rather than leaving its commands silently out."""
    registered = []
    for name in names:
        module = importlib.import_module(name)
        register = getattr(module, "register", None)
        if not callable(register):
            raise TypeError(f"{name} adds no commands: it has no register(app)")
        before = _top_level_names(typer_app)
        register(typer_app)
        added = tuple(sorted(_top_level_names(typer_app) - before))
        registered.append(Registered(name, added))
    return registered


REGISTERED = register_capabilities(app, capability_cli_names())


def main() -> None:
    """Console-script entry point."""
    app()
