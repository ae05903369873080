"""Every query of cooperation requests. Staff read them all; nobody else reads any (a partner
abroad receives a request as a document through its own channels, not from tipline's pages).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, Table, case, false, func, select, true
from sqlalchemy.orm import Session

from tipline.cooperation.core import OPEN_STATUSES, REFERENCE_PREFIX
from tipline.cooperation.models import CooperationEvent, CooperationLink, CooperationRequest
from tipline.cursors import Keyset
from tipline.db import serialise_appends
from tipline.partners.models import Partner
from tipline.principals import Caller, is_staff


def readable_condition(caller: Caller) -> ColumnElement[bool]:
    return true() if is_staff(caller) else false()


def readable_requests(caller: Caller) -> Select[CooperationRequest]:
    """The cooperation requests this caller may read, newest first."""
    return (
        select(CooperationRequest)
        .where(readable_condition(caller))
        .order_by(CooperationRequest.created_at.desc(), CooperationRequest.id.desc())
    )


def readable_request(session: Session, caller: Caller, reference: str) -> CooperationRequest | None:
    statement = select(CooperationRequest).where(
        CooperationRequest.reference == reference, readable_condition(caller)
    )
    return session.scalars(statement).one_or_none()


# pg_advisory_xact_lock key of cooperation numbering ("tl coop!" as a 63-bit number).
NUMBERING_LOCK_KEY = 0x746C2063_6F6F7021


def lock_numbering(session: Session) -> None:
    """Hand out reference numbers one at a time, until this transaction ends."""
    serialise_appends(session, NUMBERING_LOCK_KEY, cast(Table, CooperationRequest.__table__))


def last_number(session: Session, year: int) -> int:
    """The highest number given this year (`COOP-2026-0042` → 42)."""
    prefix = f"{REFERENCE_PREFIX}-{year}-"
    # The longest, then the highest: `-10000` comes after `-9999`.
    found = session.scalar(
        select(CooperationRequest.reference)
        .where(CooperationRequest.reference.startswith(prefix))
        .order_by(
            func.length(CooperationRequest.reference).desc(), CooperationRequest.reference.desc()
        )
        .limit(1)
    )
    return int(found.rsplit("-", 1)[1]) if found else 0


def partner_of(session: Session, partner_id: int) -> Partner | None:
    return session.get(Partner, partner_id)


def partners(session: Session) -> list[Partner]:
    return list(session.scalars(select(Partner).order_by(Partner.name)))


def links_of(session: Session, request_id: int) -> list[CooperationLink]:
    stmt = select(CooperationLink).where(CooperationLink.request_id == request_id)
    return list(session.scalars(stmt.order_by(CooperationLink.id)))


def events_of(session: Session, request_id: int) -> list[CooperationEvent]:
    stmt = select(CooperationEvent).where(CooperationEvent.request_id == request_id)
    return list(session.scalars(stmt.order_by(CooperationEvent.at, CooperationEvent.id)))


@dataclass(frozen=True, slots=True)
class Filters:
    direction: str | None = None
    type: str | None = None
    status: str | None = None
    partner_id: int | None = None


def list_requests(
    session: Session, caller: Caller, filters: Filters, page: Keyset
) -> tuple[list[CooperationRequest], int]:
    """A keyset page of the caller's requests, newest (highest id) first, after or before the
    anchor id, up to `page.size + 1` in page order; and how many the filters keep."""
    conditions = [readable_condition(caller)]
    for column, value in (
        (CooperationRequest.direction, filters.direction),
        (CooperationRequest.type, filters.type),
        (CooperationRequest.status, filters.status),
        (CooperationRequest.partner_id, filters.partner_id),
    ):
        if value is not None:
            conditions.append(column == value)
    total = session.scalar(select(func.count(CooperationRequest.id)).where(*conditions)) or 0
    stmt = select(CooperationRequest).where(*conditions)
    if page.anchor is not None:
        anchor = page.anchor[0]
        newer, older = CooperationRequest.id > anchor, CooperationRequest.id < anchor
        stmt = stmt.where(newer if page.backwards else older)
    order = CooperationRequest.id.asc() if page.backwards else CooperationRequest.id.desc()
    found = list(session.scalars(stmt.order_by(order).limit(page.size + 1)))
    return found[::-1] if page.backwards else found, total


def overdue(
    session: Session, caller: Caller, today: date, limit: int | None = None
) -> list[CooperationRequest]:
    """Open requests past their deadline, the oldest deadline first."""
    stmt = select(CooperationRequest).where(
        readable_condition(caller),
        CooperationRequest.status.in_(OPEN_STATUSES),
        CooperationRequest.deadline < today,
    )
    order = (CooperationRequest.deadline, CooperationRequest.id)
    return list(session.scalars(stmt.order_by(*order).limit(limit)))


def lapsing(
    session: Session, caller: Caller, until: date, limit: int | None = None
) -> list[CooperationRequest]:
    """Open requests whose preservation lapses on or before `until` (already lapsed too), the
    soonest first."""
    stmt = select(CooperationRequest).where(
        readable_condition(caller),
        CooperationRequest.status.in_(OPEN_STATUSES),
        CooperationRequest.preserved_until <= until,
    )
    order = (CooperationRequest.preserved_until, CooperationRequest.id)
    return list(session.scalars(stmt.order_by(*order).limit(limit)))


def _days_between(session: Session, start: Any, end: Any) -> ColumnElement[Any]:
    """`end - start` in days, as the database computes it."""
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", end - start) / 86400.0
    return func.julianday(end) - func.julianday(start)


@dataclass(frozen=True, slots=True)
class CountryTimes:
    country: str | None  # ISO 3166-1 alpha-2 of the partner; None: an authority not on file
    answered: int
    average_days: float


def answer_times(session: Session, caller: Caller) -> list[CountryTimes]:
    """Per country of the partner, how many requests it answered and its average days from
    sending to answer (one grouped query)."""
    days = _days_between(session, CooperationRequest.sent_at, CooperationRequest.answered_at)
    stmt = (
        select(Partner.country, func.count(CooperationRequest.id), func.avg(days))
        .select_from(CooperationRequest)
        .outerjoin(Partner, Partner.id == CooperationRequest.partner_id)
        .where(
            readable_condition(caller),
            CooperationRequest.direction == "outgoing",
            CooperationRequest.sent_at.is_not(None),
            CooperationRequest.answered_at.is_not(None),
        )
        .group_by(Partner.country)
        .order_by(Partner.country)
    )
    return [CountryTimes(c, int(n), float(avg or 0)) for c, n, avg in session.execute(stmt)]


def count_overdue_and_lapsing(
    session: Session, caller: Caller, today: date, until: date
) -> tuple[int, int]:
    """(open requests past their deadline, open preservations lapsing by `until`), one query."""
    open_ = CooperationRequest.status.in_(OPEN_STATUSES)
    late = func.sum(case((open_ & (CooperationRequest.deadline < today), 1), else_=0))
    soon = func.sum(case((open_ & (CooperationRequest.preserved_until <= until), 1), else_=0))
    row = session.execute(select(late, soon).where(readable_condition(caller))).one()
    return int(row[0] or 0), int(row[1] or 0)
