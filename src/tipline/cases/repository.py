"""Every query on cases: numbering, listing (overdue first), links, notes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    Table,
    case,
    delete,
    false,
    func,
    literal,
    select,
    true,
    tuple_,
)
from sqlalchemy.orm import Session

from tipline.campaigns.models import CampaignReport
from tipline.campaigns.repository import campaign_scope
from tipline.cases.models import Case, CaseCampaign, CaseNote, CaseReport
from tipline.cursors import Keyset
from tipline.db import serialise_appends
from tipline.principals import Caller, is_staff
from tipline.reports.models import Report
from tipline.reports.repository import readable_report, report_scope

# pg_advisory_xact_lock key of case numbering ("tipline cases" as a 63-bit number).
NUMBERING_LOCK_KEY = 0x7469706C_63617365
EXCERPT = 160
NO_DEADLINE = date(9999, 12, 31)  # sorts a case without a deadline after every other


def lock_numbering(session: Session) -> None:
    """Hand out case numbers one at a time, until this transaction ends."""
    serialise_appends(session, NUMBERING_LOCK_KEY, cast(Table, Case.__table__))


def last_number(session: Session, year: int) -> int:
    return session.scalar(select(func.max(Case.number)).where(Case.year == year)) or 0


def case_scope(caller: Caller) -> ColumnElement[bool]:
    """The condition that the caller may read cases: staff only (a case gathers victims'
    reports, notes and evidence for an investigation)."""
    return true() if is_staff(caller) else false()


def readable_cases(caller: Caller) -> Select[Any]:
    """The cases this caller may read, as a statement to narrow further."""
    return select(Case).where(case_scope(caller))


def get_case(session: Session, caller: Caller, case_id: int) -> Case | None:
    """One case, if it exists and the caller may read it."""
    return session.scalars(readable_cases(caller).where(Case.id == case_id)).one_or_none()


def case_by_number(session: Session, year: int, number: int) -> Case | None:
    return session.scalar(select(Case).where(Case.year == year, Case.number == number))


def _list_key(today: date) -> tuple[ColumnElement[Any], ...]:
    """A case's place in lists, ascending: overdue ones first, then by deadline (none last),
    then newest first."""
    overdue = case(((Case.deadline < today) & (Case.status != "closed"), 0), else_=1)
    return (overdue, func.coalesce(Case.deadline, literal(NO_DEADLINE, Date)), -Case.id)


def list_cases(
    session: Session,
    caller: Caller,
    today: date,
    status: str | None,
    assignee: str | None,
    page: Keyset,
) -> tuple[list[Case], int]:
    """A keyset page of the caller's cases in list order (`_list_key`) after or before the
    anchor case (`page.anchor`: its id), up to `page.size + 1` in page order, the extra one
    telling that there is more that way; and how many cases there are."""
    conditions = [case_scope(caller)]
    if status:
        conditions.append(Case.status == status)
    if assignee:
        conditions.append(Case.assignee == assignee)
    total = session.scalar(select(func.count()).select_from(Case).where(*conditions)) or 0
    key = _list_key(today)
    stmt = select(Case).where(*conditions)
    anchor = None
    if page.anchor is not None:
        anchor = session.execute(select(*key).where(Case.id == page.anchor[0])).first()
    if anchor is not None:
        place, there = tuple_(*key), tuple_(*anchor)
        stmt = stmt.where(place < there if page.backwards else place > there)
    order = [k.desc() for k in key] if page.backwards else list(key)
    found = list(session.scalars(stmt.order_by(*order).limit(page.size + 1)))
    return found[::-1] if page.backwards else found, total


def open_cases(session: Session, caller: Caller, limit: int) -> list[Case]:
    """Cases not closed, newest first: where a report or campaign may be merged."""
    stmt = readable_cases(caller).where(Case.status != "closed")
    stmt = stmt.order_by(Case.id.desc()).limit(limit)
    return list(session.scalars(stmt))


def assignees(session: Session) -> list[str]:
    stmt = select(Case.assignee).where(Case.assignee.is_not(None)).distinct()
    return sorted(name for name in session.scalars(stmt) if name)


def report_exists(session: Session, caller: Caller, report_id: int) -> bool:
    return readable_report(session, caller, report_id) is not None


def campaign_exists(session: Session, caller: Caller, campaign_id: int) -> bool:
    """Whether the campaign labelled `campaign_id` has a report the caller may read."""
    stmt = select(CampaignReport.report_id).where(
        CampaignReport.campaign_id == campaign_id, campaign_scope(caller)
    )
    return session.scalar(stmt.limit(1)) is not None


def has_report(session: Session, case_id: int, report_id: int) -> bool:
    return session.get(CaseReport, (case_id, report_id)) is not None


def add_report(session: Session, case_id: int, report_id: int, actor: str) -> None:
    session.add(CaseReport(case_id=case_id, report_id=report_id, added_by=actor))
    session.flush()


def remove_report(session: Session, case_id: int, report_id: int) -> int:
    stmt = delete(CaseReport).where(
        CaseReport.case_id == case_id, CaseReport.report_id == report_id
    )
    return session.execute(stmt).rowcount  # type: ignore[attr-defined]


def add_campaign(session: Session, case_id: int, uid: UUID, actor: str) -> None:
    session.add(CaseCampaign(case_id=case_id, campaign_uid=uid, added_by=actor))
    session.flush()


def remove_campaigns(session: Session, case_id: int, uids: Sequence[UUID]) -> int:
    stmt = delete(CaseCampaign).where(
        CaseCampaign.case_id == case_id, CaseCampaign.campaign_uid.in_(list(uids))
    )
    return session.execute(stmt).rowcount  # type: ignore[attr-defined]


def add_note(session: Session, case_id: int, author: str, text: str) -> CaseNote:
    note = CaseNote(case_id=case_id, author=author, text=text)
    session.add(note)
    session.flush()
    return note


def notes_of(session: Session, case_id: int) -> list[CaseNote]:
    stmt = select(CaseNote).where(CaseNote.case_id == case_id).order_by(CaseNote.id)
    return list(session.scalars(stmt))


@dataclass(frozen=True, slots=True)
class LinkedReport:
    id: int
    code: str
    created_at: datetime
    category: str
    urgency: str
    status: str
    excerpt: str
    added_by: str


def reports_of(session: Session, caller: Caller, case_id: int) -> list[LinkedReport]:
    stmt = (
        select(
            Report.id, Report.code, Report.created_at, Report.category, Report.urgency,
            Report.status, Report.narrative, CaseReport.added_by,
        )
        .join(CaseReport, CaseReport.report_id == Report.id)
        .where(CaseReport.case_id == case_id, report_scope(caller))
        .order_by(Report.id)
    )  # fmt: skip
    # The narrative is read whole (it is decrypted), then cut.
    return [LinkedReport(*row[:6], row[6][:EXCERPT], row[7]) for row in session.execute(stmt)]


def campaign_links(session: Session, case_id: int) -> list[CaseCampaign]:
    """The case's campaign links, in the order they were made."""
    stmt = (
        select(CaseCampaign)
        .where(CaseCampaign.case_id == case_id)
        .order_by(CaseCampaign.added_at, CaseCampaign.campaign_uid)
    )
    return list(session.scalars(stmt))


