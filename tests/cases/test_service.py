from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.principals import staff

from tipline.audit.models import AuditEntry
from tipline.audit.service import verify_log
from tipline.campaigns.service import campaign_uid_of
from tipline.cases import service
from tipline.errors import Conflict, InvalidInput, NotFound
from tipline.reports.models import Report

NOW = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)
UNKNOWN = UUID("00000000-0000-4000-8000-000000000000")


def audit_actions(session: Session) -> list[tuple[str, str]]:
    rows = session.execute(
        select(AuditEntry.action, AuditEntry.target_id).order_by(AuditEntry.sequence)
    )
    return [(a, t) for a, t in rows]


def test_cases_are_numbered_per_year_and_audited(db_session: Session, new_report: Any) -> None:
    report = new_report()
    first = service.create_case(
        db_session, staff("analyst:lan"), "Sàn giả", report_ids=[report], now=NOW
    )
    second = service.create_case(db_session, staff("analyst:an"), "Khác", assignee="an", now=NOW)
    assert service.reference_of(first) == "CASE-2026-0001"
    assert service.reference_of(second) == "CASE-2026-0002"
    assert service.find_case(db_session, "case-2026-0002") is second
    assert audit_actions(db_session)[-2:] == [
        ("case.create", str(first.id)),
        ("case.create", str(second.id)),
    ]
    assert verify_log(db_session).intact


def test_links_notes_assign_status(db_session: Session, new_report: Any) -> None:
    one, two = new_report(), new_report()
    campaign = campaign_uid_of(db_session, one)
    assert campaign is not None
    case = service.create_case(db_session, staff("analyst:lan"), "Sàn giả", now=NOW)
    service.add_report(db_session, case.id, two, staff("analyst:lan"))
    with pytest.raises(Conflict):
        service.add_report(db_session, case.id, two, staff("analyst:lan"))
    with pytest.raises(NotFound):
        service.add_report(db_session, case.id, 999_999, staff("analyst:lan"))
    service.add_campaign(db_session, case.id, campaign, staff("analyst:lan"))
    with pytest.raises(NotFound):
        service.add_campaign(db_session, case.id, UNKNOWN, staff("analyst:lan"))
    with pytest.raises(Conflict):
        service.add_campaign(db_session, case.id, campaign, staff("analyst:lan"))
    service.add_note(db_session, case.id, "Gọi ngân hàng <b>phong tỏa</b>", staff("analyst:lan"))
    service.assign(db_session, case.id, "an", date(2026, 3, 1), staff("analyst:lan"))
    service.change_status(db_session, case.id, "in_progress", staff("analyst:lan"))
    with pytest.raises(InvalidInput):
        service.change_status(db_session, case.id, "in_progress", staff("analyst:lan"))
    view = service.view_case(db_session, case.id, staff("analyst:an"), now=NOW)
    assert [r.id for r in view.reports] == [two]
    assert [(c.linked_uid, c.current and c.current.uid) for c in view.campaigns] == [
        (campaign, campaign)
    ]
    assert {m.id for m in view.campaigns[0].reports} >= {one, two}
    assert [n.text for n in view.notes] == ["Gọi ngân hàng <b>phong tỏa</b>"]
    assert view.overdue
    assert view.case.assignee == "an"
    assert view.case.status == "in_progress"
    service.remove_report(db_session, case.id, two, staff("analyst:lan"))
    service.remove_campaign(db_session, case.id, campaign, staff("analyst:lan"))
    with pytest.raises(NotFound):
        service.remove_report(db_session, case.id, two, staff("analyst:lan"))
    actions = [a for a, _ in audit_actions(db_session)]
    assert actions[-8:] == [
        "case.report_add",
        "case.campaign_add",
        "case.note",
        "case.assign",
        "case.status",
        "case.view",
        "case.report_remove",
        "case.campaign_remove",
    ]


