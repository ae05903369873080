"""The workspace's use cases: list the queue, show a report, and the analyst's changes to it.

Each change is recorded in the audit log in the same transaction, then committed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy.orm import Session

from tipline.access import Principal
from tipline.audit.service import record
from tipline.campaigns.service import campaign_uid_of, relink_campaigns_of
from tipline.cases.schemas import CaseRead, EvidenceRef
from tipline.cases.service import CaseRow, cases_of_report
from tipline.db_types import utc_now
from tipline.errors import InvalidInput, NotFound, NotPermitted
from tipline.evidence.service import attached_to_report
from tipline.feeds.service import refresh as refresh_feed
from tipline.principals import LEAD_ROLES, Caller, ReportHolder
from tipline.reports.core import risk_rank
from tipline.reports.models import Report
from tipline.reports.repository import readable_report
from tipline.settings import Settings
from tipline.sharing.service import publish
from tipline.triage.models import TriageCorrection
from tipline.triage.service import record_correction
from tipline.vocabulary import QUEUE_POSITION, Category
from tipline.workspace import repository
from tipline.workspace.core import (
    CONTACT_ROLES,
    MAX_NOTE_LENGTH,
    REVIEW_ACTIONS,
    REVIEW_STATES,
    STATUSES,
    PageRequest,
    QueueFilter,
    may_assign,
    ordered_filter,
    page_cursor,
    read_cursor,
    snippet,
    waiting,
)
from tipline.workspace.models import ReportNote, ReportStatusChange
from tipline.workspace.repository import IndicatorRow, QueueRow, SharingReport
from tipline.workspace.schemas import (
    CorrectionRead,
    NoteRead,
    QueueItemRead,
    QueuePageRead,
    ReportDetail,
    ReportIndicatorRead,
    SharingReportRead,
    StatusChangeRead,
    Waited,
)

SHARING_SHOWN = 5  # other reports listed under each indicator


@dataclass(frozen=True, slots=True)
class QueueItem:
    row: QueueRow
    snippet: str
    waited: tuple[int, str]


@dataclass(frozen=True, slots=True)
class QueuePage:
    filter: QueueFilter
    items: list[QueueItem]
    previous_before: int | None  # the anchor of the previous page's link, None for none
    next_after: int | None


@dataclass(frozen=True, slots=True)
class IndicatorItem:
    row: IndicatorRow
    other_reports: int
    recent: list[SharingReport]

    @property
    def review(self) -> str:
        """extracted, confirmed, rejected or victim (the reporter's own, by a cue or an analyst)."""
        if self.row.review:
            return self.row.review
        if self.row.reporter_own:
            return "victim"
        return "confirmed" if self.row.confirmed else "extracted"


@dataclass(frozen=True, slots=True)
class ReportView:
    report: Report
    indicators: list[IndicatorItem]
    notes: list[ReportNote]
    history: list[ReportStatusChange]
    corrections: list[TriageCorrection]
    campaign_uid: UUID | None
    waited: tuple[int, str]
    statuses: tuple[str, ...] = field(default=STATUSES)


def _page_links(
    rows: list[QueueRow], page: PageRequest
) -> tuple[list[QueueRow], int | None, int | None]:
    """The rows to show and the anchors of the previous and next pages."""
    more = len(rows) > page.size
    if page.before is not None:  # the rows came backwards: the extra one is at the start
        shown = rows[1:] if more else rows
        previous_exists, next_exists = more, True
    else:
        shown = rows[: page.size]
        previous_exists, next_exists = page.after is not None, more
    if not shown:
        return shown, None, None
    return (
        shown,
        shown[0].id if previous_exists else None,
        shown[-1].id if next_exists else None,
    )


def queue_page(
    session: Session,
    caller: Caller,
    flt: QueueFilter,
    page: PageRequest,
    now: datetime | None = None,
) -> QueuePage:
    """One page of the caller's queue: most urgent first, then oldest first."""
    flt = ordered_filter(flt)
    rows = repository.queue_rows(session, caller, flt, page)
    shown, previous_before, next_after = _page_links(rows, page)
    moment = now or utc_now()
    items = [
        QueueItem(row, snippet(row.narrative_start), waiting(row.created_at, moment))
        for row in shown
    ]
    return QueuePage(flt, items, previous_before, next_after)


def _report(session: Session, caller: Caller, report_id: int) -> Report:
    report = readable_report(session, caller, report_id)
    if report is None:
        raise NotFound(f"no report {report_id}", field="report_id")
    return report


def _indicator_items(session: Session, caller: Caller, report_id: int) -> list[IndicatorItem]:
    rows = repository.report_indicators(session, caller, report_id)
    # An allowlisted value (facebook.com, a bank's real site) ties this report to nobody: the
    # hundreds of reports that name it are not "other reports" of the same scam.
    ids = [row.indicator_id for row in rows if not row.allowlisted]
    counts = repository.other_report_counts(session, caller, report_id, ids)
    return [
        IndicatorItem(
            row,
            counts.get(row.indicator_id, 0),
            repository.recent_sharing_reports(
                session, caller, report_id, row.indicator_id, SHARING_SHOWN
            )
            if counts.get(row.indicator_id)
            else [],
        )
        for row in rows
    ]


def view_report(session: Session, caller: Principal, report_id: int) -> ReportView:
    """Everything the report view shows; the viewing itself is recorded in the audit log."""
    report = _report(session, caller, report_id)
    view = ReportView(
        report=report,
        indicators=_indicator_items(session, caller, report_id),
        notes=repository.notes(session, report_id),
        history=repository.status_history(session, report_id),
        corrections=repository.corrections(session, report_id),
        campaign_uid=campaign_uid_of(session, report_id),
        waited=waiting(report.created_at, utc_now()),
    )
    record(session, caller.actor, "report.view", "report", report_id)
    session.commit()
    return view


def queue_for(
    session: Session, principal: Principal, flt: QueueFilter, cursor: str | None, size: int
) -> QueuePageRead:
    """One page of the queue as the API answers it, with opaque cursors to its neighbours."""
    page = queue_page(session, principal, flt, read_cursor(cursor, size))
    return QueuePageRead(
        items=[_queue_item(item) for item in page.items],
        next_cursor=None if page.next_after is None else page_cursor("after", page.next_after),
        previous_cursor=(
            None if page.previous_before is None else page_cursor("before", page.previous_before)
        ),
    )


def _waited(waited: tuple[int, str]) -> Waited:
    return Waited.model_validate({"amount": waited[0], "unit": waited[1]})


def _queue_item(item: QueueItem) -> QueueItemRead:
    fields = item.row._asdict()
    del fields["narrative_start"]
    at_risk = fields.pop("risk_rank") == risk_rank(True)
    return QueueItemRead(
        **fields, at_risk=at_risk, snippet=item.snippet, waited=_waited(item.waited)
    )


def _indicator_read(item: IndicatorItem) -> ReportIndicatorRead:
    row = item.row
    return ReportIndicatorRead.model_validate(
        {
            **row._asdict(),
            "review": item.review,
            "other_reports": item.other_reports,
            "recent_reports": [SharingReportRead(**r._asdict()) for r in item.recent],
        }
    )


def report_detail(session: Session, principal: Principal, report_id: int) -> ReportDetail:
    """A report as the report view shows it (the viewing is audited as the page's is)."""
    view = view_report(session, principal, report_id)
    report = view.report
    return ReportDetail(
        id=report.id, code=report.code, channel=report.channel, narrative=report.narrative,
        language=report.language, category=report.category, urgency=report.urgency,
        status=report.status, triage_reasons=[str(r) for r in report.triage_reasons],
        loss_amount=report.loss_amount, loss_currency=report.loss_currency,
        occurred_at=report.occurred_at, province=report.province, country=report.country,
        victim_age_group=report.victim_age_group, victim_gender=report.victim_gender,
        contact=_contact_for(session, principal, report), anonymous=report.anonymous,
        created_at=report.created_at, updated_at=report.updated_at,
        campaign_uid=view.campaign_uid, waited=_waited(view.waited),
        indicators=[_indicator_read(item) for item in view.indicators],
        notes=[NoteRead.model_validate(n) for n in view.notes],
        history=[StatusChangeRead.model_validate(c) for c in view.history],
        corrections=[CorrectionRead.model_validate(c) for c in view.corrections],
    )  # fmt: skip


def _contact_for(session: Session, principal: Principal, report: Report) -> str | None:
    """The contact in a report's detail: for the roles that may read it, audited."""
    if principal.role not in CONTACT_ROLES or not report.reporter_contact:
        return None
    return reporter_contact(session, principal, report.id)


def report_cases(session: Session, principal: Principal, report_id: int) -> list[CaseRead]:
    """The cases the report is in, as the report view lists them."""
    _report(session, principal, report_id)
    return [_case_read(row) for row in cases_of_report(session, principal, report_id)]


def _case_read(row: CaseRow) -> CaseRead:
    case = row.case
    return CaseRead(
        id=case.id, reference=row.reference, title=case.title, status=case.status,
        assignee=case.assignee, deadline=case.deadline, overdue=row.overdue,
        created_by=case.created_by, created_at=case.created_at, updated_at=case.updated_at,
    )  # fmt: skip


def report_evidence(session: Session, principal: Principal, report_id: int) -> list[EvidenceRef]:
    """The evidence files attached to the report, as the report view lists them."""
    _report(session, principal, report_id)
    return [
        EvidenceRef.model_validate(attached, from_attributes=True)
        for attached in attached_to_report(session, principal, report_id)
    ]


def _commit_with_audit(
    session: Session, actor: str, action: str, report_id: int, details: dict[str, Any]
) -> None:
    try:
        record(session, actor, action, "report", report_id, details)
        session.commit()
    except BaseException:
        session.rollback()
        raise


def review_indicator(
    session: Session,
    caller: Principal,
    report_id: int,
    indicator_id: int,
    state: str,
    settings: Settings | None = None,
) -> None:
    """Confirm or reject an indicator extracted from a report. With `settings` (the page and
    the API), the indicator and its campaigns are published, and its feed entry refreshed, at
    once, in the same transaction: partners' and organisations' next pull has it (or its
    revocation, its removal)."""
    if state not in REVIEW_STATES:
        raise InvalidInput(f"unknown decision {state!r}", field="decision")
    _report(session, caller, report_id)
    actor = caller.actor
    link = repository.find_link(session, report_id, indicator_id)
    if link is None:
        raise NotFound(
            f"report {report_id} names no indicator {indicator_id}", field="indicator_id"
        )
    repository.save_review(session, link, state, actor, utc_now())
    # A rejected link no longer merges campaigns (one may split); a confirmed one merges again.
    relink_campaigns_of(session, [report_id, *repository.reports_naming(session, indicator_id)])
    if settings is not None:
        publish(session, settings, indicators=[indicator_id])
        refresh_feed(session, settings, ids=[indicator_id])
    details = {"indicator_id": indicator_id, "state": state}
    _commit_with_audit(session, actor, REVIEW_ACTIONS[state], report_id, details)


def correct_triage(
    session: Session, caller: Principal, report_id: int, category: str, urgency: str
) -> TriageCorrection:
    """Overrule triage: keep the correction for retraining and apply it to the report."""
    report, actor = _report(session, caller, report_id), caller.actor
    previous = {"category": report.category, "urgency": report.urgency}
    correction = record_correction(session, report_id, category, urgency, actor)
    # A report corrected to child exploitation is a child at risk: first within its urgency.
    risk = risk_rank(True) if category == Category.CHILD_EXPLOITATION else None
    repository.set_triage(session, report_id, category, urgency, (QUEUE_POSITION[urgency], risk))
    details = {"previous": previous, "category": category, "urgency": urgency}
    _commit_with_audit(session, actor, "report.correct", report_id, details)
    return correction


def add_note(session: Session, caller: Principal, report_id: int, text: str) -> ReportNote:
    """Keep an analyst's note on a report."""
    _report(session, caller, report_id)
    actor = caller.actor
    body = text.strip()
    if not body:
        raise InvalidInput("a note needs some text", field="text")
    if len(body) > MAX_NOTE_LENGTH:
        raise InvalidInput(f"a note holds at most {MAX_NOTE_LENGTH} characters", field="text")
    note = repository.add_note(session, report_id, actor, body, utc_now())
    _commit_with_audit(session, actor, "report.note", report_id, {"note_id": note.id})
    return note


def add_reporter_note(session: Session, holder: ReportHolder, text: str) -> ReportNote:
    """Keep what a reporter added to her report later (through her code and secret) as a note
    the analysts read with the others."""
    body = text.strip()
    if not body:
        raise InvalidInput("a note needs some text", field="text")
    if len(body) > MAX_NOTE_LENGTH:
        raise InvalidInput(f"a note holds at most {MAX_NOTE_LENGTH} characters", field="text")
    if readable_report(session, holder, holder.report_id) is None:
        raise NotFound(f"no report {holder.report_id}", field="report_id")
    note = repository.add_note(session, holder.report_id, holder.actor, body, utc_now())
    _commit_with_audit(session, holder.actor, "report.reporter_note", holder.report_id,
                       {"note_id": note.id})  # fmt: skip
    return note


def change_status(
    session: Session, caller: Principal, report_id: int, status: str
) -> ReportStatusChange:
    """Move a report to another status (any move an analyst makes), keeping its history."""
    if status not in STATUSES:
        raise InvalidInput(f"unknown status {status!r}", field="status")
    report, actor = _report(session, caller, report_id), caller.actor
    if report.status == status:
        raise InvalidInput(f"the report is {status} already", field="status")
    change = repository.add_status_change(session, report, status, actor, utc_now())
    details = {"previous": change.previous_status, "status": status}
    _commit_with_audit(session, actor, "report.status", report_id, details)
    return change


def claim_report(session: Session, caller: Principal, report_id: int) -> Report:
    """Take the report: it is assigned to the caller (and shows in her "mine" view)."""
    return assign_report(session, caller, report_id, caller.username)


def assign_report(
    session: Session, caller: Principal, report_id: int, assignee: str | None
) -> Report:
    """Give the report to a member of staff, or to nobody (None). An analyst may take a report
    or let go of her own; a supervisor or an admin may give any report to anyone."""
    report = _report(session, caller, report_id)
    assignee = (assignee or "").strip() or None
    if not may_assign(caller, report.assignee, assignee):
        raise NotPermitted("only a supervisor may give a report to someone else")
    if assignee is not None and assignee not in repository.staff_usernames(session):
        raise InvalidInput(f"{assignee!r} is not a member of staff", field="assignee")
    previous = report.assignee
    if previous == assignee:
        return report
    repository.set_assignee(session, report, assignee)
    action = "report.claim" if assignee == caller.username else "report.assign"
    details = {"previous": previous, "assignee": assignee}
    _commit_with_audit(session, caller.actor, action, report_id, details)
    return report


def assignable(session: Session, caller: Principal) -> list[str]:
    """Whom the caller may give a report to: anyone of staff for a lead, else herself."""
    if caller.role in LEAD_ROLES:
        return repository.staff_usernames(session)
    return [caller.username]


def reporter_contact(session: Session, caller: Principal, report_id: int) -> str | None:
    """The reporter's contact, when she gave one, for a role that may read it; each reading
    is written to the audit log (the contact itself never is: it is personal data)."""
    if caller.role not in CONTACT_ROLES:
        raise NotPermitted("your role may not read a reporter's contact")
    report = _report(session, caller, report_id)
    contact = report.reporter_contact
    if contact:
        _commit_with_audit(session, caller.actor, "report.contact", report_id, {})
    return contact
