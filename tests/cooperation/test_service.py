from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.principals import staff

from tipline.audit.models import AuditEntry
from tipline.audit.service import verify_log
from tipline.cooperation import core, service
from tipline.cooperation.repository import Filters
from tipline.cooperation.service import Draft
from tipline.errors import Conflict, InvalidInput, NotFound
from tipline.partners import service as partners
from tipline.principals import Principal, ReportHolder, Role

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam
LAN = staff("analyst:lan")
AN = staff("supervisor:an")
LINES = [
    {"kind": "account", "value": "VCB:0123456789"},
    {"kind": "domain", "value": " vietcombank-xacthuc.com "},
    {"kind": "time_range", "from": "2026-10-01", "to": "2026-11-30"},
    {"kind": "account", "value": "VCB:0123456789"},  # a repeat, dropped
]


def preservation(partner_id: int | None = None, **changes: Any) -> Draft:
    values: dict[str, Any] = {
        "direction": "outgoing", "type": "preservation",
        "requesting_authority": "A05, Bộ Công an", "requested_authority": "",
        "partner_id": partner_id,
        "legal_basis": core.LEGAL_BASES[0], "offences": "Lừa đảo chiếm đoạt tài sản",
        "data_requested": LINES, "facts": "Một nhóm giả danh ngân hàng.",
    }  # fmt: skip
    return Draft(**(values | changes))


def test_create_numbers_cleans_lines_and_audits(db_session: Session) -> None:
    nca = partners.add_partner(db_session, "cli:t", "National Crime Agency", "GB")
    first = service.create_request(db_session, LAN, preservation(nca.id), now=NOW)
    assert first.reference == "COOP-2026-0001"
    assert first.status == "draft"
    assert first.requested_authority == "National Crime Agency"  # the partner stands for it
    assert first.data_requested == [
        {"kind": "account", "value": "VCB:0123456789"},
        {"kind": "domain", "value": "vietcombank-xacthuc.com"},
        {"kind": "time_range", "from": "2026-10-01", "to": "2026-11-30"},
    ]
    incoming = service.create_request(
        db_session, AN,
        preservation(None, direction="incoming", requesting_authority="Cambodian National Police",
                     requested_authority="A05", type="mutual_assistance"),
        now=NOW,
    )  # fmt: skip
    assert incoming.reference == "COOP-2026-0002"
    view = service.view_request(db_session, LAN, "coop-2026-0001", now=NOW)
    assert [(e.action, e.status, e.actor) for e in view.events] == [
        ("create", "draft", "analyst:lan")
    ]
    entries = db_session.execute(
        select(AuditEntry.action, AuditEntry.actor).where(
            AuditEntry.target_type == "cooperation_request"
        )
    ).all()
    assert [tuple(e) for e in entries] == [
        ("cooperation.create", "analyst:lan"),
        ("cooperation.create", "supervisor:an"),
    ]
    assert verify_log(db_session).intact


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"type": "fax"}, InvalidInput, "type"),
        ({"direction": "sideways"}, InvalidInput, "direction"),
        ({"data_requested": [{"kind": "email", "value": "x"}]}, InvalidInput, "data_requested"),
        (
            {"data_requested": [{"kind": "time_range", "from": "2026-02-01", "to": "2026-01-01"}]},
            InvalidInput, "data_requested",
        ),
        ({"partner_id": 999_999}, NotFound, "partner_id"),
        ({"requested_authority": ""}, InvalidInput, "partner_id"),
        ({"case_id": 999_999}, NotFound, "case_id"),
        ({"report_ids": [999_999]}, NotFound, "report_ids"),
    ],
)  # fmt: skip
def test_create_refuses_what_it_cannot_read(
    db_session: Session, changes: dict[str, Any], error: type[Exception], field: str
) -> None:
    draft = preservation(**({"requested_authority": "FBI"} | changes))
    with pytest.raises(error) as raised:
        service.create_request(db_session, LAN, draft, now=NOW)
    assert getattr(raised.value, "field", None) == field


def test_status_changes_preservation_extension_and_lapse(db_session: Session) -> None:
    made = service.create_request(
        db_session, LAN, preservation(requested_authority="FBI", deadline=date(2026, 12, 5)),
        now=NOW,
    )  # fmt: skip
    ref = made.reference
    with pytest.raises(Conflict):
        service.change_status(db_session, LAN, ref, "answered", now=NOW)
    sent = service.change_status(db_session, LAN, ref, "sent", note="qua 24/7", now=NOW)
    assert sent.sent_at == NOW
    assert sent.preserved_until == date(2026, 12, 1) + timedelta(days=60)
    later = NOW + timedelta(days=55)
    lapsing = service.lapsing_within(db_session, LAN, 7, now=later)
    assert [r.reference for r in lapsing] == [ref]
    assert service.lapsing_within(db_session, LAN, 7, now=NOW) == []
    extended = service.extend_preservation(db_session, AN, ref, now=later)
    assert extended.preserved_until == date(2026, 12, 1) + timedelta(days=120)
    assert service.lapsing_within(db_session, LAN, 7, now=later) == []
    answered = service.change_status(db_session, AN, ref, "answered", now=later)
    assert answered.answered_at == later
    with pytest.raises(Conflict):
        service.extend_preservation(db_session, AN, ref, now=later)
    events = service.view_request(db_session, LAN, ref, now=later).events
    assert [(e.action, e.status, e.actor) for e in events] == [
        ("create", "draft", "analyst:lan"),
        ("status", "sent", "analyst:lan"),
        ("extend", "sent", "supervisor:an"),
        ("status", "answered", "supervisor:an"),
    ]
    assert events[1].details == {"from": "draft", "note": "qua 24/7"}
    assert events[2].details == {"from": "2027-01-30", "until": "2027-03-31"}


