"""The boxes above the analysts' queue: freeze requests drafted for one click (issue 15),
cooperation reminders that stand (issue 14) and requests to organisations past due.

Most queue pages have none of them, yet asking each for its rows cost three statements a page
(some 4 M instructions, issue 10's figures): one statement now asks whether each has anything,
and only a box that has is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tipline.cooperation.models import CooperationRequest
from tipline.cooperation.reminders import standing, standing_days
from tipline.cooperation.repository import any_reminded
from tipline.orgrequests.models import OrgRequest
from tipline.orgrequests.overdue import Overdue, any_overdue_for_staff, longest_overdue
from tipline.orgrequests.repository import any_auto_drafts
from tipline.orgrequests.service import waiting_drafts
from tipline.principals import Principal

OVERDUE_ROWS = 5  # requests to organisations past due, at the top of the queue


@dataclass(frozen=True, slots=True)
class QueueBoxes:
    drafts: list[tuple[OrgRequest, str]]  # freeze requests to send in one click
    reminders: list[tuple[CooperationRequest, str]]  # the hourly job's reminders
    overdue: list[Overdue]  # the requests to organisations overdue the longest


def queue_boxes(session: Session, caller: Principal, now: datetime) -> QueueBoxes:
    """What each box above the caller's queue holds (staff: the queue is theirs only)."""
    drafts = reminders = overdue = True
    if caller.is_staff:
        params: dict[str, Any] = {"now": now, **standing_days(now)}
        drafts, reminders, overdue = session.execute(_any_for_staff(), params).one()
    return QueueBoxes(
        waiting_drafts(session, caller) if drafts else [],
        standing(session, caller, now) if reminders else [],
        longest_overdue(session, caller, now, OVERDUE_ROWS) if overdue else [],
    )


@lru_cache(maxsize=1)
def _any_for_staff() -> Any:
    # Built once: building a statement (its cache key) costs more than running this one.
    return select(any_auto_drafts(), any_reminded(True), any_overdue_for_staff())
