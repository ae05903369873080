"""Every principal against every request to an organisation: decided in the query."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from tipline.orgrequests import repository
from tipline.orgrequests.core import due_at, is_overdue
from tipline.orgrequests.models import OrgRequest
from tipline.partners import service as partners
from tipline.principals import Caller, Principal, ReportHolder, Role

SENT = datetime(2026, 12, 1, 8, tzinfo=UTC)


def ask(session: Session, reference: str, organisation_id: int, status: str) -> None:
    session.add(
        OrgRequest(
            reference=reference,
            organisation_id=organisation_id,
            type="freeze",
            status=status,
            created_by="analyst:lan",
            created_at=SENT,
        )
    )
    session.flush()


def user(role: Role, organisation_id: int | None = None) -> Principal:
    return Principal(1, "u", role, "token", organisation_id=organisation_id)


def readable(session: Session, caller: Caller) -> set[str]:
    return {r.reference for r in session.scalars(repository.readable_requests(caller))}


def test_an_organisation_reads_only_its_own_sent_requests(db_session: Session) -> None:
    vcb = partners.add_organisation(db_session, "cli:t", "Vietcombank", "bank")
    tcb = partners.add_organisation(db_session, "cli:t", "Techcombank", "bank")
    ask(db_session, "YC-1", vcb.id, "sent")
    ask(db_session, "YC-2", vcb.id, "draft")
    ask(db_session, "YC-3", tcb.id, "answered")
    ask(db_session, "YC-4", vcb.id, "cancelled")

    assert readable(db_session, user(Role.ANALYST)) == {"YC-1", "YC-2", "YC-3", "YC-4"}
    assert readable(db_session, user(Role.PLATFORM, vcb.id)) == {"YC-1"}
    assert readable(db_session, user(Role.PLATFORM, tcb.id)) == {"YC-3"}
    for nobody in (user(Role.PLATFORM), user(Role.PARTNER), ReportHolder(1), None):
        assert readable(db_session, nobody) == set()
    assert repository.readable_request(db_session, user(Role.PLATFORM, tcb.id), "YC-1") is None
    found = repository.readable_request(db_session, user(Role.PLATFORM, vcb.id), "YC-1")
    assert found is not None
    assert found.reference == "YC-1"


def test_due_and_overdue() -> None:
    assert due_at(SENT, "freeze", None) == SENT + timedelta(hours=2)
    assert due_at(SENT, "freeze", {"freeze": 1}) == SENT + timedelta(hours=1)
    assert due_at(SENT, "disclose", {"freeze": 1}) == SENT + timedelta(hours=240)
    late = SENT + timedelta(hours=3)
    assert is_overdue("sent", SENT + timedelta(hours=2), late)
    assert is_overdue("seen", SENT + timedelta(hours=2), late)
    assert not is_overdue("answered", SENT + timedelta(hours=2), late)
    assert not is_overdue("sent", SENT + timedelta(hours=4), late)
