"""Eight analysts at once on a committed database (a SQLite file, or PostgreSQL): every view
answers 2xx and the audit chain, which each view appends to, stays one intact chain."""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from tipline.access import Principal, Role, get_principal
from tipline.app import create_app
from tipline.audit.service import verify_log
from tipline.db import make_engine, make_session_factory
from tipline.reports.models import Report
from tipline.server.migrate import upgrade
from tipline.settings import Settings

POSTGRES_URL = os.environ.get("TIPLINE_TEST_DATABASE_URL")
CLIENTS = 8
SECONDS = 3.0
EVIDENCE = ("chat.txt", "[12/03/2026 09:14] chuyển 15.000.000đ vào STK 0123456789".encode())


@pytest.fixture
def committed_url(tmp_path: Path) -> Iterator[str]:
    """A database of its own, migrated, whose commits are real (no test transaction around)."""
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path / 'concurrent.db'}"
        return
    url = make_url(POSTGRES_URL)
    name = f"{url.database}_concurrent_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def factory(committed_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(committed_url)
    upgrade(engine)
    yield make_session_factory(engine)
    engine.dispose()


def analysts_app(settings: Settings, factory: sessionmaker[Session]) -> FastAPI:
    app = create_app(settings=settings, session_factory=factory)
    principal = Principal(user_id=1, username="lan", role=Role("supervisor"), via="session")
    app.dependency_overrides[get_principal] = lambda: principal
    return app


def seed(client: TestClient, factory: sessionmaker[Session]) -> list[str]:
    """A report with a case and a piece of evidence; the paths the analysts will view."""
    submitted = client.post("/api/v1/reports", json={"narrative": "Lừa đảo qua số 0987654321"})
    assert submitted.status_code == 201
    with factory() as session:
        report = session.scalar(select(Report.id).where(Report.code == submitted.json()["code"]))
    case = client.post("/api/v1/cases", json={"title": "Vụ 1", "report_ids": [report]})
    evidence = client.post(f"/api/v1/reports/{report}/evidence", files={"file": EVIDENCE})
    assert (case.status_code, evidence.status_code) == (201, 201)
    case_id, evidence_id = case.json()["id"], evidence.json()["id"]
    return [
        f"/reports/{report}",
        f"/api/v1/cases/{case_id}",
        f"/cases/{case_id}",
        f"/api/v1/evidence/{evidence_id}",
        f"/evidence/{evidence_id}",
    ]


def view_for_a_while(app: FastAPI, paths: list[str], statuses: Counter[int]) -> None:
    deadline = time.monotonic() + SECONDS
    with TestClient(app, raise_server_exceptions=False) as client:
        while time.monotonic() < deadline:
            for path in paths:
                statuses[client.get(path).status_code] += 1


def test_eight_analysts_viewing_at_once_all_succeed_and_the_chain_verifies(
    settings: Settings, factory: sessionmaker[Session]
) -> None:
    app = analysts_app(settings, factory)
    with TestClient(app) as client:
        paths = seed(client, factory)
    tallies = [Counter[int]() for _ in range(CLIENTS)]
    viewers = [
        threading.Thread(target=view_for_a_while, args=(app, paths, tally)) for tally in tallies
    ]
    for viewer in viewers:
        viewer.start()
    for viewer in viewers:
        viewer.join()
    statuses = sum(tallies, Counter[int]())
    assert set(statuses) == {200}, statuses
    assert statuses[200] >= CLIENTS * len(paths)
    with factory() as session:
        result = verify_log(session)
    assert result.intact, result.message
    assert result.checked >= statuses[200]


def open_cases(app: FastAPI, count: int, statuses: Counter[int], references: list[str]) -> None:
    with TestClient(app, raise_server_exceptions=False) as client:
        for k in range(count):
            answer = client.post("/api/v1/cases", json={"title": f"Vụ {k}"})
            statuses[answer.status_code] += 1
            if answer.status_code == 201:
                references.append(answer.json()["reference"])


def test_cases_opened_at_once_take_distinct_numbers(
    settings: Settings, factory: sessionmaker[Session]
) -> None:
    app = analysts_app(settings, factory)
    statuses: Counter[int] = Counter()
    references: list[str] = []
    openers = [
        threading.Thread(target=open_cases, args=(app, 5, statuses, references))
        for _ in range(CLIENTS)
    ]
    for opener in openers:
        opener.start()
    for opener in openers:
        opener.join()
    assert statuses == {201: CLIENTS * 5}
    assert len(set(references)) == CLIENTS * 5
    with factory() as session:
        assert verify_log(session).intact
