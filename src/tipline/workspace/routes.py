"""The queue and report view pages (staff only), and the API that does what they do (under
/api/v1: the queue, a report, and the analyst's changes to it). Thin: the service does the work."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from tipline.access import Principal, Staff, allow
from tipline.cases.schemas import CaseRead, EvidenceRef
from tipline.cases.service import cases_of_report
from tipline.db_types import utc_now
from tipline.dependencies import DbSession
from tipline.errors import error_responses
from tipline.evidence.service import attached_to_report
from tipline.html.protection import VerifiedForm
from tipline.html.rendering import render_workspace, translator
from tipline.indicators.accounts import shown_value
from tipline.messages import EraDate
from tipline.sharing.tlp import TLPS
from tipline.vocabulary import CATEGORIES, URGENCIES_FIRST, Category, Urgency
from tipline.workspace import service
from tipline.workspace.boxes import queue_boxes
from tipline.workspace.core import (
    CONTACT_ROLES,
    MAX_SEARCH_LENGTH,
    PAGE_SIZE,
    SORTS,
    STATUSES,
    QueueFilter,
    read_filter,
    read_page,
)
from tipline.workspace.queue_rows import RowsView, rows_html
from tipline.workspace.reasons import say_reason
from tipline.workspace.schemas import (
    AssignmentRead,
    AssignmentUpdate,
    ContactRead,
    CorrectionCreate,
    CorrectionRead,
    NoteCreate,
    NoteRead,
    QueuePageRead,
    ReportDetail,
    ReviewCreate,
    ReviewRead,
    Sort,
    Status,
    StatusChangeCreate,
    StatusChangeRead,
)

pages = APIRouter(include_in_schema=False)
router = APIRouter(tags=["workspace"], responses=error_responses(401, 403, 422))

ReportId = Annotated[int, Path(ge=1, le=2**63 - 1)]
IndicatorId = Annotated[int, Path(ge=1, le=2**63 - 1)]
NOT_FOUND = error_responses(404)
ContactReader = Annotated[Principal, Depends(allow(*CONTACT_ROLES))]


def _page_href(flt: QueueFilter, key: str, report_id: int | None) -> str | None:
    if report_id is None:
        return None
    return "/queue?" + urlencode([*flt.query_items(), (key, str(report_id))])


@pages.get("/queue", response_class=HTMLResponse)
def queue(request: Request, principal: Staff, session: DbSession) -> HTMLResponse:
    params = request.query_params
    page = service.queue_page(session, principal, read_filter(params), read_page(params))
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    assignable = service.assignable(session, principal)
    view = RowsView(principal.username, assignable, here)
    boxes = queue_boxes(session, principal, utc_now())
    values: dict[str, Any] = {
        "queue": page,
        "filter": page.filter,
        "categories": CATEGORIES,
        "statuses": STATUSES,
        "sorts": SORTS,
        "sort_href": lambda sort: _sort_href(page.filter, sort),
        "mine_href": _mine_href(page.filter),
        "here": here,
        "previous_href": _page_href(page.filter, "before", page.previous_before),
        "next_href": _page_href(page.filter, "after", page.next_after),
        "drafts": boxes.drafts,
        "reminders": boxes.reminders,
        "overdue_requests": boxes.overdue,
        "queue_rows": partial(rows_html, page.items, translator(request), view),
    }
    return render_workspace(request, "workspace/queue.html", "queue", values, principal)


def _sort_href(flt: QueueFilter, sort: str) -> str:
    return "/queue?" + urlencode(replace(flt, sort=sort).query_items())


def _mine_href(flt: QueueFilter) -> str:
    return "/queue?" + urlencode(replace(flt, mine=not flt.mine).query_items())


def _back_to(form: FormData, report_id: int) -> RedirectResponse:
    """Back to the page the form was on: a queue page or the report (nothing off this site)."""
    target = _field(form, "next")
    if not (target.startswith("/queue") or target == f"/reports/{report_id}"):
        target = f"/reports/{report_id}"
    return RedirectResponse(target, status_code=303)


@pages.post("/reports/{report_id}/claim")
async def claim(
    request: Request, report_id: ReportId, principal: Staff, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    await run_in_threadpool(service.claim_report, session, principal, report_id)
    return _back_to(form, report_id)


@pages.post("/reports/{report_id}/assign")
async def assign(
    request: Request, report_id: ReportId, principal: Staff, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    assignee = _field(form, "assignee") or None
    await run_in_threadpool(service.assign_report, session, principal, report_id, assignee)
    return _back_to(form, report_id)


@pages.get("/reports/{report_id}", response_class=HTMLResponse)
def report_view(
    request: Request, report_id: ReportId, principal: Staff, session: DbSession
) -> HTMLResponse:
    view = service.view_report(session, principal, report_id)
    shown = request.query_params.get("contact") == "show" and principal.role in CONTACT_ROLES
    values: dict[str, Any] = {
        "contact": service.reporter_contact(session, principal, report_id) if shown else None,
        "may_read_contact": principal.role in CONTACT_ROLES,
        "assignable": service.assignable(session, principal),
        "reason": lambda text: say_reason(str(text), translator(request)),
        "shown": shown_value,
        "view": view,
        "evidence": attached_to_report(session, principal, report_id),
        "cases": cases_of_report(session, principal, report_id),
        "report": view.report,
        "categories": CATEGORIES,
        "urgencies": URGENCIES_FIRST,
        "statuses": STATUSES,
        "tlps": TLPS,
        "default_tlp": request.app.state.settings.sharing_default_tlp,
    }
    return render_workspace(request, "workspace/report.html", "queue", values, principal)


def _back(report_id: int) -> RedirectResponse:
    return RedirectResponse(f"/reports/{report_id}", status_code=303)


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


@pages.post("/reports/{report_id}/indicators/{indicator_id}")
async def review_indicator(
    request: Request,
    report_id: ReportId,
    indicator_id: IndicatorId,
    principal: Staff,
    session: DbSession,
    form: VerifiedForm,
) -> RedirectResponse:
    decision = _field(form, "decision")
    settings = request.app.state.settings
    await run_in_threadpool(
        service.review_indicator, session, principal, report_id, indicator_id, decision, settings
    )
    return _back(report_id)


@pages.post("/reports/{report_id}/triage")
async def correct_triage(
    request: Request, report_id: ReportId, principal: Staff, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    category, urgency = _field(form, "category"), _field(form, "urgency")
    await run_in_threadpool(
        service.correct_triage, session, principal, report_id, category, urgency
    )
    return _back(report_id)


@pages.post("/reports/{report_id}/notes")
async def add_note(
    request: Request, report_id: ReportId, principal: Staff, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    text = _field(form, "text")
    await run_in_threadpool(service.add_note, session, principal, report_id, text)
    return _back(report_id)


@pages.post("/reports/{report_id}/status")
async def change_status(
    request: Request, report_id: ReportId, principal: Staff, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    status = _field(form, "status")
    await run_in_threadpool(service.change_status, session, principal, report_id, status)
    return _back(report_id)


@router.get("/queue", response_model=QueuePageRead)
def queue_api(
    principal: Staff,
    session: DbSession,
    category: Category | None = None,
    urgency: Urgency | None = None,
    status: Status | None = None,
    province: Annotated[str | None, Query(max_length=100)] = None,
    date_from: Annotated[EraDate | None, Query(alias="from")] = None,
    date_to: Annotated[EraDate | None, Query(alias="to")] = None,
    q: Annotated[str, Query(max_length=MAX_SEARCH_LENGTH)] = "",
    sort: Sort = "urgency",
    mine: bool = False,
    cursor: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = PAGE_SIZE,
) -> QueuePageRead:
    """The queue, filtered and searched, one keyset page: by urgency (a child at risk or a risk
    to life first within one, then the oldest), by `age`, `newest` first, or largest `loss`
    first; `mine`: only the reports assigned to the caller."""
    flt = QueueFilter(
        category=category, urgency=urgency, status=status, province=province or None,
        date_from=date_from, date_to=date_to, text=" ".join(q.split()), sort=sort, mine=mine,
    )  # fmt: skip
    return service.queue_for(session, principal, flt, cursor, limit)


@router.get("/reports/{report_id}/view", response_model=ReportDetail, responses=NOT_FOUND)
def report_api(report_id: ReportId, principal: Staff, session: DbSession) -> ReportDetail:
    """A report with its indicators, notes, status history and corrections (viewing is audited)."""
    return service.report_detail(session, principal, report_id)


@router.get("/reports/{report_id}/cases", response_model=list[CaseRead], responses=NOT_FOUND)
def report_cases_api(report_id: ReportId, principal: Staff, session: DbSession) -> list[CaseRead]:
    """The cases the report is in."""
    return service.report_cases(session, principal, report_id)


@router.get("/reports/{report_id}/evidence", response_model=list[EvidenceRef], responses=NOT_FOUND)
def report_evidence_api(
    report_id: ReportId, principal: Staff, session: DbSession
) -> list[EvidenceRef]:
    """The evidence files attached to the report (upload one with POST on the same path)."""
    return service.report_evidence(session, principal, report_id)


@router.put(
    "/reports/{report_id}/indicators/{indicator_id}/review",
    response_model=ReviewRead,
    responses=NOT_FOUND,
)
def review_indicator_api(
    request: Request,
    report_id: ReportId,
    indicator_id: IndicatorId,
    body: ReviewCreate,
    principal: Staff,
    session: DbSession,
) -> ReviewRead:
    """Confirm or reject an indicator extracted from the report."""
    settings = request.app.state.settings
    service.review_indicator(session, principal, report_id, indicator_id, body.decision, settings)
    return ReviewRead(report_id=report_id, indicator_id=indicator_id, decision=body.decision)


@router.post(
    "/reports/{report_id}/corrections",
    response_model=CorrectionRead,
    status_code=201,
    responses=NOT_FOUND,
)
def correct_triage_api(
    report_id: ReportId, body: CorrectionCreate, principal: Staff, session: DbSession
) -> CorrectionRead:
    """Overrule triage's category and urgency; the correction is kept for retraining."""
    correction = service.correct_triage(
        session, principal, report_id, body.category.value, body.urgency.value
    )
    return CorrectionRead.model_validate(correction)


