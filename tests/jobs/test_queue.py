"""On PostgreSQL, two workers (two server processes, as procrastinate sees them) against one
database run each job once a period: the periodic deferrers of both try to queue every
period's run, and the database takes one. A failing job is retried, then kept as failed with
the error in the log, and the other jobs go on. (PostgreSQL only: SQLite runs the jobs in its
one process, tests/jobs/test_inprocess.py.)"""

from __future__ import annotations

import asyncio
import logging
import os
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import procrastinate
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from tipline.db import make_session_factory
from tipline.jobs.core import Job
from tipline.jobs.queue import queue_app, worker_options
from tipline.jobs.service import background
from tipline.settings import Settings

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("TIPLINE_TEST_DATABASE_URL"),
        reason="the job queue lives in PostgreSQL (SQLite runs the jobs in-process)",
    ),
]
RUNS = "jobs_test_run"
VICTIM = "0912345678"  # in the failing job's error message: never in the log
LIMIT = 20.0  # seconds the workers may take for three periods of each job
ALREADY_DEFERRED = "periodic_task_already_deferred"  # procrastinate's log record
QUEUE_TABLES = (
    "procrastinate_events", "procrastinate_periodic_defers", "procrastinate_jobs",
    "procrastinate_workers",
)  # fmt: skip


@pytest.fixture
def committed(engine: Engine) -> Iterator[sessionmaker[Session]]:
    """Sessions whose commits are real (workers are other connections), on a table where each
    job's run leaves a row; the queue's tables and that table emptied afterwards."""
    with engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE TABLE {RUNS} (job text NOT NULL)")
    try:
        yield make_session_factory(engine)
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql(f"DROP TABLE {RUNS}")
            connection.exec_driver_sql(f"TRUNCATE {', '.join(QUEUE_TABLES)} CASCADE")


def counting(name: str, fails: bool = False) -> Job:
    """A job, every second, whose every run leaves a row in RUNS (then fails if `fails`)."""

    def run(factory: sessionmaker[Session], _settings: Settings) -> None:
        with factory() as session:
            session.execute(text(f"INSERT INTO {RUNS} VALUES (:job)"), {"job": name})
            session.commit()
        if fails:
            raise RuntimeError(f"this job always fails on {VICTIM}")

    return Job(name, run, lambda _settings: 1)


def settings_on(engine: Engine) -> Settings:
    return Settings(database_url=engine.url.render_as_string(hide_password=False))


async def two_workers(apps: list[procrastinate.App], enough: Callable[[], bool]) -> None:
    """Run a worker of each app until `enough()` (at most LIMIT seconds), then stop them as a
    server stops (cancelled)."""
    async with apps[0].open_async(), apps[1].open_async():
        options: dict[str, Any] = {**worker_options(), "delete_jobs": "never"}
        workers = [
            asyncio.create_task(app.run_worker_async(**{**options, "name": f"w{n}"}))
            for n, app in enumerate(apps)
        ]
        for _ in range(int(LIMIT / 0.25)):
            await asyncio.sleep(0.25)
            if await asyncio.to_thread(enough):
                break
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)


def rows(engine: Engine, query: str) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.exec_driver_sql(query))


def die_during_a_run(app: procrastinate.App, engine: Engine, job: str) -> None:
    """A run of `job` left `doing` by a worker killed meanwhile (its row pruned): it holds the
    job's lock."""

    async def defer() -> int:
        async with app.open_async():
            return await app.tasks[job].defer_async(timestamp=0)

    stale = asyncio.run(defer())
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE procrastinate_jobs SET status = 'doing' WHERE id = :id"), {"id": stale}
        )


def test_two_workers_run_each_period_once_and_a_failure_stops_none(
    engine: Engine, committed: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    jobs = [counting("count-a"), counting("count-b"), counting("broken", fails=True)]
    settings = settings_on(engine)
    apps = [queue_app(settings, committed, jobs) for _ in range(2)]
    die_during_a_run(apps[0], engine, "count-a")
    finished = "SELECT task_name, count(*) FROM procrastinate_jobs WHERE status IN " \
        "('succeeded', 'failed') AND args->>'timestamp' != '0' GROUP BY task_name"  # fmt: skip

    def enough() -> bool:  # three periods of each job, whatever the machine's load
        done = dict(rows(engine, finished))
        return all(done.get(job.name, 0) >= 3 for job in jobs)

    with caplog.at_level(logging.DEBUG, logger="procrastinate"):
        asyncio.run(two_workers(apps, enough))

    queued = rows(engine, "SELECT task_name, args->>'timestamp', status "
                          "FROM procrastinate_jobs")  # fmt: skip
    periods = Counter((name, at) for name, at, _ in queued)
    assert max(periods.values(), default=0) == 1  # one run a job and period, whatever tried
    refused = [r for r in caplog.records if getattr(r, "action", "") == ALREADY_DEFERRED]
    assert refused  # the other worker's deferrer tried too: the database took one
    ran = Counter(name for (name,) in rows(engine, f"SELECT job FROM {RUNS}"))
    for name in ("count-a", "count-b"):
        done = [at for job, at, status in queued if job == name and status == "succeeded"]
        assert len(done) >= 3  # three periods at least (`enough`)
        assert ran[name] == len(done)  # each queued run ran, once
    # the dead worker's run was marked failed at once (queue-stalled), freeing count-a's lock
    assert ("count-a", "0", "failed") in queued
    broken = Counter(status for job, _, status in queued if job == "broken")
    assert broken["failed"] >= 3  # each period's run failed, and the next period ran again
    assert set(broken) <= {"failed", "todo"}  # none left `doing` (a todo: queued at the stop)
    assert ran["broken"] == broken["failed"]
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert sum("broken" in e and "status: Error" in e for e in errors) == broken["failed"]
    assert "JobFailed: broken: RuntimeError" in caplog.text  # the tracebacks name the type
    assert VICTIM not in caplog.text  # not the message


def test_a_server_on_postgresql_runs_its_jobs_through_the_queue(
    engine: Engine, committed: sessionmaker[Session]
) -> None:
    settings = settings_on(engine)
    at_start = Job("at-start", counting("at-start").run, lambda _s: 3600, at_start=True)

    async def serving() -> tuple[str, list[Any]]:
        async with background(settings, committed, [at_start]) as where:
            for _ in range(200):  # the run queued at start, taken by this process's worker
                if rows(engine, f"SELECT job FROM {RUNS}"):
                    break
                await asyncio.sleep(0.05)
            workers = rows(engine, "SELECT id FROM procrastinate_workers")
        return where, workers

    where, workers = asyncio.run(serving())
    assert where == "queue"
    assert len(workers) == 1  # this process's worker, registered while serving
    assert rows(engine, f"SELECT job FROM {RUNS}") == [("at-start",)]
    assert rows(engine, "SELECT id FROM procrastinate_workers") == []  # gone when it stopped
    # a success is deleted (the failures stay for a week): the queue does not grow
    assert rows(engine, "SELECT id FROM procrastinate_jobs WHERE status = 'succeeded'") == []
