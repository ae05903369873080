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
from tipline.campaigns.repository import Current, current_campaigns
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
from tipline.cursors import make_cursor, read_keyset, window
from tipline.db_types import utc_now
from tipline.errors import Conflict, InvalidInput, NotFound
from tipline.evidence.repository import AttachedFile
from tipline.evidence.service import attached_to_case
from tipline.principals import Caller, Principal
from tipline.reports.core import normalise_code
from tipline.reports.repository import readable_report, readable_report_by_code
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
    previous_cursor: str | None
    next_cursor: str | None
    status: str | None
    assignee: str | None
    assignees: list[str]


@dataclass(frozen=True, slots=True)
class LinkedCampaign:
    """A campaign of the case: the identifier it was linked by, and the campaign that names
    now (another after a merge; None once its reports are all gone)."""

    linked_uid: UUID
    current: Current | None
    added_by: str
    reports: list[CampaignMember]
    report_count: int

    @property
    def merged(self) -> bool:
        return self.current is not None and self.current.uid != self.linked_uid


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


def report_of_code(session: Session, caller: Caller, typed: str) -> int:
    """The id of the report whose tracking code this is (as a person types it), if the caller
    may read it: NotFound otherwise, the same for a code that exists and one that does not."""
    code = normalise_code(typed)
    if code is None:
        raise InvalidInput("a tracking code looks like TL-XXXX-XXXX", field="code")
    report = readable_report_by_code(session, caller, code)
    if report is None:
        raise NotFound(f"no report has the tracking code {code}", field="code")
    return report.id


def current_campaign(session: Session, caller: Caller, uid: UUID) -> Current:
    """The campaign an identifier names now (a retired one: the campaign that absorbed it), if
    the caller may read it; NotFound otherwise."""
    current = current_campaigns(session, [uid]).get(uid)
    if current is None or not repository.campaign_exists(session, caller, current.label):
        raise NotFound(f"no campaign {uid}", field="campaign_uid")
    return current


def create_case(
    session: Session,
    caller: Principal,
    title: str,
    *,
    assignee: str | None = None,
    deadline: date | None = None,
    report_ids: Iterable[int] = (),
    report_codes: Iterable[str] = (),
    campaign_uids: Iterable[UUID] = (),
    now: datetime | None = None,
) -> Case:
    """Open a case (numbered in its year), with the reports (by id or tracking code) and the
    campaigns (by identifier) it starts from."""
    moment, actor = now or utc_now(), caller.actor
    title, assignee = clean_title(title), clean_assignee(assignee)
    try:
        by_id = set(report_ids)
        for report_id in by_id:
            _check_report(session, caller, report_id)
        reports = sorted(by_id.union(report_of_code(session, caller, c) for c in report_codes))
        campaigns = sorted({current_campaign(session, caller, u).uid for u in campaign_uids})
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
        for uid in campaigns:
            repository.add_campaign(session, case.id, uid, actor)
    except BaseException:
        session.rollback()
        raise
    details = {
        "reference": number.reference, "assignee": assignee,
        "deadline": deadline.isoformat() if deadline else None,
        "report_ids": reports, "campaign_uids": [str(uid) for uid in campaigns],
    }  # fmt: skip
    _commit(session, actor, "case.create", case, details)
    return case


def list_cases(
    session: Session,
    caller: Caller,
    status: str | None = None,
    assignee: str | None = None,
    cursor: str | None = None,
    *,
    size: int = PAGE_SIZE,
    now: datetime | None = None,
) -> CaseListing:
    """A keyset page of cases (the cursor names it: None for the first), overdue first,
    filtered by status and assignee."""
    status = check_status(status) if status else None
    assignee = clean_assignee(assignee)
    today = local_today(now or utc_now())
    page = read_keyset(cursor, size, 1)
    found, total = repository.list_cases(session, caller, today, status, assignee, page)
    shown = window(found, page)
    rows = [_row(case, today) for case in shown.rows]
    return CaseListing(
        rows, total,
        make_cursor("before", rows[0].case.id) if shown.has_previous else None,
        make_cursor("after", rows[-1].case.id) if shown.has_next else None,
        status, assignee, repository.assignees(session),
    )  # fmt: skip


