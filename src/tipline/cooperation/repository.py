"""Every query of cooperation requests. Staff read them all; nobody else reads any (a partner
abroad receives a request as a document through its own channels, not from tipline's pages).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, cast
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Date,
    Exists,
    Select,
    Table,
    bindparam,
    case,
    false,
    func,
    select,
    true,
)
from sqlalchemy.orm import Session

from tipline.cooperation.core import OPEN_STATUSES, REFERENCE_PREFIX
from tipline.cooperation.models import CooperationEvent, CooperationLink, CooperationRequest
from tipline.cursors import Keyset
from tipline.db import serialise_appends
from tipline.indicators.models import IndicatorRecord
from tipline.indicators.repository import indicator_scope
from tipline.partners.models import Partner
from tipline.principals import Caller, is_staff
from tipline.reports.models import Report


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


def events_of(session: Session, request_id: int) -> list[CooperationEvent]:
    stmt = select(CooperationEvent).where(CooperationEvent.request_id == request_id)
    return list(session.scalars(stmt.order_by(CooperationEvent.at, CooperationEvent.id)))


@dataclass(frozen=True, slots=True)
class Filters:
    direction: str | None = None
    type: str | None = None
    status: str | None = None
    partner_id: int | None = None
    case_id: int | None = None


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
        (CooperationRequest.case_id, filters.case_id),
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
    direction: str  # outgoing: how fast that country answers us; incoming: how fast we answer it
    answered: int
    average_days: float


def answer_times(session: Session, caller: Caller) -> list[CountryTimes]:
    """Per country of the partner and direction, how many requests were answered and the
    average days from sending (or receiving) to the answer (one grouped query)."""
    days = _days_between(session, CooperationRequest.sent_at, CooperationRequest.answered_at)
    country, direction = Partner.country, CooperationRequest.direction
    stmt = (
        select(country, direction, func.count(CooperationRequest.id), func.avg(days))
        .select_from(CooperationRequest)
        .outerjoin(Partner, Partner.id == CooperationRequest.partner_id)
        .where(
            readable_condition(caller),
            CooperationRequest.sent_at.is_not(None),
            CooperationRequest.answered_at.is_not(None),
        )
        .group_by(country, direction)
        .order_by(country, direction.desc())
    )
    return [CountryTimes(c, d, int(n), float(avg or 0)) for c, d, n, avg in session.execute(stmt)]


def count_overdue_and_lapsing(
    session: Session, caller: Caller, today: date, until: date
) -> tuple[int, int]:
    """(open requests past their deadline, open preservations lapsing by `until`), one query."""
    open_ = CooperationRequest.status.in_(OPEN_STATUSES)
    late = func.sum(case((open_ & (CooperationRequest.deadline < today), 1), else_=0))
    soon = func.sum(case((open_ & (CooperationRequest.preserved_until <= until), 1), else_=0))
    row = session.execute(select(late, soon).where(readable_condition(caller))).one()
    return int(row[0] or 0), int(row[1] or 0)


@dataclass(frozen=True, slots=True)
class LinkRow:
    """A link as the request's page shows it: what it names, and how a person names it."""

    kind: str  # core.LINK_KINDS
    key: str  # what the removal form sends back: a report's code, a campaign's uid, an id
    report_id: int | None
    campaign_uid: UUID | None
    indicator_id: int | None
    label: str  # the report's tracking code, the indicator as `kind: value`; "" for a campaign


def described_links(session: Session, request_id: int) -> list[LinkRow]:
    """The request's links with their reports' codes and indicators' values (one query)."""
    stmt = (
        select(CooperationLink, Report.code, IndicatorRecord.kind, IndicatorRecord.value)
        .outerjoin(Report, Report.id == CooperationLink.report_id)
        .outerjoin(IndicatorRecord, IndicatorRecord.id == CooperationLink.indicator_id)
        .where(CooperationLink.request_id == request_id)
        .order_by(CooperationLink.id)
    )
    rows = []
    for link, code, kind, value in session.execute(stmt):
        if link.report_id is not None:
            rows.append(LinkRow("report", code, link.report_id, None, None, code))
        elif link.campaign_uid is not None:
            uid = link.campaign_uid
            rows.append(LinkRow("campaign", str(uid), None, uid, None, ""))
        elif link.indicator_id is not None:
            label = f"{kind}: {value}"
            rows.append(LinkRow("indicator", str(link.indicator_id), None, None,
                                link.indicator_id, label))  # fmt: skip
    return rows


