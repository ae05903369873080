"""Who answers how fast, aggregated in the database: counts, medians (odd and even numbers of
spans), amounts frozen, and the time window, against figures worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import count

from sqlalchemy.orm import Session
from tests.orgrequests.conftest import Desk

from tipline.orgrequests.models import OrgRequest
from tipline.orgrequests.outcomes import organisation_figures

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)
HOUR = timedelta(hours=1)
_numbers = count(1)


def sent(
    session: Session, organisation_id: int, days_ago: float, seen: float | None = None,
    answered: float | None = None, outcome: str | None = None, frozen: int | None = None,
    due_in: float = 24,
) -> None:  # fmt: skip
    """A request sent `days_ago`, seen and answered that many hours after it was sent."""
    at = NOW - timedelta(days=days_ago)
    status = "answered" if answered is not None else ("seen" if seen is not None else "sent")
    session.add(OrgRequest(
        reference=f"YC-T-{next(_numbers)}", organisation_id=organisation_id, type="freeze",
        status=status, created_by="analyst:lan", created_at=at, sent_at=at,
        seen_at=None if seen is None else at + seen * HOUR, due_at=at + due_in * HOUR,
        answered_at=None if answered is None else at + answered * HOUR, outcome=outcome,
        amount_frozen=None if frozen is None else Decimal(frozen),
    ))  # fmt: skip


def test_the_figures_are_aggregated_per_organisation(db_session: Session, desk: Desk) -> None:
    vcb, tcb = desk.vcb.id, desk.tcb.id
    sent(db_session, vcb, 3, seen=0.5, answered=1, outcome="done", frozen=1_000_000)
    sent(db_session, vcb, 4, seen=1, answered=2, outcome="partly_done", frozen=2_000_000)
    sent(db_session, vcb, 5, seen=1.5, answered=10, outcome="refused")
    sent(db_session, vcb, 2, due_in=1)  # open, overdue
    sent(db_session, vcb, 0.01, due_in=24)  # open, not yet due
    sent(db_session, tcb, 1, seen=1, answered=1, outcome="done")
    sent(db_session, tcb, 1, seen=3, answered=4, outcome="not_ours")
    sent(db_session, tcb, 200, seen=100, answered=100, outcome="done")  # outside 90 days
    db_session.add(OrgRequest(reference="YC-T-draft", organisation_id=vcb, type="freeze",
                              status="draft", created_by="analyst:lan"))  # fmt: skip
    db_session.flush()

    shown = organisation_figures(db_session, now=NOW, since=NOW - timedelta(days=90))
    assert [(f.organisation, f.sent, f.answered, f.open, f.overdue, f.done, f.refused)
            for f in shown] == [
        ("Vietcombank", 5, 3, 2, 1, 2, 1),
        ("Techcombank", 2, 2, 0, 0, 1, 0),
    ]  # fmt: skip
    vietcombank, techcombank = shown
    assert (vietcombank.median_hours_to_seen, vietcombank.median_hours_to_answer) == (1.0, 2.0)
    assert (techcombank.median_hours_to_seen, techcombank.median_hours_to_answer) == (2.0, 2.5)
    assert (vietcombank.amount_frozen, techcombank.amount_frozen) == (Decimal(3_000_000), 0)

    everything = organisation_figures(db_session, tcb, now=NOW)  # no window, one organisation
    assert [(f.sent, f.median_hours_to_seen, f.median_hours_to_answer) for f in everything] == [
        (3, 3.0, 4.0)
    ]