def test_list_puts_overdue_first_and_filters(db_session: Session) -> None:
    later = service.create_case(
        db_session, staff("analyst:lan"), "Later", deadline=date(2026, 4, 1), now=NOW
    )
    late = service.create_case(
        db_session, staff("analyst:lan"), "Late", assignee="an", deadline=date(2026, 3, 1), now=NOW
    )
    none = service.create_case(db_session, staff("analyst:lan"), "None", now=NOW)
    closed = service.create_case(
        db_session, staff("analyst:lan"), "Closed late", deadline=date(2026, 2, 1), now=NOW
    )
    service.change_status(db_session, closed.id, "closed", staff("analyst:lan"))
    listing = service.list_cases(db_session, staff("analyst:lan"), now=NOW)
    ids = [row.case.id for row in listing.rows]
    assert ids.index(late.id) == 0
    assert ids.index(closed.id) < ids.index(later.id) < ids.index(none.id)
    assert [row.overdue for row in listing.rows][:1] == [True]
    assert [
        r.case.id
        for r in service.list_cases(db_session, staff("analyst:lan"), assignee="an", now=NOW).rows
    ] == [late.id]
    assert [
        r.case.id
        for r in service.list_cases(db_session, staff("analyst:lan"), "closed", now=NOW).rows
    ] == [closed.id]
    with pytest.raises(InvalidInput):
        service.list_cases(db_session, staff("analyst:lan"), "lost")


def test_merge_choice_offers_open_cases(db_session: Session, new_report: Any) -> None:
    report = new_report()
    open_case = service.create_case(db_session, staff("analyst:lan"), "Open", now=NOW)
    closed = service.create_case(db_session, staff("analyst:lan"), "Closed", now=NOW)
    service.change_status(db_session, closed.id, "closed", staff("analyst:lan"))
    choice = service.merge_choice(db_session, staff("analyst:lan"), report, None)
    assert [row.case.id for row in choice.cases] == [open_case.id]
    with pytest.raises(InvalidInput):
        service.merge_choice(db_session, staff("analyst:lan"), None, None)
    with pytest.raises(NotFound):
        service.merge_choice(db_session, staff("analyst:lan"), None, UNKNOWN)
    assert choice.report_code is not None
    assert choice.report_code.startswith("TL-")


def test_a_report_is_added_by_its_tracking_code_as_typed(
    db_session: Session, new_report: Any
) -> None:
    report = new_report()
    code = db_session.scalars(select(Report.code).where(Report.id == report)).one()
    case = service.create_case(db_session, staff("analyst:lan"), "Theo mã", now=NOW)
    typed = f"  {code.lower().replace('-', ' ')} "  # as read aloud on the phone
    service.add_report_by_code(db_session, case.id, typed, staff("analyst:lan"))
    view = service.view_case(db_session, case.id, staff("analyst:lan"), now=NOW)
    assert [(r.id, r.code) for r in view.reports] == [(report, code)]
    with pytest.raises(Conflict) as twice:
        service.add_report_by_code(db_session, case.id, code, staff("analyst:lan"))
    assert twice.value.field == "code"
    with pytest.raises(NotFound) as unknown:
        service.add_report_by_code(db_session, case.id, "TL-2222-2222", staff("analyst:lan"))
    assert unknown.value.field == "code"
    with pytest.raises(InvalidInput) as garbled:
        service.add_report_by_code(db_session, case.id, str(report), staff("analyst:lan"))
    assert garbled.value.field == "code"  # an internal number is no tracking code


def test_a_code_the_caller_may_not_read_is_not_found(db_session: Session, new_report: Any) -> None:
    """Access in the query: a report outside the caller's scope is as unknown as no report."""
    from tipline.principals import Principal, Role

    report = new_report()
    code = db_session.scalars(select(Report.code).where(Report.id == report)).one()
    partner = Principal(90, "ccib", Role.PARTNER, "token", partner_id=1)
    with pytest.raises(NotFound):
        service.report_of_code(db_session, partner, code)
    assert service.report_of_code(db_session, staff("analyst:lan"), code) == report
