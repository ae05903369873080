"""Case use cases: open a case, group reports and campaigns in it, assign, note, close.

Each change is recorded in the audit log in the same transaction, then committed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy.orm import Session

from tipline.audit.service import record
from tipline.campaigns.repository import uids_of
from tipline.cases import repository
from tipline.cases.core import (
    CaseNumber,
    check_status,
    clean_assignee,
    clean_note,
    clean_title,
    format_reference,
    is_overdue,
    local_today,
    parse_reference,
)
from tipline.cases.models import Case, CaseNote
from tipline.cases.repository import CampaignMember, LinkedReport
from tipline.db_types import utc_now
from tipline.errors import Conflict, InvalidInput, NotFound
from tipline.evidence.repository import AttachedFile
from tipline.evidence.service import attached_to_case
from tipline.principals import Caller, Principal
from tipline.vocabulary import VIETNAM_TIME

PAGE_SIZE = 50
CAMPAIGN_PREVIEW = 20  # reports of a linked campaign the case page lists


@dataclass(frozen=True, slots=True)
class CaseRow:
    """A case as lists show it."""

    case: Case
    reference: str
    overdue: bool


@dataclass(frozen=True, slots=True)
class CaseListing:
    rows: list[CaseRow]
    total: int
    page: int
    pages: int
    status: str | None
    assignee: str | None
    assignees: list[str]


@dataclass(frozen=True, slots=True)
class LinkedCampaign:
    linked_id: int
    current_id: int  # the campaign the linked report is in now (a merge relabels it)
    current_uid: UUID | None  # that campaign's stable identifier (its page's address)
    added_by: str
    reports: list[CampaignMember]
    report_count: int


@dataclass(frozen=True, slots=True)
class CaseView:
    case: Case
    reference: str
    overdue: bool
    reports: list[LinkedReport]
    campaigns: list[LinkedCampaign]
    notes: list[CaseNote]
    evidence: list[AttachedFile] = field(default_factory=list)


def reference_of(case: Case) -> str:
    return format_reference(case.year, case.number)


def _row(case: Case, today: date) -> CaseRow:
    return CaseRow(case, reference_of(case), is_overdue(case.deadline, case.status, today))


def get_case(session: Session, caller: Caller, case_id: int) -> Case:
    """The case, if the caller may read it; NotFound otherwise (no one learns which exist)."""
    case = repository.get_case(session, caller, case_id)
    if case is None:
        raise NotFound(f"no case {case_id}", field="case_id")
    return case


def find_case(session: Session, reference: str) -> Case | None:
    number = parse_reference(reference)
    return repository.case_by_number(session, number.year, number.number) if number else None


def _commit(
    session: Session, actor: str, action: str, case: Case, details: Mapping[str, Any]
) -> None:
    try:
        case.updated_at = utc_now()
        record(session, actor, action, "case", case.id, details)
        session.commit()
    except BaseException:
        session.rollback()
        raise


def _check_report(session: Session, caller: Caller, report_id: int) -> None:
    if not repository.report_exists(session, caller, report_id):
        raise NotFound(f"no report {report_id}", field="report_id")


def _check_campaign(session: Session, caller: Caller, campaign_id: int) -> None:
    if not repository.campaign_exists(session, caller, campaign_id):
        raise NotFound(f"no campaign {campaign_id}", field="campaign_id")


def create_case(
    session: Session,
    caller: Principal,
    title: str,
    *,
    assignee: str | None = None,
    deadline: date | None = None,
    report_ids: Iterable[int] = (),
    campaign_ids: Iterable[int] = (),
    now: datetime | None = None,
) -> Case:
    """Open a case (numbered in its year), with the reports and campaigns it starts from."""
    moment, actor = now or utc_now(), caller.actor
    title, assignee = clean_title(title), clean_assignee(assignee)
    reports, campaigns = sorted(set(report_ids)), sorted(set(campaign_ids))
    try:
        for report_id in reports:
            _check_report(session, caller, report_id)
        for campaign_id in campaigns:
            _check_campaign(session, caller, campaign_id)
        repository.lock_numbering(session)
        year = moment.astimezone(VIETNAM_TIME).year
        number = CaseNumber(year, repository.last_number(session, year) + 1)
        case = Case(
            year=number.year, number=number.number, title=title, status="open",
            assignee=assignee, deadline=deadline, created_by=actor,
            created_at=moment, updated_at=moment,
        )  # fmt: skip
        session.add(case)
        session.flush()
        for report_id in reports:
            repository.add_report(session, case.id, report_id, actor)
        for campaign_id in campaigns:
            repository.add_campaign(session, case.id, campaign_id, actor)
    except BaseException:
        session.rollback()
        raise
    details = {
        "reference": number.reference, "assignee": assignee,
        "deadline": deadline.isoformat() if deadline else None,
        "report_ids": reports, "campaign_ids": campaigns,
    }  # fmt: skip
    _commit(session, actor, "case.create", case, details)
    return case


def list_cases(
    session: Session,
    caller: Caller,
    status: str | None = None,
    assignee: str | None = None,
    page: int = 1,
    *,
    now: datetime | None = None,
) -> CaseListing:
    """A page of cases, overdue first, filtered by status and assignee."""
    status = check_status(status) if status else None
    assignee = clean_assignee(assignee)
    today = local_today(now or utc_now())
    page = max(page, 1)
    cases, total = repository.list_cases(
        session, caller, today, status, assignee, PAGE_SIZE, (page - 1) * PAGE_SIZE
    )
    pages = max(1, -(-total // PAGE_SIZE))
    rows = [_row(case, today) for case in cases]
    return CaseListing(rows, total, page, pages, status, assignee, repository.assignees(session))


def _campaigns(session: Session, caller: Caller, case_id: int) -> list[LinkedCampaign]:
    links = repository.campaign_links(session, case_id)
    current = repository.current_campaigns(session, [link.campaign_id for link in links])
    uids = uids_of(session, sorted(set(current.values())))
    found = []
    for link in links:
        now_id = current.get(link.campaign_id, link.campaign_id)
        members, count = repository.campaign_members(session, caller, now_id, CAMPAIGN_PREVIEW)
        found.append(
            LinkedCampaign(
                link.campaign_id, now_id, uids.get(now_id), link.added_by, members, count
            )
        )
    return found


def view_case(
    session: Session, case_id: int, caller: Principal, *, now: datetime | None = None
) -> CaseView:
    """Everything of a case: its reports, campaigns (with their reports), notes and evidence.
    Viewing is recorded: a case gathers personal data."""
    case = get_case(session, caller, case_id)
    today = local_today(now or utc_now())
    view = CaseView(
        case=case,
        reference=reference_of(case),
        overdue=is_overdue(case.deadline, case.status, today),
        reports=repository.reports_of(session, caller, case_id),
        campaigns=_campaigns(session, caller, case_id),
        notes=repository.notes_of(session, case_id),
        evidence=attached_to_case(session, caller, case_id),
    )
    record(session, caller.actor, "case.view", "case", case_id)
    session.commit()
    return view


def add_report(session: Session, case_id: int, report_id: int, caller: Principal) -> Case:
    case, actor = get_case(session, caller, case_id), caller.actor
    _check_report(session, caller, report_id)
    if repository.has_report(session, case_id, report_id):
        raise Conflict(f"report {report_id} is in this case already", field="report_id")
    repository.add_report(session, case_id, report_id, actor)
    _commit(session, actor, "case.report_add", case, {"report_id": report_id})
    return case


def remove_report(session: Session, case_id: int, report_id: int, caller: Principal) -> Case:
    case, actor = get_case(session, caller, case_id), caller.actor
    if not repository.remove_report(session, case_id, report_id):
        raise NotFound(f"report {report_id} is not in this case", field="report_id")
    _commit(session, actor, "case.report_remove", case, {"report_id": report_id})
    return case


def add_campaign(session: Session, case_id: int, campaign_id: int, caller: Principal) -> Case:
    case, actor = get_case(session, caller, case_id), caller.actor
    _check_campaign(session, caller, campaign_id)
    if repository.has_campaign(session, case_id, campaign_id):
        raise Conflict(f"campaign {campaign_id} is in this case already", field="campaign_id")
    repository.add_campaign(session, case_id, campaign_id, actor)
    _commit(session, actor, "case.campaign_add", case, {"campaign_id": campaign_id})
    return case


def remove_campaign(session: Session, case_id: int, campaign_id: int, caller: Principal) -> Case:
    case, actor = get_case(session, caller, case_id), caller.actor
    if not repository.remove_campaign(session, case_id, campaign_id):
        raise NotFound(f"campaign {campaign_id} is not in this case", field="campaign_id")
    _commit(session, actor, "case.campaign_remove", case, {"campaign_id": campaign_id})
    return case


def add_note(session: Session, case_id: int, text: str, caller: Principal) -> CaseNote:
    case, actor = get_case(session, caller, case_id), caller.actor
    note = repository.add_note(session, case_id, actor, clean_note(text))
    _commit(session, actor, "case.note", case, {"note_id": note.id})
    return note


def assign(
    session: Session,
    case_id: int,
    assignee: str | None,
    deadline: date | None,
    caller: Principal,
) -> Case:
    """Give the case to someone (or nobody) and set its deadline (or none)."""
    case, actor = get_case(session, caller, case_id), caller.actor
    name = clean_assignee(assignee)
    details = {
        "assignee": [case.assignee, name],
        "deadline": [_iso(case.deadline), _iso(deadline)],
    }
    case.assignee, case.deadline = name, deadline
    _commit(session, actor, "case.assign", case, details)
    return case


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def change_status(session: Session, case_id: int, status: str, caller: Principal) -> Case:
    case, actor = get_case(session, caller, case_id), caller.actor
    check_status(status)
    if case.status == status:
        raise InvalidInput(f"the case is {status} already", field="status")
    details = {"previous": case.status, "status": status}
    case.status = status
    _commit(session, actor, "case.status", case, details)
    return case


@dataclass(frozen=True, slots=True)
class MergeChoice:
    """What `/cases/add` offers: the report or campaign to merge, and the open cases."""

    report_id: int | None
    campaign_id: int | None
    cases: list[CaseRow]
    campaign_uid: UUID | None = None  # the campaign's stable identifier (its page's address)


def merge_choice(
    session: Session,
    caller: Caller,
    report_id: int | None,
    campaign_id: int | None,
    *,
    now: datetime | None = None,
) -> MergeChoice:
    """The open cases a report or a campaign may be merged into."""
    if (report_id is None) == (campaign_id is None):
        raise InvalidInput("name one report or one campaign to add to a case", field="report")
    if report_id is not None:
        _check_report(session, caller, report_id)
    if campaign_id is not None:
        _check_campaign(session, caller, campaign_id)
    today = local_today(now or utc_now())
    cases = [_row(case, today) for case in repository.open_cases(session, caller, PAGE_SIZE)]
    uid = None if campaign_id is None else uids_of(session, [campaign_id]).get(campaign_id)
    return MergeChoice(report_id, campaign_id, cases, uid)


def cases_of_report(session: Session, caller: Caller, report_id: int) -> list[CaseRow]:
    """The cases a report is in (for the report view)."""
    today = local_today(utc_now())
    found = repository.cases_of_report(session, caller, report_id)
    return [_row(case, today) for case in found]


def list_row(case: Case, *, now: datetime | None = None) -> CaseRow:
    return _row(case, local_today(now or utc_now()))
