"""`tipline worker`: the job queue's worker alone; `tipline jobs list|run`: the background work."""

from __future__ import annotations

from typing import Annotated

import typer

jobs_app = typer.Typer(help="Background work: what runs, how often; one job now.")


def worker(
    name: Annotated[
        str | None, typer.Option(help="The worker's name in the queue's tables.")
    ] = None,
) -> None:
    """Run the job queue's worker (PostgreSQL) until SIGINT or SIGTERM: the background work of
    every period, once across all workers and servers (with TIPLINE_JOBS_IN_SERVE=false, only
    such workers do it)."""
    import asyncio

    from tipline.jobs.service import work
    from tipline.server.console import open_database, user_errors
    from tipline.settings import get_settings

    settings = get_settings()
    with user_errors():
        factory = open_database(settings)
        asyncio.run(work(settings, factory, name))


def list_jobs() -> None:
    """Each job, how often it runs and its schedule on the queue."""
    from tipline.jobs.core import cron_for
    from tipline.jobs.tasks import JOBS
    from tipline.settings import get_settings

    settings = get_settings()
    for job in JOBS:
        seconds = job.seconds(settings)
        when = f"every {seconds} s (cron {cron_for(seconds)})" if seconds else "on demand"
        typer.echo(f"{job.name:<22} {when}{', and at start' if job.at_start else ''}")


def run_job(
    name: Annotated[str, typer.Argument(help="A job's name (`tipline jobs list`).")],
) -> None:
    """Run one job now, in this process."""
    from tipline.jobs.tasks import job_named
    from tipline.server.console import open_database, user_errors
    from tipline.settings import get_settings

    try:
        job = job_named(name)
    except KeyError as exc:
        typer.echo(f"error: {exc.args[0]}", err=True)
        raise typer.Exit(2) from exc
    settings = get_settings()
    with user_errors():
        done = job.run(open_database(settings), settings)
    typer.echo(f"{name}: done ({type(done).__name__})")


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)
    jobs_app.command("list")(list_jobs)
    jobs_app.command("run")(run_job)
    app.add_typer(jobs_app, name="jobs")
