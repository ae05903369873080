"""`tipline triage [--jsonl]` (the spec's contract) and `tipline triage train`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO

import typer

if TYPE_CHECKING:
    from tipline.triage.store import ModelInfo
    from tipline.triage.training import Example

triage_app = typer.Typer(
    help="Category, urgency, language and reasons of reports (spec: triage.md).",
    invoke_without_command=True,
)


def _answer(raw: bytes) -> tuple[dict[str, Any], bool]:
    """The output object for one `--jsonl` input line, and whether the line was good."""
    from tipline.triage import triage
    from tipline.triage.contract import BadLine, read_line

    try:
        request = read_line(raw)
    except BadLine as exc:
        return {"id": exc.ident, "error": exc.message}, False
    try:
        verdict = triage(
            request.text,
            victim_age=request.victim_age,
            loss_amount=request.loss_amount,
            loss_currency=request.loss_currency,
        )
    except Exception as exc:  # noqa: BLE001 - one report must not stop the run
        return {"id": request.ident, "error": f"could not triage: {type(exc).__name__}"}, False
    return verdict.to_json(request.ident), True


def run_jsonl(stream: BinaryIO, out: BinaryIO) -> int:
    """One output line per non-blank input line, in order; 1 if any line was bad."""
    from tipline.triage.contract import json_line

    status = 0
    for number, raw in enumerate(stream, start=1):
        line = raw.rstrip(b"\r\n")
        if not line.strip():
            continue
        answer, good = _answer(line)
        if not good:
            status = 1
            typer.echo(f"line {number}: {answer['error']}", err=True)
        out.write(json_line(answer))
    return status


def run_text(stream: BinaryIO, out: BinaryIO) -> int:
    """The whole input as one report; 1 if it was not valid UTF-8 or empty."""
    from tipline.triage import triage
    from tipline.triage.contract import json_line

    raw = stream.read()
    text = raw.decode("utf-8", errors="replace").replace("\x00", " ")
    status = 0
    if "\ufffd" in text and b"\xef\xbf\xbd" not in raw:
        typer.echo("warning: standard input is not valid UTF-8", err=True)
        status = 1
    if not text.strip():
        typer.echo("error: no report on standard input", err=True)
        return 1
    answer = triage(text).to_json()
    del answer["id"]
    out.write(json_line(answer))
    return status


@triage_app.callback(invoke_without_command=True)
def triage_command(
    ctx: typer.Context,
    jsonl: Annotated[
        bool,
        typer.Option("--jsonl", help="Read {id, text, victim_age?, loss_amount?} objects."),
    ] = False,
) -> None:
    """Triage reports read on standard input and write JSON lines (spec: triage.md)."""
    if ctx.invoked_subcommand is not None:
        return
    out = sys.stdout.buffer
    status = run_jsonl(sys.stdin.buffer, out) if jsonl else run_text(sys.stdin.buffer, out)
    out.flush()
    raise typer.Exit(status)


def _database_corrections() -> list[Example]:
    """The analysts' corrections in the configured database, if it has them."""
    from tipline.db import make_engine, make_session_factory
    from tipline.settings import get_settings
    from tipline.triage.service import corrections_as_examples, has_corrections_table

    settings = get_settings()
    if settings.database_url is None and not (settings.data_dir / "tipline.db").exists():
        return []
    engine = make_engine(settings.sqlalchemy_url)
    try:
        if not has_corrections_table(engine):
            typer.echo("note: the database has no triage_correction table yet", err=True)
            return []
        with make_session_factory(engine)() as session:
            examples = corrections_as_examples(session)
        typer.echo(f"{len(examples)} corrected reports read from the database", err=True)
        return examples
    finally:
        engine.dispose()


def _print_metrics(info: ModelInfo, model_path: Path) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    metrics = info.metrics
    table = Table(title=f"held-out metrics ({metrics.get('examples', 0)} reports)")
    for column in ("category", "precision", "recall", "F1", "n"):
        table.add_column(column, justify="left" if column == "category" else "right")
    for category, scores in metrics.get("per_category", {}).items():
        table.add_row(
            category,
            f"{scores['precision']:.3f}",
            f"{scores['recall']:.3f}",
            f"{scores['f1']:.3f}",
            str(scores["support"]),
        )
    console.print(table)
    console.print(
        f"macro-F1 {metrics.get('macro_f1', 0.0):.3f} · "
        f"critical recall {metrics.get('critical_recall', 0.0):.3f} · "
        f"urgency accuracy {metrics.get('urgency_accuracy', 0.0):.3f}"
    )
    console.print(
        f"model v{info.version} saved to {model_path} "
        f"({info.examples} examples, {info.corrections} corrections)"
    )


@triage_app.command("train")
def train_command(
    corrections_jsonl: Annotated[
        Path | None,
        typer.Option("--corrections-jsonl", help='Corrections as {"text","category","urgency"}.'),
    ] = None,
    database: Annotated[
        bool, typer.Option("--database/--no-database", help="Read corrections from the DB.")
    ] = True,
) -> None:
    """Retrain on the corpus plus analysts' corrections; save a new model version."""
    from tipline.triage.service import retrain
    from tipline.triage.store import model_dir
    from tipline.triage.training import read_examples

    corrections: list[Example] = []
    if corrections_jsonl is not None:
        try:
            corrections.extend(read_examples(corrections_jsonl))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            message = exc.args[0] if isinstance(exc, KeyError) else exc
            typer.echo(f"error: {corrections_jsonl}: {message}", err=True)
            raise typer.Exit(2) from exc
    if database:
        corrections.extend(_database_corrections())
    folder = model_dir()
    info = retrain(folder, corrections)
    _print_metrics(info, folder / f"triage-v{info.version:04d}.joblib")


def register(app: typer.Typer) -> None:
    app.add_typer(triage_app, name="triage")
