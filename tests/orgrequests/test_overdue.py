"""The overdue overview: counts per organisation and the longest overdue, as the caller may
read them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from tipline.orgrequests.models import OrgRequest
from tipline.orgrequests.overdue import Overdue, OverdueCount, longest_overdue, overdue_counts
from tipline.partners import service as partners
from tipline.principals import Principal, Role

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)
ANALYST = Principal(1, "lan", Role.ANALYST, "session")


def ask(session: Session, reference: str, organisation_id: int, status: str, hours: int) -> None:
    """A request due `hours` before NOW (negative: not yet due)."""
    due = NOW - timedelta(hours=hours)
    session.add(OrgRequest(
        reference=reference, organisation_id=organisation_id, type="freeze", status=status,
        created_by="t", created_at=due - timedelta(hours=2), sent_at=due - timedelta(hours=2),
        due_at=due,
    ))  # fmt: skip
    session.flush()


def test_counts_and_the_longest_overdue(db_session: Session) -> None:
    vcb = partners.add_organisation(db_session, "cli:t", "Vietcombank", "bank")
    tcb = partners.add_organisation(db_session, "cli:t", "Techcombank", "bank")
    ask(db_session, "YC-1", vcb.id, "sent", 5)
    ask(db_session, "YC-2", vcb.id, "seen", 30)
    ask(db_session, "YC-3", vcb.id, "sent", -1)  # not yet due
    ask(db_session, "YC-4", vcb.id, "answered", 50)
    ask(db_session, "YC-5", tcb.id, "seen", 1)
    ask(db_session, "YC-6", tcb.id, "draft", 90)
    ask(db_session, "YC-7", vcb.id, "sent", 10)

    assert overdue_counts(db_session, ANALYST, NOW) == [
        OverdueCount(vcb.id, "Vietcombank", 3),
        OverdueCount(tcb.id, "Techcombank", 1),
    ]
    longest = longest_overdue(db_session, ANALYST, NOW, 3)
    assert [(o.reference, o.organisation) for o in longest] == [
        ("YC-2", "Vietcombank"), ("YC-7", "Vietcombank"), ("YC-1", "Vietcombank"),
    ]  # fmt: skip
    assert longest[0] == Overdue("YC-2", "freeze", NOW - timedelta(hours=30), "Vietcombank")
    assert [o.reference for o in longest_overdue(db_session, ANALYST, NOW, 10)] == [
        "YC-2", "YC-7", "YC-1", "YC-5",
    ]  # fmt: skip

    bank = Principal(2, "tcb", Role.PLATFORM, "token", organisation_id=tcb.id)
    assert overdue_counts(db_session, bank, NOW) == [OverdueCount(tcb.id, "Techcombank", 1)]
    assert [o.reference for o in longest_overdue(db_session, bank, NOW, 10)] == ["YC-5"]
    assert overdue_counts(db_session, None, NOW) == []