@router.post(
    "/reports/{report_id}/notes", response_model=NoteRead, status_code=201, responses=NOT_FOUND
)
def add_note_api(
    report_id: ReportId, body: NoteCreate, principal: Staff, session: DbSession
) -> NoteRead:
    """Keep a note on the report."""
    return NoteRead.model_validate(service.add_note(session, principal, report_id, body.text))


@router.post(
    "/reports/{report_id}/status",
    response_model=StatusChangeRead,
    status_code=201,
    responses=NOT_FOUND,
)
def change_status_api(
    report_id: ReportId, body: StatusChangeCreate, principal: Staff, session: DbSession
) -> StatusChangeRead:
    """Move the report to another status; the change joins its history."""
    change = service.change_status(session, principal, report_id, body.status)
    return StatusChangeRead.model_validate(change)


@router.post("/reports/{report_id}/claim", response_model=AssignmentRead, responses=NOT_FOUND)
def claim_api(report_id: ReportId, principal: Staff, session: DbSession) -> AssignmentRead:
    """Take the report: it is assigned to the caller (audited)."""
    report = service.claim_report(session, principal, report_id)
    return AssignmentRead(report_id=report_id, assignee=report.assignee)


@router.put(
    "/reports/{report_id}/assignee",
    response_model=AssignmentRead,
    responses=NOT_FOUND | error_responses(403),
)
def assign_api(
    report_id: ReportId, body: AssignmentUpdate, principal: Staff, session: DbSession
) -> AssignmentRead:
    """Give the report to a member of staff, or to nobody (null); a supervisor or an admin may
    give any report to anyone, an analyst take one nobody has or let go of her own (audited)."""
    report = service.assign_report(session, principal, report_id, body.assignee)
    return AssignmentRead(report_id=report_id, assignee=report.assignee)


@router.get("/reports/{report_id}/contact", response_model=ContactRead, responses=NOT_FOUND)
def contact_api(report_id: ReportId, principal: ContactReader, session: DbSession) -> ContactRead:
    """The reporter's contact, null when she gave none (analysts and supervisors; each reading
    is written to the audit log)."""
    contact = service.reporter_contact(session, principal, report_id)
    return ContactRead(report_id=report_id, contact=contact)
