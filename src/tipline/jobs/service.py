"""Where the background work runs: what a server process and `tipline worker` start.

- PostgreSQL: a procrastinate worker in each process (`tipline.jobs.queue`): each period's
  run of a job happens once across all of them.
- SQLite: the jobs' loops inside the one server process (`tipline.jobs.inprocess`).
- `TIPLINE_JOBS_IN_SERVE=false`: server processes run none (`tipline worker` processes do).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import procrastinate
from sqlalchemy.orm import Session, sessionmaker

from tipline.errors import TiplineError
from tipline.jobs import inprocess
from tipline.jobs.core import Job, due_at_start
from tipline.jobs.queue import defer_now, has_schema, is_postgresql, queue_app, worker_options
from tipline.jobs.tasks import JOBS
from tipline.settings import Settings

log = logging.getLogger(__name__)
NO_SCHEMA = "the database lacks the job queue's tables (procrastinate's): run `tipline db upgrade`"


@contextlib.asynccontextmanager
async def background(
    settings: Settings, factory: sessionmaker[Session], jobs: list[Job] | None = None
) -> AsyncIterator[str]:
    """Run the background work while the block runs; yields where: `queue`, `in-process` or
    `none`."""
    jobs = JOBS if jobs is None else jobs
    if not settings.jobs_in_serve:
        yield "none"
    elif not is_postgresql(settings.sqlalchemy_url):
        async with _in_process(jobs, factory, settings):
            yield "in-process"
    else:
        app = queue_app(settings, factory, jobs)
        async with app.open_async():
            if await has_schema(app):
                async with _queue_worker(app, jobs):
                    yield "queue"
                    return
            log.error("%s; the jobs run in this process meanwhile", NO_SCHEMA)
            async with _in_process(jobs, factory, settings):
                yield "in-process"


@contextlib.asynccontextmanager
async def _in_process(
    jobs: list[Job], factory: sessionmaker[Session], settings: Settings
) -> AsyncIterator[None]:
    loops = inprocess.start(jobs, factory, settings)
    try:
        yield
    finally:
        for loop in loops:
            loop.cancel()


@contextlib.asynccontextmanager
async def _queue_worker(app: procrastinate.App, jobs: list[Job]) -> AsyncIterator[None]:
    """A procrastinate worker beside the server, after the jobs due at start are queued."""
    for job in due_at_start(jobs):
        await defer_now(app, job)
    worker = asyncio.create_task(app.run_worker_async(**worker_options()))
    worker.add_done_callback(_report_end)
    try:
        yield
    finally:
        worker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await worker


def _report_end(worker: asyncio.Task[None]) -> None:
    if not worker.cancelled() and (error := worker.exception()) is not None:
        log.error("the job queue's worker stopped: %s", type(error).__name__)


async def work(settings: Settings, factory: sessionmaker[Session], name: str | None = None) -> None:
    """`tipline worker`: the queue's worker alone, until SIGINT or SIGTERM (PostgreSQL)."""
    if not is_postgresql(settings.sqlalchemy_url):
        raise TiplineError(
            "`tipline worker` needs PostgreSQL: on SQLite, `tipline serve` runs the jobs itself"
        )
    app = queue_app(settings, factory, JOBS)
    async with app.open_async():
        if not await has_schema(app):
            raise TiplineError(NO_SCHEMA)
        await app.run_worker_async(**worker_options(name, signals=True))
