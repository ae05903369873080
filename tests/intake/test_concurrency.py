"""The same bulk batch sent at once by several threads: one report a row, no error, one code."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from tipline.access import Principal, Role, get_principal
from tipline.app import create_app
from tipline.campaigns.models import Campaign, CampaignHub
from tipline.db import make_engine, make_session_factory
from tipline.indicators.models import IndicatorRecord, ReportIndicator
from tipline.reports.models import Report
from tipline.server.migrate import upgrade
from tipline.settings import Settings

SENDERS = 4
ROWS = 40


@pytest.fixture
def committed(engine: Engine, tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    """Sessions whose writes are committed: on SQLite a fresh file configured as `serve` does
    (transactions begin at the first write); on PostgreSQL the test database, emptied after."""
    if engine.dialect.name == "sqlite":
        fresh = make_engine(f"sqlite:///{tmp_path / 'concurrent.db'}")
        upgrade(fresh)
        yield make_session_factory(fresh)
        fresh.dispose()
        return
    try:
        yield make_session_factory(engine)
    finally:
        with engine.begin() as connection:
            linked = select(ReportIndicator.indicator_id)
            connection.execute(delete(CampaignHub))
            connection.execute(delete(Campaign))
            connection.execute(delete(IndicatorRecord).where(IndicatorRecord.id.in_(linked)))
            connection.execute(delete(Report))


def test_identical_batches_at_once_store_each_row_once(
    committed: sessionmaker[Session], settings: Settings
) -> None:
    app = create_app(settings=settings, session_factory=committed)
    principal = Principal(1, "shop", Role.PLATFORM, "token", 7)
    app.dependency_overrides[get_principal] = lambda: principal
    batch = {
        "reports": [
            {"external_id": f"r-{n}", "narrative": f"Lừa đảo qua số 0912 000 {n:03d}, lần {n}."}
            for n in range(ROWS)
        ]
    }
    start = threading.Barrier(SENDERS)
    answers: list[Any] = []

    def send() -> None:
        with TestClient(app, raise_server_exceptions=False) as client:
            start.wait()
            answer = client.post("/api/v1/reports/bulk", json=batch)
            answers.append((answer.status_code, answer.json()))

    threads = [threading.Thread(target=send) for _ in range(SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _ in answers] == [200] * SENDERS
    assert sum(body["created"] for _, body in answers) == ROWS
    codes = {tuple(r["code"] for r in body["results"]) for _, body in answers}
    assert len(codes) == 1
    with committed() as session:
        stored = session.execute(
            select(Report.external_id, Report.code).where(Report.source == "token:7")
        )
        expected = {f"r-{n}": code for n, code in enumerate(codes.pop())}
        assert {key: code for key, code in stored} == expected
