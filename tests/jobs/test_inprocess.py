"""On SQLite the jobs run in the server's process: each job every period, a failing one logged
and the others going on; `background` picks this runner there."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tipline.jobs import inprocess
from tipline.jobs.core import Job, every
from tipline.jobs.service import background
from tipline.settings import Settings


class Runs:
    """Which jobs ran, how often (the jobs run in threads)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.lock = threading.Lock()

    def job(self, name: str, at_start: bool = False, fails: bool = False) -> Job:
        def run(_factory: sessionmaker[Session], _settings: Settings) -> None:
            with self.lock:
                self.counts[name] += 1
            if fails:
                raise RuntimeError("this job always fails")

        return Job(name, run, every(1), at_start=at_start)


def serve_periods(periods: int, jobs: list[Job], monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Run the jobs' loops for `periods` periods of each, on a clock of our own: each loop's
    sleep returns at once, and the one after the last period stops it."""
    real_sleep = asyncio.sleep
    slept: Counter[asyncio.Task[object] | None] = Counter()
    asked: list[float] = []

    async def period(seconds: float) -> None:
        asked.append(seconds)
        slept[asyncio.current_task()] += 1
        if slept[asyncio.current_task()] > periods:
            raise asyncio.CancelledError
        await real_sleep(0)

    async def serving() -> None:
        loops = inprocess.start(jobs, sessionmaker(), Settings())
        await asyncio.gather(*loops, return_exceptions=True)

    monkeypatch.setattr(inprocess.asyncio, "sleep", period)
    asyncio.run(serving())
    return asked


def test_each_job_runs_every_period_and_a_failure_stops_none(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = Runs()
    jobs = [runs.job("a"), runs.job("broken", fails=True), runs.job("b", at_start=True)]
    with caplog.at_level(logging.ERROR, logger="tipline.jobs.inprocess"):
        asked = serve_periods(3, jobs, monkeypatch)
    # three periods each; "b" also once at start; "broken" failed every time, the rest ran
    assert runs.counts == {"a": 3, "broken": 3, "b": 4}
    assert set(asked) == {1}  # each job's own period, in seconds
    failures = [r.getMessage() for r in caplog.records]
    assert failures == ["background job broken failed: RuntimeError"] * 3


def test_on_demand_jobs_do_not_run_by_themselves(monkeypatch: pytest.MonkeyPatch) -> None:
    runs = Runs()
    on_demand = Job("retrain", runs.job("retrain").run, None)
    assert serve_periods(3, [on_demand], monkeypatch) == []
    assert runs.counts == {}


def test_on_sqlite_the_background_work_runs_in_the_process(tmp_path: Path) -> None:
    runs = Runs()
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'db'}")

    async def serving() -> str:
        async with background(settings, sessionmaker(), [runs.job("a", at_start=True)]) as where:
            for _ in range(200):  # the run at start, in a thread
                if runs.counts:
                    break
                await asyncio.sleep(0.05)
            return where

    assert asyncio.run(serving()) == "in-process"
    assert runs.counts == {"a": 1}


def test_servers_may_leave_the_background_work_to_workers(tmp_path: Path) -> None:
    runs = Runs()
    settings = Settings(data_dir=tmp_path, jobs_in_serve=False)

    async def serving() -> str:
        async with background(settings, sessionmaker(), [runs.job("a", at_start=True)]) as where:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.sleep(1), 0.2)
            return where

    assert asyncio.run(serving()) == "none"
    assert runs.counts == {}
