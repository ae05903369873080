"""Every query of requests to organisations. Who may read which request is decided here, in
the statement, from the caller: staff read every request; an organisation's user (role
`platform`, or its token) only the requests sent to its organisation, never a draft; anyone else
nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Exists,
    Select,
    and_,
    bindparam,
    case,
    false,
    func,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from tipline.campaigns.models import Campaign, CampaignReport
from tipline.cases.models import CaseCampaign, CaseReport
from tipline.evidence.models import Evidence
from tipline.indicators.models import IndicatorRecord, ReportIndicator
from tipline.orgrequests.core import OPEN_STATUSES, RequestStatus
from tipline.orgrequests.models import OrgRequest, OrgRequestEvent, OrgRequestFile, OrgRequestLine
from tipline.partners.models import Organisation
from tipline.principals import Caller, Principal, Role, is_staff
from tipline.reports.models import Report


def readable_condition(caller: Caller) -> ColumnElement[bool]:
    """What this caller may read of `org_request`, as a condition of its query."""
    if is_staff(caller):
        return true()
    if isinstance(caller, Principal) and caller.role is Role.PLATFORM and caller.organisation_id:
        return and_(
            OrgRequest.organisation_id == caller.organisation_id,
            OrgRequest.status.not_in([RequestStatus.DRAFT.value, RequestStatus.CANCELLED.value]),
        )
    return false()


def readable_requests(caller: Caller) -> Select[OrgRequest]:
    """The requests this caller may read, newest first; callers add filters and limits."""
    return (
        select(OrgRequest)
        .where(readable_condition(caller))
        .order_by(OrgRequest.created_at.desc(), OrgRequest.id.desc())
    )


def readable_request(session: Session, caller: Caller, reference: str) -> OrgRequest | None:
    """One request by its reference, if this caller may read it (None: absent or not theirs,
    which the caller answers alike, so that a reference's existence does not leak)."""
    statement = select(OrgRequest).where(
        OrgRequest.reference == reference, readable_condition(caller)
    )
    return session.scalars(statement).one_or_none()


def listed_requests(
    session: Session, caller: Caller, status: str | None, organisation_id: int | None,
    limit: int, now: datetime,
) -> list[OrgRequest]:  # fmt: skip
    """The caller's requests, newest first (an index walk that stops at the page); `status`
    `overdue`: sent or seen past due, the longest overdue first."""
    if status == "overdue":
        return _overdue(session, caller, organisation_id, limit, now)
    statement = readable_requests(caller)
    if status:
        statement = statement.where(OrgRequest.status == status)
    if organisation_id is not None:
        statement = statement.where(OrgRequest.organisation_id == organisation_id)
    return list(session.scalars(statement.limit(limit)))


def _overdue(
    session: Session, caller: Caller, organisation_id: int | None, limit: int, now: datetime
) -> list[OrgRequest]:
    """One short walk in due order per open status, merged (an `IN` over the statuses would
    sort every overdue request to find the first few; see `tipline.orgrequests.overdue`)."""
    walks = []
    for status in OPEN_STATUSES:
        walk = select(OrgRequest.id, OrgRequest.due_at).where(
            OrgRequest.status == status, OrgRequest.due_at < now, readable_condition(caller)
        )
        if organisation_id is not None:
            walk = walk.where(OrgRequest.organisation_id == organisation_id)
        walks.append(walk.order_by(OrgRequest.due_at, OrgRequest.id).limit(limit).subquery())
    first = union_all(*(select(w.c.id, w.c.due_at) for w in walks)).subquery()
    chosen = select(first.c.id).order_by(first.c.due_at, first.c.id).limit(limit)
    statement = (
        select(OrgRequest)
        .where(OrgRequest.id.in_(chosen))
        .order_by(OrgRequest.due_at, OrgRequest.id)
    )
    return list(session.scalars(statement))


def auto_drafts(session: Session, limit: int) -> list[OrgRequest]:
    """The freeze requests tipline drafted that wait for an analyst's click, newest first."""
    return list(session.scalars(_auto_drafts_statement(limit)))


@lru_cache(maxsize=1)
def any_auto_drafts() -> Exists:
    """Whether `auto_drafts` finds anything, as a clause to ask together with others in one
    statement; built once."""
    return _auto_drafts_statement(1).exists()


@lru_cache(maxsize=8)
def _auto_drafts_statement(limit: int) -> Any:
    # Built once: every queue page asks, and building it cost more than running it.
    return (
        select(OrgRequest)
        .where(OrgRequest.status == RequestStatus.DRAFT.value, OrgRequest.auto_drafted)
        .order_by(OrgRequest.created_at.desc(), OrgRequest.id.desc())
        .limit(limit)
    )


def lines_of(session: Session, request_id: int) -> list[OrgRequestLine]:
    statement = select(OrgRequestLine).where(OrgRequestLine.request_id == request_id)
    return list(session.scalars(statement.order_by(OrgRequestLine.id)))


def events_of(session: Session, request_id: int) -> list[OrgRequestEvent]:
    statement = select(OrgRequestEvent).where(OrgRequestEvent.request_id == request_id)
    return list(session.scalars(statement.order_by(OrgRequestEvent.at, OrgRequestEvent.id)))


def organisation(session: Session, organisation_id: int) -> Organisation | None:
    return session.get(Organisation, organisation_id)


def organisation_names(session: Session, ids: Sequence[int]) -> dict[int, str]:
    statement = select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
    return {ident: name for ident, name in session.execute(statement)}


def bank_by_code(session: Session, codes: Sequence[str]) -> dict[str, Organisation]:
    statement = select(Organisation).where(Organisation.bank_code.in_(codes))
    return {o.bank_code or "": o for o in session.scalars(statement)}


def answering_organisations(session: Session) -> list[Organisation]:
    """The organisations that name phone prefixes or domains (a few dozen at most)."""
    statement = select(Organisation).where(
        (Organisation.phone_prefixes != "") | (Organisation.domains != "")
    )
    return list(session.scalars(statement.order_by(Organisation.id)))


@dataclass(frozen=True, slots=True)
class Named:
    """An indicator named by reports: what a request line is made of."""

    indicator_id: int
    kind: str
    value: str
    amount: Decimal | None
    transfer_times: list[datetime]


def _named(
    session: Session, reports: Select[Any], kind: str | None, prefix: str | None
) -> list[Named]:
    """The indicators the reports of `reports` (a statement of report ids) name, not the
    reporters' own nor allowlisted, with their losses summed and their transfer times."""
    statement = (
        select(
            IndicatorRecord.id,
            IndicatorRecord.kind,
            IndicatorRecord.value,
            Report.loss_amount,
            Report.occurred_at,
        )  # fmt: skip
        .join(ReportIndicator, ReportIndicator.indicator_id == IndicatorRecord.id)
        .join(Report, Report.id == ReportIndicator.report_id)
        .where(
            ReportIndicator.report_id.in_(reports),
            ~ReportIndicator.reporter_own,
            ~IndicatorRecord.allowlisted,
        )
        .order_by(IndicatorRecord.id, Report.id)
    )
    if kind is not None:
        statement = statement.where(IndicatorRecord.kind == kind)
    if prefix is not None:
        statement = statement.where(IndicatorRecord.value.startswith(prefix, autoescape=True))
    found: dict[int, Named] = {}
    for ident, k, value, loss, occurred in session.execute(statement):
        named = found.setdefault(ident, Named(ident, k, value, None, []))
        if loss is not None:
            found[ident] = Named(ident, k, value, (named.amount or Decimal(0)) + loss,
                                 named.transfer_times)  # fmt: skip
        if occurred is not None:
            named.transfer_times.append(occurred)
    return list(found.values())


def report_indicators(session: Session, report_id: int) -> list[Named]:
    return _named(session, select(Report.id).where(Report.id == report_id), None, None)


def campaign_label(session: Session, uid: UUID) -> int | None:
    return session.scalar(select(Campaign.label).where(Campaign.uid == uid))


def campaign_indicators(
    session: Session, label: int, kind: str | None = None, prefix: str | None = None
) -> list[Named]:
    reports = select(CampaignReport.report_id).where(CampaignReport.campaign_id == label)
    return _named(session, reports, kind, prefix)


def case_indicators(session: Session, case_id: int) -> list[Named]:
    """What the case's reports and the reports of its campaigns name."""
    labels = (
        select(Campaign.label)
        .join(CaseCampaign, CaseCampaign.campaign_uid == Campaign.uid)
        .where(CaseCampaign.case_id == case_id)
    )
    reports = (
        select(CaseReport.report_id)
        .where(CaseReport.case_id == case_id)
        .union(select(CampaignReport.report_id).where(CampaignReport.campaign_id.in_(labels)))
    )
    return _named(session, select(reports.subquery().c[0]), None, None)


def confirmed_campaign_accounts(
    session: Session, report_ids: Sequence[int]
) -> list[tuple[int, int, str]]:
    """(report, indicator, account) for each account these reports name that an analyst
    confirmed in another report of the same campaign: one query for the batch."""
    statement = _confirmed_campaign_accounts()
    return [(r, i, v) for r, i, v in session.execute(statement, {"ids": list(report_ids)})]


@lru_cache(maxsize=1)
def _confirmed_campaign_accounts() -> Select[int, int, str]:
    """`confirmed_campaign_accounts`' query, the reports a parameter: built once (building it,
    two aliases adapted into it, cost more than running it on every report naming an account)."""
    other, other_place = aliased(ReportIndicator), aliased(CampaignReport)
    confirmed_elsewhere = (
        select(other.report_id)
        .join(other_place, other_place.report_id == other.report_id)
        .where(
            other.indicator_id == ReportIndicator.indicator_id,
            other.confirmed,
            other.report_id != ReportIndicator.report_id,
            other_place.campaign_id == CampaignReport.campaign_id,
        )
        .exists()
    )
    return (
        select(ReportIndicator.report_id, IndicatorRecord.id, IndicatorRecord.value)
        .join(IndicatorRecord, IndicatorRecord.id == ReportIndicator.indicator_id)
        .join(CampaignReport, CampaignReport.report_id == ReportIndicator.report_id)
        .where(
            ReportIndicator.report_id.in_(bindparam("ids", expanding=True)),
            IndicatorRecord.kind == "bank_account",
            ~ReportIndicator.reporter_own,
            confirmed_elsewhere,
        )
        .order_by(ReportIndicator.report_id, IndicatorRecord.id)
    )


def report_facts(session: Session, report_id: int) -> tuple[Decimal | None, datetime | None]:
    statement = select(Report.loss_amount, Report.occurred_at).where(Report.id == report_id)
    row = session.execute(statement).one()
    return row[0], row[1]


def requests_for_report(
    session: Session, report_id: int
) -> list[tuple[OrgRequest, str, list[OrgRequestLine]]]:
    """The sent requests about one report (from it, or naming what it names), with the
    organisation's name and the lines about this report's indicators only."""
    own = select(ReportIndicator.indicator_id).where(
        ReportIndicator.report_id == report_id, ~ReportIndicator.reporter_own
    )
    lines = select(OrgRequestLine.request_id).where(OrgRequestLine.indicator_id.in_(own))
    statement = (
        select(OrgRequest, Organisation.name)
        .join(Organisation, Organisation.id == OrgRequest.organisation_id)
        .where(
            (OrgRequest.report_id == report_id) | OrgRequest.id.in_(lines),
            OrgRequest.status.in_((*OPEN_STATUSES, RequestStatus.ANSWERED.value)),
        )
        .order_by(OrgRequest.sent_at, OrgRequest.id)
    )
    found = [(request, name) for request, name in session.execute(statement)]
    if not found:
        return []
    own_lines = select(OrgRequestLine).where(
        OrgRequestLine.request_id.in_([r.id for r, _ in found]),
        OrgRequestLine.indicator_id.in_(own),
    )
    by_request: dict[int, list[OrgRequestLine]] = {}
    for line in session.scalars(own_lines):
        by_request.setdefault(line.request_id, []).append(line)
    return [(request, name, by_request.get(request.id, [])) for request, name in found]


def overdue_unreminded(session: Session, now: datetime, limit: int) -> list[OrgRequest]:
    """Open requests past due that have not been reminded since they fell due."""
    reminded = (
        select(OrgRequestEvent.id)
        .where(
            OrgRequestEvent.request_id == OrgRequest.id,
            OrgRequestEvent.action == "reminded",
            OrgRequestEvent.at >= OrgRequest.due_at,
        )
        .exists()
    )
    statement = (
        select(OrgRequest)
        .where(OrgRequest.status.in_(OPEN_STATUSES), OrgRequest.due_at < now, ~reminded)
        .order_by(OrgRequest.due_at, OrgRequest.id)
        .limit(limit)
    )
    return list(session.scalars(statement))


def _sent(organisation_id: int | None, since: datetime | None) -> list[ColumnElement[bool]]:
    """Requests sent (since then, to that organisation, when given)."""
    where: list[ColumnElement[bool]] = [OrgRequest.sent_at.is_not(None)]
    if since is not None:
        where.append(OrgRequest.sent_at >= since)
    if organisation_id is not None:
        where.append(OrgRequest.organisation_id == organisation_id)
    return where


def _tally(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def request_tallies(
    session: Session, now: datetime, organisation_id: int | None, since: datetime | None
) -> list[Any]:
    """Per organisation, aggregated in the database: (organisation, sent, answered, open,
    overdue, amount frozen, done, refused) of the requests sent (since then)."""
    open_ = OrgRequest.status.in_(OPEN_STATUSES)
    statement = (
        select(
            OrgRequest.organisation_id,
            func.count(),
            func.count(OrgRequest.answered_at),
            _tally(open_),
            _tally(and_(open_, OrgRequest.due_at < now)),
            func.coalesce(func.sum(OrgRequest.amount_frozen), 0),
            _tally(OrgRequest.outcome.in_(("done", "partly_done"))),
            _tally(OrgRequest.outcome == "refused"),
        )  # fmt: skip
        .where(*_sent(organisation_id, since))
        .group_by(OrgRequest.organisation_id)
    )
    return list(session.execute(statement))


def _hours(session: Session, start: Any, end: Any) -> ColumnElement[Any]:
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", end - start) / 3600.0
    return (func.julianday(end) - func.julianday(start)) * 24.0


def median_hours(
    session: Session, start: Any, end: Any, organisation_id: int | None, since: datetime | None
) -> dict[int, float]:
    """Per organisation, the median hours from `start` to `end` (sent to seen, sent to
    answered) of the requests sent (since then), in the database: the middle row (or the mean
    of the two middle rows) of each organisation's spans, in order."""
    organisation = OrgRequest.organisation_id
    span = _hours(session, start, end)
    ranked = (
        select(
            organisation.label("organisation"),
            span.label("span"),
            func.row_number().over(partition_by=organisation, order_by=span).label("rank"),
            func.count().over(partition_by=organisation).label("total"),
        )  # fmt: skip
        .where(*_sent(organisation_id, since), start.is_not(None), end.is_not(None))
        .subquery()
    )
    middle = or_(
        ranked.c.rank == (ranked.c.total + 1) // 2, ranked.c.rank == (ranked.c.total + 2) // 2
    )
    statement = (
        select(ranked.c.organisation, func.avg(ranked.c.span))
        .where(middle)
        .group_by(ranked.c.organisation)
    )
    return {row[0]: float(row[1]) for row in session.execute(statement)}


def add(session: Session, *records: Any) -> None:
    session.add_all(records)
    session.flush()


def files_with_hashes(session: Session, request_id: int) -> list[tuple[OrgRequestFile, str]]:
    statement = (
        select(OrgRequestFile, Evidence.sha256)
        .join(Evidence, Evidence.id == OrgRequestFile.evidence_id)
        .where(OrgRequestFile.request_id == request_id)
        .order_by(OrgRequestFile.id)
    )
    return [(f, sha) for f, sha in session.execute(statement)]
