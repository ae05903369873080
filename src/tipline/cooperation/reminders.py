"""Reminders of cooperation requests, given by the hourly job (`cooperation-reminders`): an
open request past its deadline, and a held preservation that lapses within a week.

A reminder is a step of the request's history and an audit entry, given once per deadline and
once per preservation end (an extension or a new deadline earns a new one). It is delivered to
the analysts at the top of their queue (`standing`), where it stays until the request is
answered, closed or extended; a partner abroad is reminded through the channels the request
went by, not by tipline.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from tipline.cases.core import local_today
from tipline.cooperation import repository
from tipline.cooperation.core import LAPSE_REMINDER_DAYS
from tipline.cooperation.models import CooperationRequest
from tipline.cooperation.service import record_step
from tipline.db_types import utc_now
from tipline.principals import Caller

ROUND_LIMIT = 200  # reminders of each kind a round; the next round takes the rest
QUEUE_ROWS = 10


def remind_due(session: Session, actor: str, now: datetime | None = None) -> list[str]:
    """Remind of every open request newly past its deadline and every held preservation newly
    within a week of lapsing: the references reminded (one per reminder)."""
    now = now or utc_now()
    today = local_today(now)
    given = []
    for request in repository.overdue_unreminded(session, today, ROUND_LIMIT):
        assert request.deadline is not None
        request.reminded_deadline = request.deadline
        given.append(_remind(session, actor, request, "overdue", "deadline", request.deadline, now))
    until = today + timedelta(days=LAPSE_REMINDER_DAYS)
    for request in repository.lapsing_unreminded(session, until, ROUND_LIMIT):
        assert request.preserved_until is not None
        request.reminded_lapse = request.preserved_until
        end = request.preserved_until
        given.append(_remind(session, actor, request, "lapsing", "until", end, now))
    return given


def _remind(
    session: Session,
    actor: str,
    request: CooperationRequest,
    why: str,
    name: str,
    day: date,
    now: datetime,
) -> str:
    """The reminder as a step of the request's history (and the audit log): its reference."""
    record_step(session, actor, request, "reminded", {"why": why, name: day.isoformat()}, now)
    return request.reference


def standing(
    session: Session, caller: Caller, now: datetime | None = None
) -> list[tuple[CooperationRequest, str]]:
    """The reminders given that still stand, with why (`overdue` or `lapsing`), for the
    analysts' queue: staff only, the soonest first."""
    days = standing_days(now)
    found = repository.reminded(session, caller, days["today"], days["until"], QUEUE_ROWS)
    return [(request, _why(request, days["until"])) for request in found]


def standing_days(now: datetime | None = None) -> dict[str, date]:
    """The days `standing` reads reminders for: `today`, and `until` which a lapse is near."""
    today = local_today(now or utc_now())
    return {"today": today, "until": today + timedelta(days=LAPSE_REMINDER_DAYS)}


def _why(request: CooperationRequest, until: date) -> str:
    """A lapse reminder when the preservation's end is what was reminded and still near."""
    end = request.preserved_until
    lapsing = end is not None and end == request.reminded_lapse and end <= until
    return "lapsing" if lapsing else "overdue"