def _campaigns(session: Session, caller: Caller, case_id: int) -> list[LinkedCampaign]:
    links = repository.campaign_links(session, case_id)
    now = current_campaigns(session, [link.campaign_uid for link in links])
    found = []
    for link in links:
        current = now.get(link.campaign_uid)
        members, count = (
            repository.campaign_members(session, caller, current.label, CAMPAIGN_PREVIEW)
            if current is not None
            else ([], 0)
        )
        found.append(LinkedCampaign(link.campaign_uid, current, link.added_by, members, count))
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
    case = get_case(session, caller, case_id)
    _check_report(session, caller, report_id)
    return _link_report(session, case, report_id, caller, "report_id")


def add_report_by_code(session: Session, case_id: int, code: str, caller: Principal) -> Case:
    """Add the report of this tracking code (the code every page shows) to the case."""
    case = get_case(session, caller, case_id)
    return _link_report(session, case, report_of_code(session, caller, code), caller, "code")


def _link_report(
    session: Session, case: Case, report_id: int, caller: Principal, field: str
) -> Case:
    if repository.has_report(session, case.id, report_id):
        raise Conflict("the report is in this case already", field=field)
    repository.add_report(session, case.id, report_id, caller.actor)
    _commit(session, caller.actor, "case.report_add", case, {"report_id": report_id})
    return case


def remove_report(session: Session, case_id: int, report_id: int, caller: Principal) -> Case:
    case, actor = get_case(session, caller, case_id), caller.actor
    if not repository.remove_report(session, case_id, report_id):
        raise NotFound(f"report {report_id} is not in this case", field="report_id")
    _commit(session, actor, "case.report_remove", case, {"report_id": report_id})
    return case


def _linked_now(session: Session, case_id: int) -> dict[UUID, Current | None]:
    """{identifier the case holds: the campaign it names now}."""
    links = repository.campaign_links(session, case_id)
    return current_campaigns(session, [link.campaign_uid for link in links])


def add_campaign(session: Session, case_id: int, uid: UUID, caller: Principal) -> Case:
    """Add a campaign by its identifier; a retired one adds the campaign that absorbed it."""
    case, actor = get_case(session, caller, case_id), caller.actor
    current = current_campaign(session, caller, uid)
    if current in _linked_now(session, case_id).values():
        raise Conflict("the campaign is in this case already", field="campaign_uid")
    repository.add_campaign(session, case_id, current.uid, actor)
    _commit(session, actor, "case.campaign_add", case, {"campaign_uid": str(current.uid)})
    return case


def remove_campaign(session: Session, case_id: int, uid: UUID, caller: Principal) -> Case:
    """Take a campaign out of the case: the link made with this identifier, and any link whose
    identifier names the same campaign now (after a merge, the case's link may be by either)."""
    case, actor = get_case(session, caller, case_id), caller.actor
    linked = _linked_now(session, case_id)
    named = current_campaigns(session, [uid]).get(uid)
    doomed = [u for u, now in linked.items() if u == uid or (named and now == named)]
    if not doomed or not repository.remove_campaigns(session, case_id, doomed):
        raise NotFound("the campaign is not in this case", field="campaign_uid")
    details = {"campaign_uids": sorted(str(u) for u in doomed)}
    _commit(session, actor, "case.campaign_remove", case, details)
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
    """What `/cases/add` offers: the report (its id and tracking code) or the campaign to
    merge, and the open cases."""

    report_id: int | None
    report_code: str | None
    campaign: Current | None
    cases: list[CaseRow]


def merge_choice(
    session: Session,
    caller: Caller,
    report_id: int | None,
    campaign_uid: UUID | None,
    *,
    now: datetime | None = None,
) -> MergeChoice:
    """The open cases a report or a campaign may be merged into."""
    if (report_id is None) == (campaign_uid is None):
        raise InvalidInput("name one report or one campaign to add to a case", field="report")
    report = None if report_id is None else readable_report(session, caller, report_id)
    if report_id is not None and report is None:
        raise NotFound(f"no report {report_id}", field="report_id")
    campaign = None if campaign_uid is None else current_campaign(session, caller, campaign_uid)
    today = local_today(now or utc_now())
    cases = [_row(case, today) for case in repository.open_cases(session, caller, PAGE_SIZE)]
    return MergeChoice(report_id, report.code if report else None, campaign, cases)


def cases_of_report(session: Session, caller: Caller, report_id: int) -> list[CaseRow]:
    """The cases a report is in (for the report view)."""
    today = local_today(utc_now())
    found = repository.cases_of_report(session, caller, report_id)
    return [_row(case, today) for case in found]


def list_row(case: Case, *, now: datetime | None = None) -> CaseRow:
    return _row(case, local_today(now or utc_now()))
