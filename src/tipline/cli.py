"""The `tipline` command: each capability registers its own commands here."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="tipline",
    help="tipline: report, triage, check and share indicators of cybercrime.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each module has `register(app)`; they import their heavy dependencies lazily inside commands,
# so `tipline extract` does not pay for the web server or the database.
CAPABILITY_CLIS = (
    "tipline.indicators.cli",
    "tipline.indicators.check_cli",
    "tipline.server.cli",
    "tipline.imports.cli",
    "tipline.demo.cli",
    "tipline.audit.cli",
    "tipline.campaigns.cli",
    "tipline.triage.cli",
    "tipline.accounts.cli",
    "tipline.partners.cli",
    "tipline.cases.cli",
    "tipline.evidence.cli",
)


def _register_all() -> None:
    for module_name in CAPABILITY_CLIS:
        importlib.import_module(module_name).register(app)


_register_all()


def main() -> None:
    """Console-script entry point."""
    app()
