"""`tipline check VALUE` and `tipline import-feed FILE --source NAME --category CAT`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from tipline.indicators.schemas import CheckResult

VERDICT_STYLE = {
    "confirmed": "bold red",
    "reported": "yellow",
    "allowlisted": "green",
    "not_reported": "cyan",
}


def _state(result: CheckResult) -> str:
    """Confirmed first; a page a feed lists is reported even on a legitimate host (an app-store
    page); else a known legitimate value is not painted as reported by the reports naming it."""
    if result.confirmed:
        return "confirmed"
    if result.allowlisted and not result.sources:
        return "allowlisted"
    return result.verdict


def _table(result: CheckResult) -> object:
    from rich.table import Table

    state = _state(result)
    table = Table(title=f"check: {result.input}", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    verdict = f"[{VERDICT_STYLE[state]}]{result.verdict}[/]"
    table.add_row(
        "verdict",
        verdict
        + (" (not reported does not mean safe)" if result.verdict == "not_reported" else ""),
    )
    table.add_row("kind", result.kind)
    table.add_row("value", result.value)
    table.add_row("confirmed", "yes" if result.confirmed else "no")
    host = "on a known legitimate host" if result.kind == "url" else "known legitimate"
    table.add_row("allowlisted", f"yes ({host})" if result.allowlisted else "no")
    table.add_row("reports", str(result.report_count))
    categories = sorted(result.categories.items(), key=lambda item: (-item[1], item[0]))
    table.add_row("categories", ", ".join(f"{name}: {n}" for name, n in categories) or "-")
    table.add_row("sources", ", ".join(result.sources) or "-")
    table.add_row("first seen", result.first_seen.isoformat() if result.first_seen else "-")
    table.add_row("last seen", result.last_seen.isoformat() if result.last_seen else "-")
    return table


def check(value: Annotated[str, typer.Argument(help="A phone, account, link, wallet…")]) -> None:
    """Has anyone reported this value? Reads it the way extraction does."""
    from rich.console import Console

    from tipline.indicators.service import check_value
    from tipline.server.console import open_database, user_errors
    from tipline.settings import get_settings

    with user_errors():
        factory = open_database(get_settings())
        with factory() as session:
            result = check_value(session, value)
    Console().print(_table(result))


def import_feed(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    source: Annotated[str, typer.Option(help="The feed's name, shown by every check.")],
    category: Annotated[str, typer.Option(help="Triage category of its entries.")] = (
        "fraud.phishing"
    ),
) -> None:
    """Load a blocklist (one domain, URL or IP a line, '#' comments) attributed to SOURCE.
    Importing it again adds nothing; a page on a legitimate host reports the page, not the host."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from tipline.indicators.service import import_feed as load_feed
    from tipline.server.console import open_database, user_errors
    from tipline.settings import get_settings

    console = Console()
    raw = file.read_bytes()
    columns = (*Progress.get_default_columns()[:1], BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn())  # fmt: skip
    with user_errors():
        factory = open_database(get_settings())
        with factory() as session, Progress(*columns, console=console) as progress:
            task = progress.add_task(file.name, total=len(raw.splitlines()))
            summary = load_feed(
                session, raw, source, category, progress=lambda n: progress.advance(task, n)
            )
    console.print(f"{source}: {summary.lines} entries read, {len(summary.skipped)} skipped")
    for line, reason in summary.skipped[:50]:
        console.print(f"  line {line}: {reason}", highlight=False, markup=False, soft_wrap=True)
    if len(summary.skipped) > 50:
        console.print(f"  … and {len(summary.skipped) - 50} more")


def register(app: typer.Typer) -> None:
    app.command("check")(check)
    app.command("import-feed")(import_feed)
