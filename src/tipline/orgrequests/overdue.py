"""The overdue overview's queries: how many requests each organisation has let pass their due
time (sent or seen, past due), most first, and the longest overdue requests.

Both read the index on (status, due_at, organisation_id) and never the whole table: the counts
from the index alone, the longest as one short ordered walk per open status, merged (an `IN`
over the statuses would have to sort every overdue request to find the first few).
bench/org_requests.py times them on 100,000 requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import ColumnElement, Exists, Select, bindparam, func, select, true, union_all
from sqlalchemy.orm import Session

from tipline.orgrequests.core import OPEN_STATUSES
from tipline.orgrequests.models import OrgRequest
from tipline.orgrequests.repository import readable_condition
from tipline.partners.models import Organisation
from tipline.principals import Caller, is_staff


@dataclass(frozen=True, slots=True)
class OverdueCount:
    organisation_id: int
    organisation: str
    overdue: int


@dataclass(frozen=True, slots=True)
class Overdue:
    reference: str
    type: str
    due_at: datetime
    organisation: str


def overdue_counts(session: Session, caller: Caller, now: datetime) -> list[OverdueCount]:
    """Each organisation's overdue requests that this caller may read, most first."""
    counted = (
        select(OrgRequest.organisation_id, func.count().label("overdue"))
        .where(OrgRequest.status.in_(OPEN_STATUSES), OrgRequest.due_at < now)
        .where(readable_condition(caller))
        .group_by(OrgRequest.organisation_id)
        .subquery()
    )
    statement = (
        select(counted.c.organisation_id, Organisation.name, counted.c.overdue)
        .join(Organisation, Organisation.id == counted.c.organisation_id)
        .order_by(counted.c.overdue.desc(), Organisation.name)
    )
    return [OverdueCount(*row) for row in session.execute(statement)]


def longest_overdue(session: Session, caller: Caller, now: datetime, limit: int) -> list[Overdue]:
    """The `limit` requests this caller may read that are overdue the longest."""
    if is_staff(caller):
        statement = _staff_longest(limit)
    else:
        statement = _longest(readable_condition(caller), limit)
    return [
        Overdue(reference, kind, due, name)
        for reference, kind, due, name in session.execute(statement, {"now": now})
        if due is not None  # always: overdue requests have a due time
    ]


@lru_cache(maxsize=1)
def any_overdue_for_staff() -> Exists:
    """Whether `longest_overdue` finds anything for staff, as a clause to ask together with
    others in one statement (parameter `now`); built once."""
    return _staff_longest(1).exists()


@lru_cache(maxsize=8)
def _staff_longest(limit: int) -> Select[str, str, datetime | None, str]:
    # Built once: every queue page asks, and building it cost more than running it. Staff read
    # every request (`readable_condition` is true for each of them).
    return _longest(true(), limit)


def _longest(condition: ColumnElement[bool], limit: int) -> Select[str, str, datetime | None, str]:
    """The longest overdue requests under `condition`, overdue at the parameter `now`."""
    now = bindparam("now", type_=OrgRequest.__table__.c.due_at.type)
    walks = [
        select(OrgRequest.id, OrgRequest.due_at)
        .where(OrgRequest.status == status, OrgRequest.due_at < now, condition)
        .order_by(OrgRequest.due_at, OrgRequest.id)
        .limit(limit)
        .subquery()
        for status in OPEN_STATUSES
    ]
    first = union_all(*(select(walk.c.id, walk.c.due_at) for walk in walks)).subquery()
    chosen = select(first.c.id).order_by(first.c.due_at, first.c.id).limit(limit).subquery()
    return (
        select(OrgRequest.reference, OrgRequest.type, OrgRequest.due_at, Organisation.name)
        .join(chosen, chosen.c.id == OrgRequest.id)
        .join(Organisation, Organisation.id == OrgRequest.organisation_id)
        .order_by(OrgRequest.due_at, OrgRequest.id)
    )
