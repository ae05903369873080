"""The queue's orders (a child at risk first within an urgency; by age, newest, loss), claiming
and assigning from the queue with the "mine" view, and the reporter's contact (audited)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.principals import staff

from tipline.accounts.models import User
from tipline.audit.models import AuditEntry
from tipline.errors import InvalidInput, NotPermitted
from tipline.reports.models import Report
from tipline.workspace import service
from tipline.workspace.core import PageRequest, QueueFilter

StoredReportMaker = Callable[..., Report]
LAN = staff("analyst:lan")
MAI = staff("analyst:mai", user_id=2)
HOA = staff("supervisor:hoa", user_id=3)
ADMIN = staff("admin:root", user_id=4)


def codes(session: Session, flt: QueueFilter, page: PageRequest, caller: Any = LAN) -> list[str]:
    return [item.row.code for item in service.queue_page(session, caller, flt, page).items]


def all_pages(session: Session, flt: QueueFilter, size: int) -> tuple[list[str], list[str]]:
    """Every code walking the pages forwards, then back again from the last page."""
    forwards: list[str] = []
    page = service.queue_page(session, LAN, flt, PageRequest(size=size))
    pages = [page]
    while True:
        forwards += [item.row.code for item in page.items]
        if page.next_after is None:
            break
        page = service.queue_page(session, LAN, flt, PageRequest(after=page.next_after, size=size))
        pages.append(page)
    backwards: list[str] = [item.row.code for item in page.items]
    while page.previous_before is not None:
        before = PageRequest(before=page.previous_before, size=size)
        page = service.queue_page(session, LAN, flt, before)
        backwards = [item.row.code for item in page.items] + backwards
    return forwards, backwards


def test_a_child_at_risk_leads_its_urgency_however_recent(
    db_session: Session, stored_report: StoredReportMaker
) -> None:
    old_other = stored_report(urgency="critical", category="other", age=timedelta(days=30))
    child = stored_report(
        urgency="critical", category="sextortion", age=timedelta(minutes=5), at_risk=True
    )
    high_child = stored_report(urgency="high", age=timedelta(days=60), at_risk=True)
    high = stored_report(urgency="high", age=timedelta(days=90))
    low = stored_report(urgency="low", age=timedelta(days=100))
    expected = [child, old_other, high_child, high, low]
    assert codes(db_session, QueueFilter(), PageRequest()) == [r.code for r in expected]
    assert all_pages(db_session, QueueFilter(), 2) == ([r.code for r in expected],) * 2
    first = service.queue_page(db_session, LAN, QueueFilter(), PageRequest()).items[0]
    assert first.row.risk_rank == 0


def test_the_queue_sorts_by_age_newest_and_loss_on_keyset_pages(
    db_session: Session, stored_report: StoredReportMaker
) -> None:
    made = [
        stored_report(
            urgency=("critical", "low", "high")[i % 3],
            age=timedelta(hours=10 - i),
            loss=Decimal(1000 * ((i * 7) % 5)) if i % 4 else None,
        )
        for i in range(10)
    ]
    oldest_first = [r.code for r in made]
    assert all_pages(db_session, QueueFilter(sort="age"), 3) == (oldest_first,) * 2
    newest = oldest_first[::-1]
    assert all_pages(db_session, QueueFilter(sort="newest"), 4) == (newest,) * 2
    with_loss = sorted(
        (r for r in made if r.loss_amount is not None),
        key=lambda r: (r.loss_amount, r.id),
        reverse=True,
    )
    by_loss = [r.code for r in with_loss]
    assert all_pages(db_session, QueueFilter(sort="loss"), 2) == (by_loss,) * 2


def _staff_users(session: Session) -> None:
    for name, role in (("lan", "analyst"), ("mai", "analyst"), ("hoa", "supervisor")):
        session.add(User(username=name, display_name=name, role=role, password_hash="-"))
    session.add(User(username="gone", display_name="gone", role="analyst", password_hash="-",
                     disabled=True))  # fmt: skip
    session.flush()


def _audit(session: Session, action: str) -> list[tuple[str, str, dict[str, Any]]]:
    stmt = select(AuditEntry.actor, AuditEntry.target_id, AuditEntry.details_json).where(
        AuditEntry.action == action
    )
    rows = session.execute(stmt.order_by(AuditEntry.sequence))
    return [(actor, target, json.loads(details)) for actor, target, details in rows]


def test_claiming_and_assigning_are_audited_and_mine_lists_them(
    db_session: Session, stored_report: StoredReportMaker
) -> None:
    _staff_users(db_session)
    first, second, third = (stored_report(age=timedelta(hours=h)) for h in (3, 2, 1))
    service.claim_report(db_session, LAN, first.id)
    service.assign_report(db_session, HOA, second.id, "lan")
    service.assign_report(db_session, HOA, third.id, "mai")
    mine = QueueFilter(mine=True)
    assert codes(db_session, mine, PageRequest()) == [first.code, second.code]
    assert codes(db_session, mine, PageRequest(), MAI) == [third.code]
    assert _audit(db_session, "report.claim") == [
        ("analyst:lan", str(first.id), {"previous": None, "assignee": "lan"})
    ]
    assert _audit(db_session, "report.assign") == [
        ("supervisor:hoa", str(second.id), {"previous": None, "assignee": "lan"}),
        ("supervisor:hoa", str(third.id), {"previous": None, "assignee": "mai"}),
    ]
    service.assign_report(db_session, LAN, first.id, None)  # she lets go of her own
    assert codes(db_session, mine, PageRequest()) == [second.code]
    items = service.queue_for(db_session, LAN, QueueFilter(), None, 10).items
    assert [(i.code, i.assignee, i.at_risk) for i in items] == [
        (first.code, None, False), (second.code, "lan", False), (third.code, "mai", False)
    ]  # fmt: skip


def test_an_analyst_takes_only_free_reports_and_gives_none_away(
    db_session: Session, stored_report: StoredReportMaker
) -> None:
    _staff_users(db_session)
    report = stored_report()
    service.claim_report(db_session, MAI, report.id)
    with pytest.raises(NotPermitted):
        service.claim_report(db_session, LAN, report.id)
    with pytest.raises(NotPermitted):
        service.assign_report(db_session, MAI, report.id, "lan")
    for name in ("nobody", "gone"):
        with pytest.raises(InvalidInput) as refused:
            service.assign_report(db_session, HOA, report.id, name)
        assert refused.value.field == "assignee"
    assert service.assignable(db_session, HOA) == ["hoa", "lan", "mai"]
    assert service.assignable(db_session, LAN) == ["lan"]
    assert db_session.get(Report, report.id).assignee == "mai"  # type: ignore[union-attr]


def test_the_reporters_contact_is_read_by_analysts_and_each_reading_audited(
    db_session: Session, stored_report: StoredReportMaker
) -> None:
    report = stored_report(contact="0912 000 111")
    silent = stored_report(contact=None)
    assert service.reporter_contact(db_session, LAN, report.id) == "0912 000 111"
    assert service.report_detail(db_session, HOA, report.id).contact == "0912 000 111"
    assert service.reporter_contact(db_session, LAN, silent.id) is None
    with pytest.raises(NotPermitted):
        service.reporter_contact(db_session, ADMIN, report.id)
    assert service.report_detail(db_session, ADMIN, report.id).contact is None
    readings = _audit(db_session, "report.contact")
    assert readings == [
        ("analyst:lan", str(report.id), {}),
        ("supervisor:hoa", str(report.id), {}),
    ]
    assert all("0912" not in str(details) for _, _, details in readings)


def test_triage_marks_a_child_or_a_life_at_risk_when_the_report_is_stored(
    db_session: Session, make_report: Callable[..., Any]
) -> None:
    def stored(narrative: str, **facts: Any) -> Report:
        code = make_report(narrative, **facts).code
        return db_session.scalars(select(Report).where(Report.code == code)).one()

    teen = stored("Em 14 tuổi, có người trên Instagram dọa tung ảnh nếu em không gửi thêm.")
    aged = stored("Someone keeps sending me messages about my parcel.", victim_age=15)
    life = stored("Nó nhắn tin đe doạ sẽ giết cả nhà tôi nếu không trả tiền.")
    shop = stored("Tôi mua hàng trên Facebook, chuyển 500.000đ mà không nhận được hàng.")
    assert [r.risk_rank for r in (teen, aged, life, shop)] == [0, 0, 0, 1]
