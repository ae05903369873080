"""A streaming replica (scripts/start-replica.sh) serves the checks: a report written on the
primary is checkable on the replica within a second, and an app with `replica_url` reads its
checks there while it files reports on the primary.

PostgreSQL run only: it copies the test cluster with pg_basebackup (a few seconds) and starts a
hot standby on a free loopback port, stopped at the end."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker
from tests.conftest import POSTGRES_URL, REPO
from tests.server.databases import migrated_database

from tipline.app import create_app
from tipline.db import make_engine, make_session_factory
from tipline.indicators.service import check_value
from tipline.intake.service import submit_report
from tipline.reports.schemas import ReportCreate
from tipline.settings import Settings

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not POSTGRES_URL, reason="a streaming replica needs PostgreSQL"),
]
WAIT_SECONDS = 5.0  # how long a test waits for the replica before it fails


@pytest.fixture(scope="module")
def primary_url() -> Iterator[str]:
    yield from migrated_database("replica")


@pytest.fixture(scope="module")
def replica_url(primary_url: str) -> Iterator[str]:
    """A hot standby of the test cluster, streaming from it; stopped and removed at the end."""
    started = subprocess.run(
        ["bash", str(REPO / "scripts" / "start-replica.sh"), primary_url],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    if started.returncode != 0:
        pytest.fail(f"the replica did not start: {started.stderr[-2000:]}")
    url, folder = started.stdout.split()
    try:
        yield url
    finally:
        stop = REPO / "scripts" / "stop-replica.sh"
        subprocess.run(["bash", str(stop), folder], timeout=60, check=False)


def sessions(url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def primary(primary_url: str) -> Iterator[sessionmaker[Session]]:
    yield from sessions(primary_url)


@pytest.fixture
def replica(replica_url: str) -> Iterator[sessionmaker[Session]]:
    yield from sessions(replica_url)


def file_report(factory: sessionmaker[Session], phone: str) -> str:
    with factory() as session:
        return submit_report(session, ReportCreate(narrative=f"Lừa đảo gọi từ {phone}"), "api").code


def verdict(factory: sessionmaker[Session], phone: str) -> str:
    with factory() as session:
        return check_value(session, phone).verdict


def seconds_until_reported(factory: sessionmaker[Session], phone: str) -> float:
    """How long after now the replica answers `phone` as reported (WAIT_SECONDS at most)."""
    began = time.monotonic()
    while verdict(factory, phone) == "not_reported":
        if time.monotonic() - began > WAIT_SECONDS:
            break
        time.sleep(0.005)
    return time.monotonic() - began


# One test, not two: under xdist each would start a replica of its own.
def test_the_replica_answers_within_a_second_and_an_app_checks_there(
    primary_url: str,
    replica_url: str,
    primary: sessionmaker[Session],
    replica: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    with replica() as session:
        assert session.scalar(text("SELECT pg_is_in_recovery()")) is True
    lags = lags_of_reports(primary, replica)
    print(f"replica lag, commit to checkable (s): {[round(lag, 4) for lag in lags]}")  # noqa: T201
    assert max(lags) < 1.0

    settings = Settings(data_dir=tmp_path, database_url=primary_url, replica_url=replica_url)
    app = create_app(settings=settings)
    try:
        checks_the_replica(app, replica)
    finally:
        for factory in (app.state.session_factory, app.state.read_session_factory):
            factory.kw["bind"].dispose()


def lags_of_reports(primary: sessionmaker[Session], replica: sessionmaker[Session]) -> list[float]:
    """Seconds from each of five reports' commit on the primary until the replica's check
    answers it `reported`."""
    lags = []
    for n in range(5):
        phone = f"0987 55{n} 123"
        assert verdict(replica, phone) == "not_reported"
        file_report(primary, phone)  # committed on the primary when this returns
        lags.append(seconds_until_reported(replica, phone))
    return lags


def checks_the_replica(app: FastAPI, replica: sessionmaker[Session]) -> None:
    """With the replica's replay paused, a report filed through `app` is on the primary and
    not in `app`'s checks; once replay resumes, it is."""
    phone = "0912 777 001"
    with replica() as session, TestClient(app) as client:
        session.execute(text("SELECT pg_wal_replay_pause()"))
        try:
            filed = client.post("/api/v1/reports", json={"narrative": f"Gọi từ {phone}"})
            assert filed.status_code == 201  # written on the primary
            # The primary has it; the paused replica, which the app's checks read, not yet.
            assert verdict(app.state.session_factory, phone) == "reported"
            assert client.get("/api/v1/check", params={"value": phone}).json()["verdict"] == (
                "not_reported"
            )
        finally:
            session.execute(text("SELECT pg_wal_replay_resume()"))
        waited = seconds_until_reported(app.state.read_session_factory, phone)
        assert waited < WAIT_SECONDS
        assert client.get("/api/v1/check", params={"value": phone}).json()["verdict"] == "reported"
