"""The jobs run inside the server's own process: on SQLite, where one process serves (SQLite
has one writer anyway), and where the queue's tables are missing. One asyncio task a job: it
sleeps a period, runs the job in a thread (off the request path), logs a failure and goes on;
a failure never stops the other jobs."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from tipline.jobs.core import Job, scheduled
from tipline.settings import Settings

log = logging.getLogger(__name__)


async def run_once(job: Job, factory: sessionmaker[Session], settings: Settings) -> bool:
    """One run of `job` in a thread; False (and the error's type in the log) if it failed."""
    try:
        await run_in_threadpool(job.run, factory, settings)
    except Exception as exc:  # keep serving; the next period tries again
        log.error("background job %s failed: %s", job.name, type(exc).__name__)
        return False
    return True


async def _repeat(job: Job, factory: sessionmaker[Session], settings: Settings) -> None:
    seconds = job.seconds(settings)
    assert seconds is not None
    if job.at_start:
        await run_once(job, factory, settings)
    while True:
        await asyncio.sleep(seconds)
        await run_once(job, factory, settings)


def start(
    jobs: list[Job], factory: sessionmaker[Session], settings: Settings
) -> list[asyncio.Task[None]]:
    """The scheduled jobs' loops, started on the running event loop (cancel them to stop)."""
    return [asyncio.create_task(_repeat(job, factory, settings)) for job in scheduled(jobs)]