def test_overview_counts_overdue_lapsing_and_answer_times(db_session: Session) -> None:
    nca = partners.add_partner(db_session, "cli:t", "NCA", "GB")
    kh = partners.add_partner(db_session, "cli:t", "CNP", "KH")

    def sent(partner_id: int, kind: str, deadline: date | None, **changes: Any) -> str:
        draft = preservation(partner_id, type=kind, deadline=deadline, **changes)
        made = service.create_request(db_session, LAN, draft, now=NOW)
        service.change_status(db_session, LAN, made.reference, "sent", now=NOW)
        return made.reference

    late = sent(nca.id, "disclosure", date(2026, 12, 3))
    soon = sent(kh.id, "preservation", None)  # lapses 2027-01-30
    quick = sent(nca.id, "disclosure", None)
    slow = sent(nca.id, "mutual_assistance", None)
    other = sent(kh.id, "disclosure", None)
    theirs = sent(
        kh.id,
        "mutual_assistance",
        None,
        direction="incoming",
        requesting_authority="",
        requested_authority="A05",
    )
    service.change_status(db_session, LAN, theirs, "answered", now=NOW + timedelta(days=5))
    service.change_status(db_session, LAN, quick, "answered", now=NOW + timedelta(days=2))
    service.change_status(db_session, LAN, slow, "answered", now=NOW + timedelta(days=4))
    service.change_status(db_session, LAN, other, "refused", now=NOW + timedelta(days=10))
    view = service.overview(db_session, LAN, now=datetime(2027, 1, 25, 3, tzinfo=UTC))
    assert (view.overdue_count, view.lapsing_count) == (1, 1)
    assert [r.reference for r in view.overdue] == [late]
    assert [r.reference for r in view.lapsing] == [soon]
    times = [(t.country, t.direction, t.answered, round(t.average_days, 3))
             for t in view.answer_times]  # fmt: skip
    # How fast each country answers us, and how fast we answer each country's requests.
    assert times == [
        ("GB", "outgoing", 2, 3.0), ("KH", "outgoing", 1, 10.0), ("KH", "incoming", 1, 5.0)
    ]  # fmt: skip
    nobody = service.overview(db_session, None, now=NOW)
    assert (nobody.overdue_count, nobody.lapsing_count, nobody.answer_times) == (0, 0, [])


def test_only_staff_read_requests(db_session: Session) -> None:
    made = service.create_request(db_session, LAN, preservation(requested_authority="FBI"))
    for caller in (
        Principal(2, "p", Role.PARTNER, "token", partner_id=1),
        Principal(3, "b", Role.PLATFORM, "token", organisation_id=1),
        ReportHolder(1),
        None,
    ):
        with pytest.raises(NotFound):
            service.get_request(db_session, caller, made.reference)
        assert service.list_requests(db_session, caller, Filters()).total == 0


def test_keyset_pages_and_filters(db_session: Session) -> None:
    refs = [
        service.create_request(
            db_session, LAN, preservation(requested_authority="FBI"), now=NOW
        ).reference
        for _ in range(5)
    ]
    first = service.list_requests(db_session, LAN, Filters(type="preservation"), size=2)
    assert [r.reference for r in first.rows] == refs[:-3:-1]
    assert (first.total, first.previous_cursor) == (5, None)
    second = service.list_requests(db_session, LAN, Filters(), first.next_cursor, size=2)
    assert [r.reference for r in second.rows] == [refs[2], refs[1]]
    back = service.list_requests(db_session, LAN, Filters(), second.previous_cursor, size=2)
    assert [r.reference for r in back.rows] == [refs[4], refs[3]]
    assert service.list_requests(db_session, LAN, Filters(status="sent")).total == 0
    with pytest.raises(InvalidInput):
        service.list_requests(db_session, LAN, Filters(status="nonsense"))


def test_numbers_go_on_past_four_digits(db_session: Session) -> None:
    from tipline.cooperation.models import CooperationRequest

    for number in (9999, 10000):
        db_session.add(
            CooperationRequest(
                reference=core.format_reference(2026, number), direction="outgoing",
                type="disclosure", requesting_authority="A05", requested_authority="FBI",
                created_by="analyst:lan",
            )
        )  # fmt: skip
    db_session.flush()
    made = service.create_request(db_session, LAN, preservation(requested_authority="FBI"), now=NOW)
    assert made.reference == "COOP-2026-10001"