@dataclass(frozen=True, slots=True)
class CampaignMember:
    id: int
    code: str
    category: str
    urgency: str
    excerpt: str


def campaign_members(
    session: Session, caller: Caller, campaign_id: int, limit: int
) -> tuple[list[CampaignMember], int]:
    """The first reports of a campaign (by id), and how many it has."""
    stmt = (
        select(
            Report.id, Report.code, Report.category, Report.urgency, Report.narrative,
        )
        .join(CampaignReport, CampaignReport.report_id == Report.id)
        .where(CampaignReport.campaign_id == campaign_id, report_scope(caller))
        .order_by(Report.id)
        .limit(limit)
    )  # fmt: skip
    count = select(func.count()).where(
        CampaignReport.campaign_id == campaign_id, report_scope(caller, CampaignReport.report_id)
    )
    members = [CampaignMember(*row[:4], row[4][:EXCERPT]) for row in session.execute(stmt)]
    return members, session.scalar(count) or 0


def cases_of_report(session: Session, caller: Caller, report_id: int) -> list[Case]:
    """The cases a report is in, directly (for the report view)."""
    stmt = (
        readable_cases(caller)
        .join(CaseReport, CaseReport.case_id == Case.id)
        .where(CaseReport.report_id == report_id)
        .order_by(Case.id)
    )
    return list(session.scalars(stmt))
