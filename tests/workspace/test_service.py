"""The workspace's use cases on the real database: queue pages, the report view and its changes,
each recorded in the audit log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.principals import staff

from tipline.errors import InvalidInput, NotFound
from tipline.indicators.models import IndicatorReview, ReportIndicator
from tipline.reports.models import Report
from tipline.triage.models import TriageCorrection
from tipline.workspace import service
from tipline.workspace.core import PageRequest, QueueFilter

NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)  # as in conftest.py
StoredReportMaker = Callable[..., Report]
AuditReader = Callable[[], list[tuple[str, str, str, str]]]
ACTOR = "analyst:lan"
LAN = staff(ACTOR)


def submitted(
    db_session: Session, make_report: Callable[..., Any], narrative: str | None = None
) -> Report:
    receipt = make_report() if narrative is None else make_report(narrative)
    report = db_session.scalars(select(Report).where(Report.code == receipt.code)).one()
    assert report is not None
    return report


def test_queue_page_links_and_items(db_session: Session, stored_report: StoredReportMaker) -> None:
    made = [
        stored_report(age=timedelta(hours=i + 1), narrative=f"chuyện số {i} " * 30)
        for i in range(5)
    ]
    oldest_first = [r.code for r in reversed(made)]
    first = service.queue_page(
        db_session, staff("analyst:lan"), QueueFilter(), PageRequest(size=2), now=NOW
    )
    assert [i.row.code for i in first.items] == oldest_first[:2]
    assert (first.previous_before, first.next_after) == (None, first.items[-1].row.id)
    assert first.items[0].waited == (5, "hours")
    assert first.items[0].snippet.endswith("…")
    assert len(first.items[0].snippet) <= 161
    second = service.queue_page(
        db_session, staff("analyst:lan"), QueueFilter(), PageRequest(after=first.next_after, size=2)
    )
    assert [i.row.code for i in second.items] == oldest_first[2:4]
    assert second.previous_before == second.items[0].row.id
    last = service.queue_page(
        db_session,
        staff("analyst:lan"),
        QueueFilter(),
        PageRequest(after=second.next_after, size=2),
    )
    assert [i.row.code for i in last.items] == oldest_first[4:]
    assert last.next_after is None
    back = service.queue_page(
        db_session,
        staff("analyst:lan"),
        QueueFilter(),
        PageRequest(before=last.previous_before, size=2),
    )
    assert [i.row.code for i in back.items] == oldest_first[2:4]
    assert back.next_after == back.items[-1].row.id
    assert back.previous_before == back.items[0].row.id
    empty = service.queue_page(
        db_session, staff("analyst:lan"), QueueFilter(status="closed"), PageRequest()
    )
    assert (empty.items, empty.previous_before, empty.next_after) == ([], None, None)


def test_view_report_shows_indicators_shared_with_other_reports(
    db_session: Session, make_report: Callable[..., Any], audit_actions: AuditReader
) -> None:
    earlier = submitted(db_session, make_report)
    report = submitted(db_session, make_report)
    view = service.view_report(db_session, LAN, report.id)
    assert view.report.id == report.id
    kinds = {item.row.kind for item in view.indicators}
    assert {"phone", "bank_account", "url"} <= kinds
    for item in view.indicators:
        assert item.review == "extracted"
        assert item.other_reports == 1
        assert [other.code for other in item.recent] == [earlier.code]
    assert audit_actions()[-1] == (ACTOR, "report.view", "report", str(report.id))
    with pytest.raises(NotFound):
        service.view_report(db_session, LAN, 10**9)


def test_confirm_then_reject_an_indicator(
    db_session: Session, make_report: Callable[..., Any], audit_actions: AuditReader
) -> None:
    report = submitted(db_session, make_report)
    link = db_session.scalars(
        select(ReportIndicator).where(ReportIndicator.report_id == report.id)
    ).first()
    assert link is not None
    service.review_indicator(db_session, LAN, report.id, link.indicator_id, "confirmed")
    db_session.refresh(link)
    assert link.confirmed is True
    service.review_indicator(db_session, LAN, report.id, link.indicator_id, "rejected")
    db_session.refresh(link)
    review = db_session.get(IndicatorReview, (report.id, link.indicator_id))
    assert (link.confirmed, review and review.state, review and review.actor) == (
        False,
        "rejected",
        ACTOR,
    )
    item = next(
        i
        for i in service.view_report(db_session, LAN, report.id).indicators
        if i.row.indicator_id == link.indicator_id
    )
    assert item.review == "rejected"
    assert [a[1] for a in audit_actions()[:2]] == ["indicator.confirm", "indicator.reject"]
    with pytest.raises(InvalidInput):
        service.review_indicator(db_session, LAN, report.id, link.indicator_id, "maybe")
    with pytest.raises(NotFound):
        service.review_indicator(db_session, LAN, report.id, 10**9, "confirmed")


def test_correction_is_recorded_and_applied(
    db_session: Session, stored_report: StoredReportMaker, audit_actions: AuditReader
) -> None:
    report = stored_report(urgency="low", category="other")
    stored_report(urgency="high")
    service.correct_triage(db_session, LAN, report.id, "sextortion", "critical")
    db_session.refresh(report)
    assert (report.category, report.urgency, report.urgency_rank) == ("sextortion", "critical", 0)
    kept = db_session.scalars(
        select(TriageCorrection).where(TriageCorrection.report_id == report.id)
    ).one()
    assert (kept.previous_category, kept.previous_urgency) == ("other", "low")
    assert (kept.corrected_category, kept.corrected_urgency, kept.analyst) == (
        "sextortion",
        "critical",
        ACTOR,
    )
    first = service.queue_page(
        db_session, staff("analyst:lan"), QueueFilter(), PageRequest()
    ).items[0]
    assert first.row.code == report.code  # now the most urgent
    assert audit_actions() == [(ACTOR, "report.correct", "report", str(report.id))]
    with pytest.raises(InvalidInput):
        service.correct_triage(db_session, LAN, report.id, "sextortion", "urgent")


def test_notes_are_kept_newest_first(
    db_session: Session, stored_report: StoredReportMaker, audit_actions: AuditReader
) -> None:
    report = stored_report()
    service.add_note(db_session, LAN, report.id, " first ")
    service.add_note(db_session, staff("supervisor:minh"), report.id, "second")
    view = service.view_report(db_session, LAN, report.id)
    assert [(n.text, n.author) for n in view.notes] == [
        ("second", "supervisor:minh"),
        ("first", ACTOR),
    ]
    assert [a[1] for a in audit_actions()] == ["report.note", "report.note", "report.view"]
    with pytest.raises(InvalidInput):
        service.add_note(db_session, LAN, report.id, "   ")
    with pytest.raises(NotFound):
        service.add_note(db_session, LAN, 10**9, "x")


def test_status_changes_have_a_history(
    db_session: Session, stored_report: StoredReportMaker, audit_actions: AuditReader
) -> None:
    report = stored_report()
    for status in ("triaged", "in_review", "closed", "in_review"):
        service.change_status(db_session, LAN, report.id, status)
    db_session.refresh(report)
    assert report.status == "in_review"
    history = service.view_report(db_session, LAN, report.id).history
    assert [(c.previous_status, c.status) for c in reversed(history)] == [
        ("new", "triaged"),
        ("triaged", "in_review"),
        ("in_review", "closed"),
        ("closed", "in_review"),
    ]
    assert [a[1] for a in audit_actions()].count("report.status") == 4
    with pytest.raises(InvalidInput):
        service.change_status(db_session, LAN, report.id, "in_review")
    with pytest.raises(InvalidInput):
        service.change_status(db_session, LAN, report.id, "archived")


def test_rejecting_the_only_shared_indicator_splits_the_campaign_and_confirming_rejoins(
    db_session: Session, make_report: Callable[..., Any]
) -> None:
    from tipline.campaigns.repository import campaign_of
    from tipline.indicators.models import IndicatorRecord

    first = submitted(db_session, make_report, "Kẻ lừa gọi từ số 0987 111 222 đòi chuyển tiền.")
    second = submitted(
        db_session, make_report, "Số 0987 111 222 gọi tôi, tự xưng nhân viên ngân hàng."
    )
    assert campaign_of(db_session, second.id) == campaign_of(db_session, first.id) == first.id
    phone = db_session.scalars(
        select(IndicatorRecord).where(IndicatorRecord.value == "+84987111222")
    ).one()
    service.review_indicator(db_session, LAN, second.id, phone.id, "rejected")
    assert (campaign_of(db_session, first.id), campaign_of(db_session, second.id)) == (
        first.id,
        second.id,
    )
    service.review_indicator(db_session, LAN, second.id, phone.id, "confirmed")
    assert campaign_of(db_session, second.id) == first.id