def link_of(
    session: Session,
    request_id: int,
    *,
    report_id: int | None = None,
    campaign_uid: UUID | None = None,
    indicator_id: int | None = None,
) -> CooperationLink | None:
    """The request's link to exactly that report, campaign or indicator, if there is one."""
    stmt = select(CooperationLink).where(
        CooperationLink.request_id == request_id,
        CooperationLink.report_id.is_(None) if report_id is None
        else CooperationLink.report_id == report_id,
        CooperationLink.campaign_uid.is_(None) if campaign_uid is None
        else CooperationLink.campaign_uid == campaign_uid,
        CooperationLink.indicator_id.is_(None) if indicator_id is None
        else CooperationLink.indicator_id == indicator_id,
    )  # fmt: skip
    return session.scalars(stmt.limit(1)).first()


def indicator_id_of(session: Session, caller: Caller, kind: str, value: str) -> int | None:
    """The stored indicator of this kind and canonical value, if the caller may read it."""
    stmt = select(IndicatorRecord.id).where(
        IndicatorRecord.kind == kind, IndicatorRecord.value == value, indicator_scope(caller)
    )
    return session.scalar(stmt)


def readable_indicator_id(session: Session, caller: Caller, indicator_id: int) -> int | None:
    stmt = select(IndicatorRecord.id).where(
        IndicatorRecord.id == indicator_id, indicator_scope(caller)
    )
    return session.scalar(stmt)


def overdue_unreminded(session: Session, today: date, limit: int) -> list[CooperationRequest]:
    """Open requests past their deadline not yet reminded of that deadline."""
    stmt = select(CooperationRequest).where(
        CooperationRequest.status.in_(OPEN_STATUSES),
        CooperationRequest.deadline < today,
        (CooperationRequest.reminded_deadline.is_(None))
        | (CooperationRequest.reminded_deadline != CooperationRequest.deadline),
    )
    order = (CooperationRequest.deadline, CooperationRequest.id)
    return list(session.scalars(stmt.order_by(*order).limit(limit)))


def lapsing_unreminded(session: Session, until: date, limit: int) -> list[CooperationRequest]:
    """Held preservations lapsing by `until` not yet reminded of that end."""
    stmt = select(CooperationRequest).where(
        CooperationRequest.status.in_(OPEN_STATUSES),
        CooperationRequest.preserved_until <= until,
        (CooperationRequest.reminded_lapse.is_(None))
        | (CooperationRequest.reminded_lapse != CooperationRequest.preserved_until),
    )
    order = (CooperationRequest.preserved_until, CooperationRequest.id)
    return list(session.scalars(stmt.order_by(*order).limit(limit)))


def reminded(
    session: Session, caller: Caller, today: date, until: date, limit: int
) -> list[CooperationRequest]:
    """The reminders still standing, as the analysts' queue shows them: open requests reminded
    of the deadline they are past, and held preservations reminded of the end they near; the
    soonest date first."""
    statement = _reminded_statement(is_staff(caller), limit)
    return list(session.scalars(statement, {"today": today, "until": until}))


@lru_cache(maxsize=2)
def any_reminded(staff: bool) -> Exists:
    """Whether `reminded` finds anything for staff (or others), as a clause to ask together
    with others in one statement (parameters `today` and `until`); built once."""
    return _reminded_statement(staff, 1).exists()


@lru_cache(maxsize=4)
def _reminded_statement(staff: bool, limit: int) -> Select[CooperationRequest]:
    # Built once, the days as parameters: every queue page asks, and building the statement
    # (its cache key) cost twice what running it did (issue 10's figures).
    today = bindparam("today", type_=Date())
    until = bindparam("until", type_=Date())
    late = (CooperationRequest.deadline < today) & (
        CooperationRequest.reminded_deadline == CooperationRequest.deadline
    )
    soon = (CooperationRequest.preserved_until <= until) & (
        CooperationRequest.reminded_lapse == CooperationRequest.preserved_until
    )
    first = func.coalesce(CooperationRequest.preserved_until, CooperationRequest.deadline)
    statement = select(CooperationRequest).where(
        true() if staff else false(), CooperationRequest.status.in_(OPEN_STATUSES), late | soon
    )
    return statement.order_by(first, CooperationRequest.id).limit(limit)
