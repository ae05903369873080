"""The jobs on procrastinate, a job queue that lives in PostgreSQL (PostgreSQL only).

Every server process (and every `tipline worker`) runs a procrastinate worker. Each worker
also runs procrastinate's periodic deferrer, which inserts each job's run of a period into
`procrastinate_periodic_defers`: a unique (task, period's timestamp) row, so however many
workers try, the database takes one run a period. Each job's task also carries:

- `lock` = its name: two runs of one job never overlap (a slow feed refresh holds the next);
- `queueing_lock` = its name: at most one run waits in the queue (a stopped queue does not
  pile up a run per period).

Finished runs are deleted when they succeeded; failed ones stay (with their error in the
worker's log) for a week, then the daily `queue-cleanup` removes them. A run left `doing` by a
worker that died is marked failed by `queue-stalled` each minute (it would hold its job's lock).

The queue's tables are made by migration 0033 (`schema_sql`), never at run time.
"""

from __future__ import annotations

import logging
import os
from importlib.metadata import version
from typing import Any

import procrastinate
from procrastinate.job_context import JobContext
from procrastinate.jobs import Status
from procrastinate.schema import SchemaManager
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from tipline.jobs.core import Job, cron_for, scheduled
from tipline.settings import Settings

log = logging.getLogger(__name__)
QUEUE = "tipline"
CONCURRENCY = 4  # runs at once in one worker (threads: the jobs are synchronous)
STOP_SECONDS = 10.0  # a stopping worker waits this long for its running jobs
FAILED_KEPT_HOURS = 7 * 24
CLEANUP = "queue-cleanup"
STALLED = "queue-stalled"


def schema_sql() -> str:
    """The SQL that makes procrastinate's tables, types and functions, for the version
    installed, ready for a DB-API `execute` with parameters (`%` doubled)."""
    return SchemaManager.get_schema().replace("%", "%%")


def procrastinate_version() -> str:
    return version("procrastinate")


def conninfo(sqlalchemy_url: str) -> str:
    """libpq's URI for SQLAlchemy's `postgresql+psycopg://…` URL."""
    url = make_url(sqlalchemy_url)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def is_postgresql(sqlalchemy_url: str) -> bool:
    return make_url(sqlalchemy_url).get_backend_name() == "postgresql"


class JobFailed(Exception):
    """A job's run failed; says which job and the error's type only."""


def _task_body(job: Job, factory: sessionmaker[Session], settings: Settings) -> Any:
    def run(timestamp: int | None = None) -> str:
        # procrastinate logs a run's result, and a failure with its traceback: only types go
        # there, as an error's message may carry a query's parameters (a victim's number).
        try:
            done = job.run(factory, settings)
        except Exception as exc:
            raise JobFailed(f"{job.name}: {type(exc).__name__}") from None
        return type(done).__name__

    run.__name__ = run.__qualname__ = job.name.replace("-", "_")
    return run


def queue_app(
    settings: Settings, factory: sessionmaker[Session], jobs: list[Job]
) -> procrastinate.App:
    """A procrastinate app with one task a job, each scheduled job periodic, and the daily
    cleanup of old runs; its connections are its own (a small pool), on the same database."""
    connector = procrastinate.PsycopgConnector(
        conninfo=conninfo(settings.sqlalchemy_url), min_size=1, max_size=CONCURRENCY + 2
    )
    app = procrastinate.App(connector=connector)
    for job in jobs:
        task = app.task(name=job.name, queue=QUEUE, lock=job.name, queueing_lock=job.name)(
            _task_body(job, factory, settings)
        )
        if job in scheduled(jobs):
            seconds = job.seconds(settings)
            assert seconds is not None
            app.periodic(cron=cron_for(seconds), periodic_id=job.name)(task)
    upkeep = [(CLEANUP, "0 4 * * *", _remove_old_runs), (STALLED, "* * * * *", _fail_stalled)]
    for name, cron, body in upkeep:
        own = app.task(name=name, queue=QUEUE, queueing_lock=name, pass_context=True)(body)
        app.periodic(cron=cron, periodic_id=name)(own)
    return app


async def _remove_old_runs(context: JobContext, timestamp: int | None = None) -> None:
    await context.app.job_manager.delete_old_jobs(
        nb_hours=FAILED_KEPT_HOURS, include_failed=True, include_aborted=True
    )


async def _fail_stalled(context: JobContext, timestamp: int | None = None) -> int:
    """Runs left `doing` by a worker that died (a SIGKILLed server) hold their job's lock, so
    that job would never run again: each is marked failed (logged), which frees the lock."""
    manager = context.app.job_manager
    stalled = list(await manager.get_stalled_jobs(queue=QUEUE))
    for run in stalled:
        log.error("job %s: its worker stopped during the run; marked failed", run.task_name)
        await manager.finish_job(run, status=Status.FAILED, delete_job=False)
    return len(stalled)


def worker_options(name: str | None = None, signals: bool = False) -> dict[str, Any]:
    """How a tipline process runs its worker: every queue, jobs' successes deleted."""
    return {
        "name": name or f"tipline-{os.getpid()}",
        "concurrency": CONCURRENCY,
        "delete_jobs": "successful",
        "shutdown_graceful_timeout": STOP_SECONDS,
        "install_signal_handlers": signals,
    }


async def defer_now(app: procrastinate.App, job: Job) -> bool:
    """Queue one run of `job` now; False when a run of it already waits."""
    try:
        await app.tasks[job.name].defer_async()
    except procrastinate.exceptions.AlreadyEnqueued:
        return False
    return True


async def has_schema(app: procrastinate.App) -> bool:
    """True when the database holds procrastinate's tables (migration 0033 ran)."""
    found = await app.connector.execute_query_one_async(
        "SELECT to_regclass('procrastinate_jobs') IS NOT NULL AS here"
    )
    return bool(found["here"])
