"""Analysts' corrections: stored without the narrative, read back with it for training."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tipline.errors import InvalidInput, NotFound
from tipline.reports.models import Report
from tipline.triage import repository
from tipline.triage.models import TriageCorrection
from tipline.triage.service import (
    corrections_as_examples,
    has_corrections_table,
    record_correction,
)


@pytest.fixture
def session(db_session: Session) -> Session:
    """The migrated test database, rolled back after the test."""
    assert has_corrections_table(db_session.connection())
    return db_session


def _report(session: Session, narrative: str, category: str, urgency: str) -> int:
    report = Report(
        code=f"R{abs(hash(narrative)) % 10**8}",
        channel="api",
        narrative=narrative,
        language="vi",
        category=category,
        urgency=urgency,
    )
    session.add(report)
    session.flush()
    return report.id


def test_a_correction_keeps_the_previous_triage(session: Session) -> None:
    report_id = _report(session, "bị lừa qua app vay", "fraud.shopping", "low")
    correction = record_correction(session, report_id, "fraud.loan", "normal", " lan.nguyen ")
    session.flush()
    assert (correction.previous_category, correction.previous_urgency) == ("fraud.shopping", "low")
    assert (correction.corrected_category, correction.corrected_urgency) == (
        "fraud.loan",
        "normal",
    )
    assert correction.analyst == "lan.nguyen"
    assert "narrative" not in TriageCorrection.__table__.columns
    assert repository.list_corrections(session, report_id=report_id) == [correction]


def test_training_reads_the_latest_correction_with_the_narrative(session: Session) -> None:
    first = _report(session, "con tôi 13 tuổi bị người lạ xin ảnh", "harassment", "normal")
    second = _report(session, "website công ty bị tấn công", "other", "low")
    record_correction(session, first, "harassment", "high", "a")
    record_correction(session, first, "child_exploitation", "critical", "b")
    record_correction(session, second, "hacking", "high", "a")
    session.flush()
    examples = corrections_as_examples(session)
    assert [(e.text, e.category, e.urgency) for e in examples] == [
        ("con tôi 13 tuổi bị người lạ xin ảnh", "child_exploitation", "critical"),
        ("website công ty bị tấn công", "hacking", "high"),
    ]


@pytest.mark.parametrize(
    ("category", "urgency", "analyst", "field"),
    [
        ("spam", "low", "a", "category"),
        ("other", "urgent", "a", "urgency"),
        ("other", "low", "  ", "analyst"),
    ],
)
def test_invalid_corrections_are_refused(
    session: Session, category: str, urgency: str, analyst: str, field: str
) -> None:
    report_id = _report(session, "x", "other", "low")
    with pytest.raises(InvalidInput) as caught:
        record_correction(session, report_id, category, urgency, analyst)
    assert caught.value.field == field


def test_a_correction_of_a_missing_report_is_refused(session: Session) -> None:
    with pytest.raises(NotFound):
        record_correction(session, 999, "other", "low", "a")
