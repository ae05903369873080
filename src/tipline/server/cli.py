"""`tipline serve` and `tipline db upgrade`."""

from __future__ import annotations

from typing import Annotated

import typer

db_app = typer.Typer(help="The database: migrations.", no_args_is_help=True)


def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    demo: Annotated[
        bool, typer.Option(help="Load the demo data set if there is no report.")
    ] = False,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Server processes (one a core at most).")
    ] = 1,
) -> None:
    """Start the web server (pages and API); a new database gets its tables first."""
    import uvicorn

    from tipline.app import create_app
    from tipline.demo.cli import load_with_progress
    from tipline.reports.repository import count_reports
    from tipline.server.console import open_database, user_errors
    from tipline.settings import get_settings

    settings = get_settings()
    with user_errors():
        factory = open_database(settings)
        if demo:
            with factory() as session:
                if count_reports(session) == 0:
                    load_with_progress(session, settings)
    bind_host, bind_port = host or settings.host, port or settings.port
    typer.echo(f"tipline on http://{bind_host}:{bind_port}/ (API docs: /api/v1/docs)")
    # No access log: a follow URL may carry a report's secret, a check URL what a victim typed.
    if workers > 1:
        # Each worker process builds its own app from the same environment.
        uvicorn.run(
            "tipline.app:app_from_environment",
            factory=True,
            workers=workers,
            host=bind_host,
            port=bind_port,
            access_log=False,
            log_level="warning",
        )
        return
    app = create_app(settings=settings, session_factory=factory, serving=True)
    uvicorn.run(app, host=bind_host, port=bind_port, access_log=False, log_level="warning")


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Apply the migrations to the configured database (SQLite under TIPLINE_DATA_DIR or
    TIPLINE_DATABASE_URL)."""
    from tipline.db import make_engine
    from tipline.server.migrate import upgrade
    from tipline.settings import get_settings

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.sqlalchemy_url)
    upgrade(engine, revision)
    typer.echo(f"database at {revision} ({engine.dialect.name})")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.add_typer(db_app, name="db")
