"""`tipline about check [FILE]`: is the operator's profile usable, before the server reads it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

about_app = typer.Typer(help="Who runs this site: the operator's profile.", no_args_is_help=True)


def check(
    file: Annotated[
        Path | None,
        typer.Argument(
            help="The profile to check (default: TIPLINE_ABOUT_FILE, else the default)."
        ),
    ] = None,
) -> None:
    """Read the profile as the server will, and print what the home page will say."""
    from tipline.about.profile import read_profile
    from tipline.server.console import user_errors
    from tipline.settings import get_settings

    with user_errors():
        profile = read_profile(file or get_settings().about_file)
    for language in profile.model_extra or {}:
        typer.echo(f"{language}: {profile.texts(language).name}")
    typer.echo(f"logo: {profile.logo_path or 'none'}; help numbers: {len(profile.help)}")


def register(app: typer.Typer) -> None:
    about_app.command("check")(check)
    app.add_typer(about_app, name="about")
