"""Case pages (`/cases`, `/cases/{id}`, `/cases/add`) and the cases API, for staff only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from tipline.access import Staff
from tipline.cases import service
from tipline.cases.core import STATUSES, read_deadline, read_id
from tipline.cases.models import Case
from tipline.cases.schemas import (
    CampaignLink,
    CampaignRead,
    CaseChange,
    CaseCreate,
    CaseDetail,
    CasePage,
    CaseRead,
    EvidenceRef,
    NoteCreate,
    NoteRead,
    ReportLink,
)
from tipline.cases.service import CaseView
from tipline.dependencies import DbSession
from tipline.errors import error_responses
from tipline.html.protection import VerifiedForm
from tipline.html.rendering import render_workspace

pages = APIRouter(include_in_schema=False)
router = APIRouter(
    prefix="/cases", tags=["cases"], responses=error_responses(401, 403, 404, 409, 422)
)

CaseId = Annotated[int, Path(ge=1, le=2**62)]
LinkId = Annotated[int, Path(ge=1, le=2**62)]
OptionalId = Annotated[int | None, Query(ge=1, le=2**62)]
PageNumber = Annotated[int, Query(ge=1, le=100_000)]


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _to_case(case_id: int) -> RedirectResponse:
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@pages.get("/cases", response_class=HTMLResponse)
def cases_page(
    request: Request,
    principal: Staff,
    session: DbSession,
    status: Annotated[str, Query(max_length=16)] = "",
    assignee: Annotated[str, Query(max_length=100)] = "",
    page: PageNumber = 1,
) -> HTMLResponse:
    listing = service.list_cases(session, principal, status or None, assignee or None, page)
    values = {"listing": listing, "statuses": STATUSES}
    return render_workspace(request, "cases/list.html", "cases", values, principal)


@pages.get("/cases/new", response_class=HTMLResponse)
def new_case_page(
    request: Request, principal: Staff, report: OptionalId = None, campaign: OptionalId = None
) -> HTMLResponse:
    values = {"report_id": report, "campaign_id": campaign}
    return render_workspace(request, "cases/new.html", "cases", values, principal)


@pages.post("/cases")
async def create_case(
    request: Request, principal: Staff, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    reports = [read_id(_field(form, "report_id"), "report_id")] if form.get("report_id") else []
    campaigns = (
        [read_id(_field(form, "campaign_id"), "campaign_id")] if form.get("campaign_id") else []
    )
    case = await run_in_threadpool(
        lambda: service.create_case(
            session, principal, _field(form, "title"),
            assignee=_field(form, "assignee"), deadline=read_deadline(_field(form, "deadline")),
            report_ids=reports, campaign_ids=campaigns,
        )
    )  # fmt: skip
    return _to_case(case.id)


@pages.get("/cases/add", response_class=HTMLResponse)
def add_to_case_page(
    request: Request,
    principal: Staff,
    session: DbSession,
    report: OptionalId = None,
    campaign: OptionalId = None,
) -> HTMLResponse:
    choice = service.merge_choice(session, principal, report, campaign)
    values = {"choice": choice}
    return render_workspace(request, "cases/add.html", "cases", values, principal)


@pages.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(
    request: Request, case_id: CaseId, principal: Staff, session: DbSession
) -> HTMLResponse:
    view = service.view_case(session, case_id, principal)
    values = {"view": view, "case": view.case, "statuses": STATUSES}
    return render_workspace(request, "cases/case.html", "cases", values, principal)


@pages.post("/cases/{case_id}/reports")
async def add_report(
    request: Request, case_id: CaseId, principal: Staff, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    report_id = read_id(_field(form, "report_id"), "report_id")
    await run_in_threadpool(service.add_report, session, case_id, report_id, principal)
    return _to_case(case_id)


@pages.post("/cases/{case_id}/reports/{report_id}/remove")
async def remove_report(
    request: Request,
    case_id: CaseId,
    report_id: LinkId,
    principal: Staff,
    session: DbSession,
    form: VerifiedForm,
) -> RedirectResponse:
    await run_in_threadpool(service.remove_report, session, case_id, report_id, principal)
    return _to_case(case_id)


@pages.post("/cases/{case_id}/campaigns")
async def add_campaign(
    request: Request, case_id: CaseId, principal: Staff, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    campaign_id = read_id(_field(form, "campaign_id"), "campaign_id")
    await run_in_threadpool(service.add_campaign, session, case_id, campaign_id, principal)
    return _to_case(case_id)


@pages.post("/cases/{case_id}/campaigns/{campaign_id}/remove")
async def remove_campaign(
    request: Request,
    case_id: CaseId,
    campaign_id: LinkId,
    principal: Staff,
    session: DbSession,
    form: VerifiedForm,
) -> RedirectResponse:
    await run_in_threadpool(service.remove_campaign, session, case_id, campaign_id, principal)
    return _to_case(case_id)


@pages.post("/cases/{case_id}/notes")
async def add_note(
    request: Request, case_id: CaseId, principal: Staff, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    text = _field(form, "text")
    await run_in_threadpool(service.add_note, session, case_id, text, principal)
    return _to_case(case_id)


@pages.post("/cases/{case_id}/assign")
async def assign(
    request: Request, case_id: CaseId, principal: Staff, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    assignee, deadline = _field(form, "assignee"), read_deadline(_field(form, "deadline"))
    await run_in_threadpool(service.assign, session, case_id, assignee, deadline, principal)
    return _to_case(case_id)


@pages.post("/cases/{case_id}/status")
async def change_status(
    request: Request, case_id: CaseId, principal: Staff, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    status = _field(form, "status")
    await run_in_threadpool(service.change_status, session, case_id, status, principal)
    return _to_case(case_id)


# The JSON API: the same use cases.


def _read(case: Case) -> CaseRead:
    row = service.list_row(case)
    return CaseRead(
        id=case.id, reference=row.reference, title=case.title, status=case.status,
        assignee=case.assignee, deadline=case.deadline, overdue=row.overdue,
        created_by=case.created_by, created_at=case.created_at, updated_at=case.updated_at,
    )  # fmt: skip


def _detail(view: CaseView) -> CaseDetail:
    campaigns = [
        CampaignRead(
            campaign_id=c.linked_id,
            current_campaign_id=c.current_id,
            current_campaign_uid=c.current_uid,
            report_count=c.report_count,
            report_ids=[m.id for m in c.reports],
        )  # fmt: skip
        for c in view.campaigns
    ]
    notes = [NoteRead(id=n.id, author=n.author, text=n.text, created_at=n.created_at)
             for n in view.notes]  # fmt: skip
    evidence = [
        EvidenceRef(
            evidence_id=f.evidence_id,
            sha256=f.sha256,
            size=f.size,
            media_type=f.media_type,
            file_name=f.file_name,
            attached_by=f.attached_by,
            attached_at=f.attached_at,
        )  # fmt: skip
        for f in view.evidence
    ]
    base: dict[str, Any] = _read(view.case).model_dump()
    return CaseDetail(
        **base, report_ids=[r.id for r in view.reports], campaigns=campaigns, notes=notes,
        evidence=evidence,
    )  # fmt: skip


@router.get("", response_model=CasePage)
def list_cases_api(
    principal: Staff,
    session: DbSession,
    status: Annotated[str | None, Query(max_length=16)] = None,
    assignee: Annotated[str | None, Query(max_length=100)] = None,
    page: PageNumber = 1,
) -> CasePage:
    listing = service.list_cases(session, principal, status, assignee, page)
    items = [_read(row.case) for row in listing.rows]
    return CasePage(items=items, total=listing.total, page=listing.page, pages=listing.pages)


@router.post("", response_model=CaseDetail, status_code=201)
def create_case_api(body: CaseCreate, principal: Staff, session: DbSession) -> CaseDetail:
    case = service.create_case(
        session, principal, body.title, assignee=body.assignee, deadline=body.deadline,
        report_ids=body.report_ids, campaign_ids=body.campaign_ids,
    )  # fmt: skip
    return _detail(service.view_case(session, case.id, principal))


@router.get("/{case_id}", response_model=CaseDetail)
def case_api(case_id: CaseId, principal: Staff, session: DbSession) -> CaseDetail:
    return _detail(service.view_case(session, case_id, principal))


@router.patch("/{case_id}", response_model=CaseRead)
def change_case_api(
    case_id: CaseId, body: CaseChange, principal: Staff, session: DbSession
) -> CaseRead:
    case = service.get_case(session, principal, case_id)
    sent = body.model_fields_set
    if "assignee" in sent or "deadline" in sent:
        assignee = body.assignee if "assignee" in sent else case.assignee
        deadline = body.deadline if "deadline" in sent else case.deadline
        case = service.assign(session, case_id, assignee, deadline, principal)
    if body.status is not None and body.status != case.status:
        case = service.change_status(session, case_id, body.status, principal)
    return _read(case)


@router.post("/{case_id}/reports", response_model=CaseRead)
def add_report_api(
    case_id: CaseId, body: ReportLink, principal: Staff, session: DbSession
) -> CaseRead:
    return _read(service.add_report(session, case_id, body.report_id, principal))


@router.delete("/{case_id}/reports/{report_id}", status_code=204)
def remove_report_api(
    case_id: CaseId, report_id: LinkId, principal: Staff, session: DbSession
) -> Response:
    service.remove_report(session, case_id, report_id, principal)
    return Response(status_code=204)


@router.post("/{case_id}/campaigns", response_model=CaseRead)
def add_campaign_api(
    case_id: CaseId, body: CampaignLink, principal: Staff, session: DbSession
) -> CaseRead:
    return _read(service.add_campaign(session, case_id, body.campaign_id, principal))


@router.delete("/{case_id}/campaigns/{campaign_id}", status_code=204)
def remove_campaign_api(
    case_id: CaseId, campaign_id: LinkId, principal: Staff, session: DbSession
) -> Response:
    service.remove_campaign(session, case_id, campaign_id, principal)
    return Response(status_code=204)


@router.post("/{case_id}/notes", response_model=NoteRead, status_code=201)
def add_note_api(
    case_id: CaseId, body: NoteCreate, principal: Staff, session: DbSession
) -> NoteRead:
    note = service.add_note(session, case_id, body.text, principal)
    return NoteRead(id=note.id, author=note.author, text=note.text, created_at=note.created_at)
