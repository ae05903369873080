"""`tipline import` killed mid-way (Ctrl-C or kill -9) in a real process: whole reports only, and
running the import of the same file again ends where an uninterrupted import does."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Engine, make_url

from tipline.db import make_engine
from tipline.demo.service import demo_rows
from tipline.imports.core import read_rows
from tipline.imports.service import import_reports
from tipline.indicators.models import IndicatorRecord, ReportIndicator
from tipline.reports.models import Report
from tipline.server.migrate import upgrade
from tipline.settings import Settings

ROWS = 600  # the signal comes at 30 reports: 570 more would take a busy machine seconds
BATCH = 10
AGAIN_BATCH = 200  # the run that finishes the import need not crawl
SOURCE = "partner"
POSTGRES_URL = os.environ.get("TIPLINE_TEST_DATABASE_URL") or None


def write_file(path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for row in demo_rows(ROWS, seed=11):
            fields = row.report.model_dump(mode="json", exclude_none=True)
            out.write(json.dumps({"id": row.external_id, **fields}, ensure_ascii=False) + "\n")


@pytest.fixture
def target_url(tmp_path: Path) -> Iterator[str]:
    """An empty database the import process writes to (SQLite, or a new PostgreSQL database)."""
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path / 'target.db'}"
        return
    base = make_url(POSTGRES_URL)
    name = f"{base.database}_interrupt_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def links(engine: Engine) -> set[tuple[str, str, str]]:
    """(report's external id, indicator kind, value) of every link."""
    query = (
        select(Report.external_id, IndicatorRecord.kind, IndicatorRecord.value)
        .join(ReportIndicator, ReportIndicator.report_id == Report.id)
        .join(IndicatorRecord, IndicatorRecord.id == ReportIndicator.indicator_id)
    )
    with engine.connect() as connection:
        return {(str(a), b, c) for a, b, c in connection.execute(query)}


def counts(engine: Engine) -> tuple[int, int, int]:
    """Reports, links, and the indicators' report counts added up (equal to links when whole)."""
    with engine.connect() as connection:
        reports = connection.scalar(select(func.count()).select_from(Report)) or 0
        linked = connection.scalar(select(func.count()).select_from(ReportIndicator)) or 0
        counted = connection.scalar(select(func.sum(IndicatorRecord.report_count))) or 0
    return reports, linked, int(counted)


def reference(settings: Settings, file: Path, tmp_path: Path) -> Engine:
    """The same file imported in one go (this also leaves a triage model in the data folder)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'reference.db'}")
    upgrade(engine)
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        summary = import_reports(session, read_rows(file.name, file.read_bytes()), SOURCE)
    assert summary.imported == ROWS
    return engine


def run_import(
    file: Path, settings: Settings, url: str, batch: int = BATCH
) -> subprocess.Popen[str]:
    env = os.environ | {"TIPLINE_DATA_DIR": str(settings.data_dir), "TIPLINE_DATABASE_URL": url}
    command = [sys.executable, "-m", "tipline", "import", str(file), "--source", SOURCE,
               "--batch", str(batch), "--workers", "0"]  # fmt: skip
    # Ctrl-C as a terminal sends it: the child starts with SIGINT's default action, whatever an
    # earlier test in this worker left it at (a child inherits an ignored SIGINT, and Python then
    # never raises KeyboardInterrupt).
    return subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def wait_for_reports(engine: Engine, process: subprocess.Popen[str], at_least: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if counts(engine)[0] >= at_least:
                return
        except Exception:  # noqa: BLE001 (tables not created yet)
            pass
        time.sleep(0.02)
    pytest.fail("the import ended or stalled before it could be interrupted")


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill-9"])
def test_an_interrupted_import_process_leaves_whole_reports_and_finishes_when_run_again(
    settings: Settings, tmp_path: Path, target_url: str, stop: signal.Signals
) -> None:
    file = tmp_path / "reports.jsonl"
    write_file(file)
    expected = links(reference(settings, file, tmp_path))
    target = make_engine(target_url)

    process = run_import(file, settings, target_url)
    wait_for_reports(target, process, at_least=3 * BATCH)
    process.send_signal(stop)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == (130 if stop == signal.SIGINT else -signal.SIGKILL), output
    if stop == signal.SIGINT:
        assert "interrupted" in output
    reports, linked, counted = counts(target)
    assert 0 < reports < ROWS
    assert reports % BATCH == 0  # whole batches, each report with all its links
    assert linked == counted
    assert links(target) == {link for link in expected if link[0] in stored_ids(target)}

    again = run_import(file, settings, target_url, batch=AGAIN_BATCH)
    output, _ = again.communicate(timeout=300)
    assert again.returncode == 0, output
    assert f"{ROWS - reports} imported, {reports} already stored, 0 rejected" in output
    assert links(target) == expected
    assert counts(target) == (ROWS, len(expected), len(expected))
    target.dispose()


def stored_ids(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return {str(ident) for ident in connection.scalars(select(Report.external_id))}
