"""`tipline demo`: load the demo data set (generated reports, the ChongLuaDao feed)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tipline.demo.service import DemoLoad
    from tipline.settings import Settings


def load_with_progress(
    session: Session, settings: Settings, count: int | None = None, seed: int | None = None
) -> DemoLoad:
    """Load the demo data set with a progress bar, and say what was loaded."""
    import os

    from rich.console import Console
    from rich.progress import Progress

    from tipline.demo.alerts import load_alerts_demo
    from tipline.demo.service import DEMO_COUNT, DEMO_SEED, feed_paths, load_demo, shared_dir
    from tipline.demo.sharing import load_sharing_demo

    total = count or DEMO_COUNT
    shared = shared_dir(settings.shared_dir)
    feed_lines = sum(path.read_bytes().count(b"\n") for path in feed_paths(shared))
    workers = 2 if (os.cpu_count() or 1) > 1 and total >= 2000 else 0
    with Progress(transient=True) as progress:
        reports_task = progress.add_task("demo reports", total=total)
        feed_task = progress.add_task("ChongLuaDao feed", total=feed_lines, visible=feed_lines > 0)
        loaded = load_demo(
            session,
            shared,
            total,
            seed or DEMO_SEED,
            workers,
            progress=lambda n: progress.advance(reports_task, n),
            feed_progress=lambda n: progress.advance(feed_task, n),
        )
    console = Console()
    summary = loaded.reports
    console.print(
        f"demo: {summary.imported} reports loaded (source 'demo'), "
        f"{summary.already_stored} already there"
    )
    for name, feed in loaded.feeds.items():
        console.print(f"feed ChongLuaDao {name}: {feed.lines} lines, {len(feed.skipped)} skipped")
    if not loaded.feeds:
        console.print("ChongLuaDao feed not found (set TIPLINE_SHARED_DIR): skipped")
    loaded.sharing = load_sharing_demo(session, settings)
    if loaded.sharing.confirmed:
        console.print(
            f"sharing: {loaded.sharing.confirmed} confirmations by the demo analyst, "
            f"{loaded.sharing.marked} indicators marked TLP:CLEAR or GREEN, "
            f"{loaded.sharing.published} STIX objects published"
        )
    loaded.alerts = load_alerts_demo(session)
    if loaded.alerts:
        console.print(
            f"alerts: {loaded.alerts} drafted by the demo analyst, published by its supervisor"
        )
    return loaded


def demo(
    count: Annotated[int, typer.Option(min=1, max=1_000_000, help="Reports to generate.")] = 3000,
    seed: Annotated[int, typer.Option(help="Generator seed (same seed, same reports).")] = 0,
) -> None:
    """Load a demo data set of generated, fictional reports (source 'demo') and the ChongLuaDao
    feed when ../shared/data is there. Running it again adds nothing."""
    from tipline.server.console import open_database, user_errors
    from tipline.settings import get_settings

    settings = get_settings()
    with user_errors():
        factory = open_database(settings)
        try:
            with factory() as session:
                loaded = load_with_progress(session, settings, count, seed or None)
        except KeyboardInterrupt:
            typer.echo("demo load interrupted: whole batches are stored; run it again to finish")
            raise typer.Exit(130) from None
    for username, role, password in loaded.accounts:
        typer.echo(f"demo sign-in ({role}): {username} / {password}  at /login")
    for partner, username, password, token in loaded.sharing.partners if loaded.sharing else ():
        typer.echo(f"demo partner ({partner}): {username} / {password}  at /taxii2/")
        if token is not None:
            typer.echo(f"demo partner ({partner}) TAXII token: {token}")


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
