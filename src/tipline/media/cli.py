"""`tipline media …`: images' hashes (`tipline media hash FILE...`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

media_app = typer.Typer(help="Images: PDQ, MD5 and SHA-256 hashes; hash banks and matching.")
MAX_FILE_BYTES = 256 * 2**20  # larger than any photo; a file past it is refused unread
PROGRESS_FROM = 20  # files: fewer are hashed without a progress bar


def hash_file(path: Path) -> dict[str, Any]:
    """`{"file", "pdq", "quality", "md5", "sha256"}` for an image file, or `{"file", "error"}`."""
    from tipline.errors import TiplineError
    from tipline.media.hashing import hash_image

    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return {"file": str(path), "error": f"larger than {MAX_FILE_BYTES:,} bytes"}
        content = path.read_bytes()
    except OSError as error:
        return {"file": str(path), "error": error.strerror or type(error).__name__}
    try:
        return {"file": str(path), **hash_image(content).as_json()}
    except TiplineError as error:
        return {"file": str(path), "error": error.message}


def hash_command(
    files: Annotated[list[Path], typer.Argument(help="Image files (JPEG, PNG, GIF, WebP…).")],
) -> None:
    """Print one JSON line per file: {"file", "pdq", "quality", "md5", "sha256"}.

    PDQ is 64 hex digits (bits most significant first); its quality is 0-100.

    MD5 and SHA-256 are of the file's bytes.

    A file that cannot be read as an image gets {"file", "error"}, and the command goes on.

    Exit status: 0 if at least one file was hashed, 1 if none could be.

    Standard output holds only the JSON lines; a progress bar (20 files or more) is on stderr.
    """
    import json

    from rich.console import Console
    from rich.progress import Progress

    hashed = 0
    stderr = Console(stderr=True)
    show = len(files) >= PROGRESS_FROM and stderr.is_terminal
    with Progress(console=stderr, transient=True, disable=not show) as progress:
        for path in progress.track(files, description="hashing"):
            line = hash_file(path)
            hashed += "error" not in line
            typer.echo(json.dumps(line, ensure_ascii=False))
    if hashed == 0:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    from tipline.media.bank_commands import bank_app

    media_app.command("hash")(hash_command)
    media_app.add_typer(bank_app, name="bank")
    app.add_typer(media_app, name="media")
