"""Command groups of the CLI that every capability may use; typer only, so that a capability's
`cli.py` stays light to import (see `tipline.cli`)."""

from __future__ import annotations

from typing import Any

from typer.core import TyperGroup


def default_subcommand(name: str) -> type[TyperGroup]:
    """A command group in which a first word that names no subcommand (and asks for no help)
    is an argument of subcommand `name`: `tipline import FILE` is `tipline import reports FILE`."""

    class DefaultSubcommand(TyperGroup):
        def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # typer's click Context
            if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
                args = [name, *args]
            return super().parse_args(ctx, args)

    return DefaultSubcommand
