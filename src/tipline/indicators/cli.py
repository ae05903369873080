"""`tipline extract` (the spec's contract) and `tipline allowlist add|list`."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Annotated, Any, BinaryIO

import typer

from tipline.errors import InvalidInput

allowlist_app = typer.Typer(help="Known-legitimate hosts: the curated list and MISP warninglists.")


def _write_line(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _decode(raw: bytes) -> tuple[str, str | None]:
    """UTF-8 text and, for broken input, a message naming the first bad byte."""
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        message = f"not valid UTF-8 at byte {exc.start}; undecodable bytes read as U+FFFD"
        return raw.decode("utf-8", errors="replace"), message


def _jsonl_line(raw: bytes) -> tuple[dict[str, Any], bool]:
    """The output object for one input line of `--jsonl`, and whether the line was good."""
    from tipline.indicators import extract

    text, problem = _decode(raw)
    if problem:
        return {"id": None, "error": f"line is {problem.split(';')[0]}"}, False
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": f"not valid JSON: {exc.msg} at column {exc.colno}"}, False
    if not isinstance(record, dict):
        return {"id": None, "error": "a line must be a JSON object with 'id' and 'text'"}, False
    ident = record.get("id")
    if not isinstance(record.get("text"), str):
        return {"id": ident, "error": "missing 'text' (a string)"}, False
    found = extract(record["text"])
    return {"id": ident, "indicators": [i.to_json() for i in found]}, True


def run_jsonl(stream: BinaryIO) -> int:
    """One output line per input line, in order; exit status 1 if any line was bad."""
    status = 0
    for number, raw in enumerate(stream, start=1):
        line = raw.rstrip(b"\r\n")
        if not line.strip():
            continue
        obj, good = _jsonl_line(line)
        if not good:
            status = 1
            typer.echo(f"line {number}: {obj['error']}", err=True)
        _write_line(obj)
    return status


def run_text(stream: BinaryIO) -> int:
    """Every indicator of the whole input, one JSON object a line."""
    from tipline.indicators import extract

    text, problem = _decode(stream.read())
    if problem:
        typer.echo(f"warning: standard input is {problem}", err=True)
    for indicator in extract(text):
        _write_line(indicator.to_json())
    return 1 if problem else 0


def extract_command(
    jsonl: Annotated[
        bool, typer.Option("--jsonl", help="Read {id, text} objects, one a line.")
    ] = False,
) -> None:
    """Read text on standard input and write its indicators as JSON lines (spec: indicators.md)."""
    stream = sys.stdin.buffer
    status = run_jsonl(stream) if jsonl else run_text(stream)
    sys.stdout.flush()
    raise typer.Exit(status)


@allowlist_app.command("add")
def allowlist_add(
    file: Annotated[Path, typer.Argument(help="A list in MISP's warninglist JSON format.")],
) -> None:
    """Check a MISP warninglist and install it in the data folder's allowlists."""
    from tipline.indicators.allowlist import read_misp_file
    from tipline.settings import get_settings

    try:
        parsed = read_misp_file(file)
    except InvalidInput as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(2) from exc
    target_dir = get_settings().allowlist_dir
    target_dir.mkdir(parents=True, exist_ok=True)
    target = (
        target_dir / f"{file.parent.name}-{file.name}"
        if file.name == "list.json"
        else target_dir / file.name
    )
    shutil.copyfile(file, target)
    counts = (
        f"{len(parsed.exact) + len(parsed.with_subdomains)} hosts, "
        f"{len(parsed.shortener_hosts)} shortener hosts, {len(parsed.networks)} networks"
    )
    typer.echo(f"installed {target} ({counts})")


@allowlist_app.command("list")
def allowlist_list() -> None:
    """Show the operator's installed warninglists."""
    from tipline.settings import get_settings

    folder = get_settings().allowlist_dir
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not files:
        typer.echo(f"no operator lists in {folder} (the curated list is always loaded)")
    for path in files:
        typer.echo(str(path))


def register(app: typer.Typer) -> None:
    app.command("extract")(extract_command)
    app.add_typer(allowlist_app, name="allowlist")
