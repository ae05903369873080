"""The demo data set: generated reports marked as demo, the same each time, and the feed."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.conftest import ReportMaker

from tipline.demo.service import DEMO_SOURCE, demo_rows, load_demo, needs_loading, shared_dir
from tipline.reports.models import Report


def test_demo_rows_are_deterministic() -> None:
    first = [(row.external_id, row.report.narrative) for row in demo_rows(5, seed=7)]
    again = [(row.external_id, row.report.narrative) for row in demo_rows(5, seed=7)]
    other = [(row.external_id, row.report.narrative) for row in demo_rows(5, seed=8)]
    assert first == again
    assert first != other


def test_demo_reports_are_marked_and_loading_twice_adds_nothing(db_session: Session) -> None:
    loaded = load_demo(db_session, shared=None, count=25, seed=3)
    assert loaded.reports.imported == 25
    assert loaded.feeds == {}
    sources = db_session.scalars(select(Report.source).distinct()).all()
    assert sources == [DEMO_SOURCE]
    languages = set(db_session.scalars(select(Report.language).distinct()))
    assert languages <= {"vi", "en"}
    again = load_demo(db_session, shared=None, count=25, seed=3)
    assert (again.reports.imported, again.reports.already_stored) == (0, 25)
    total = db_session.scalar(select(func.count()).select_from(Report))
    assert total == 25


def test_shared_dir_prefers_the_configured_folder(tmp_path: Path) -> None:
    assert shared_dir(tmp_path) == tmp_path
    assert shared_dir(tmp_path / "missing") != tmp_path / "missing"


def test_demo_loads_on_an_empty_database_and_resumes_a_cut_short_load(
    db_session: Session,
) -> None:
    assert needs_loading(db_session, shared=None, count=10)
    load_demo(db_session, shared=None, count=6, seed=3)  # as if interrupted at 6 of 10
    assert needs_loading(db_session, shared=None, count=10)
    load_demo(db_session, shared=None, count=10, seed=3)
    assert not needs_loading(db_session, shared=None, count=10)


def test_a_database_with_real_reports_never_gets_demo_data(
    db_session: Session, make_report: ReportMaker
) -> None:
    make_report()
    assert not needs_loading(db_session, shared=None)


def test_feed_progress_covers_every_line(db_session: Session, tmp_path: Path) -> None:
    folder = tmp_path / "data/chongluadao-blocklist"
    folder.mkdir(parents=True)
    (folder / "urls.txt").write_text("# list\nlua-dao-a.com\n\nlua-dao-b.com\n", "utf-8")
    seen: list[int] = []
    loaded = load_demo(db_session, tmp_path, count=2, seed=3, feed_progress=seen.append)
    assert loaded.feeds["urls.txt"].lines == 2
    assert sum(seen) == 4
    assert not needs_loading(db_session, tmp_path, count=2)


def test_demo_reports_keep_the_generators_dates_over_the_years_before_today(
    db_session: Session,
) -> None:
    from datetime import UTC, datetime, timedelta

    from tipline.demo.narratives import generate_reports
    from tipline.reports.core import as_utc
    from tipline.vocabulary import VIETNAM_TIME

    generated = list(generate_reports(200, 5))
    assert all(g.occurred_at <= g.received_at for g in generated)
    assert all(g.received_at - g.occurred_at <= timedelta(days=60) for g in generated)
    load_demo(db_session, shared=None, count=60, seed=5)
    rows = db_session.execute(select(Report.external_id, Report.created_at)).all()
    received = {external_id: created_at for external_id, created_at in rows}
    now = datetime.now(UTC)
    assert all(now - timedelta(days=3 * 365 + 2) <= moment <= now for moment in received.values())
    days = {moment.date() for moment in received.values()}
    assert len(days) > 40  # spread over the years, not one day of 60 reports
    today = datetime.now(VIETNAM_TIME).date()  # the demo's years end at midnight in Vietnam
    for row in demo_rows(60, 5, datetime(today.year, today.month, today.day)):
        assert received[row.external_id] == as_utc(row.received_at)
