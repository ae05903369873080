"""Case pages (`/cases`, `/cases/{id}`, `/cases/add`) and the cases API, for staff only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from tipline.access import Principal, Staff
from tipline.cases import service
from tipline.cases.core import STATUSES, read_campaign_uid, read_deadline
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
from tipline.errors import TiplineError, error_responses
from tipline.html.protection import VerifiedForm
from tipline.html.rendering import render_workspace, translator

pages = APIRouter(include_in_schema=False)
router = APIRouter(
    prefix="/cases", tags=["cases"], responses=error_responses(401, 403, 404, 409, 422)
)

CaseId = Annotated[int, Path(ge=1, le=2**62)]
LinkId = Annotated[int, Path(ge=1, le=2**62)]
OptionalId = Annotated[int | None, Query(ge=1, le=2**62)]
OptionalUid = Annotated[UUID | None, Query()]
Cursor = Annotated[str | None, Query(max_length=100)]
# What the case page says after a change (`?done=`), in the reader's language.
DONE = (
    "report_added", "report_removed", "campaign_added", "campaign_removed", "note_added",
    "assigned", "status_changed",
)  # fmt: skip
# What the case page says when adding a report or a campaign fails, by the error and its field.
FORM_ERRORS = {
    ("invalid_input", "code"): "cases.error.not_a_code",
    ("not_found", "code"): "cases.error.no_such_report",
    ("conflict", "code"): "cases.error.report_in_case",
    ("invalid_input", "campaign_uid"): "cases.error.not_a_campaign",
    ("not_found", "campaign_uid"): "cases.error.no_such_campaign",
    ("conflict", "campaign_uid"): "cases.error.campaign_in_case",
}

# The same messages by the last word of their key, as the case page's address carries one after a
# failed form (`?error=no_such_report&typed=…`), with the form field it is about.
FORM_ERROR_KEYS = {key.rsplit(".", 1)[1]: (key, field) for (_, field), key in FORM_ERRORS.items()}
MAX_TYPED = 200


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _to_case(case_id: int, done: str | None = None) -> RedirectResponse:
    query = f"?done={done}" if done else ""
    return RedirectResponse(f"/cases/{case_id}{query}", status_code=303)


def _to_case_with_error(case_id: int, key: str, typed: str) -> RedirectResponse:
    """Back to the case page after a form that failed, saying why by the form, what was typed
    kept (a GET: reloading it shows the same, and submits nothing again)."""
    query = urlencode({"error": key.rsplit(".", 1)[1], "typed": typed[:MAX_TYPED]})
    return RedirectResponse(f"/cases/{case_id}?{query}", status_code=303)


def _form_error(request: Request, error: str, typed: str) -> dict[str, str]:
    """What the case page's forms show for `?error=` and `?typed=` (nothing for a word that is
    not one of FORM_ERRORS)."""
    if error not in FORM_ERROR_KEYS:
        return {"form": "", "message": "", "typed": ""}
    key, field = FORM_ERROR_KEYS[error]
    return {"form": field, "message": translator(request)(key), "typed": typed}


def _case_page(
    request: Request,
    session: Session,
    principal: Principal,
    case_id: int,
    notice: str | None,
    form_error: dict[str, str],
) -> HTMLResponse:
    view = service.view_case(session, case_id, principal)
    values = {
        "view": view, "case": view.case, "statuses": STATUSES, "notice": notice,
        "form_error": form_error,
    }  # fmt: skip
    return render_workspace(request, "cases/case.html", "cases", values, principal)


async def _change(
    session: Session,
    case_id: int,
    change: Callable[[], object],
    done: str,
    typed: tuple[str, str],
) -> RedirectResponse:
    """Make a change typed in a case page form, then back to the case page saying so; when what
    was typed names no report or campaign, back to the case page too, saying why by the form,
    the typed text kept (`typed`: the form's field and what it held). Both redirect (303)."""
    try:
        await run_in_threadpool(change)
    except TiplineError as exc:
        key = FORM_ERRORS.get((exc.code, exc.field or ""))
        if key is None:
            raise
        session.rollback()
        return _to_case_with_error(case_id, key, typed[1])
    return _to_case(case_id, done)


@pages.get("/cases", response_class=HTMLResponse)
def cases_page(
    request: Request,
    principal: Staff,
    session: DbSession,
    status: Annotated[str, Query(max_length=16)] = "",
    assignee: Annotated[str, Query(max_length=100)] = "",
    cursor: Cursor = None,
) -> HTMLResponse:
    listing = service.list_cases(session, principal, status or None, assignee or None, cursor)
    values = {"listing": listing, "statuses": STATUSES}
    return render_workspace(request, "cases/list.html", "cases", values, principal)


@pages.get("/cases/new", response_class=HTMLResponse)
def new_case_page(request: Request, principal: Staff) -> HTMLResponse:
    values = {"report_code": None, "campaign": None}
    return render_workspace(request, "cases/new.html", "cases", values, principal)


@pages.post("/cases")
async def create_case(
    request: Request, principal: Staff, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    """Open a case, with the report (by tracking code) or campaign (by identifier) it starts
    from when the form names one."""
    code, campaign = _field(form, "report_code"), _field(form, "campaign_uid")
    campaigns = [read_campaign_uid(campaign)] if campaign else []
    case = await run_in_threadpool(
        lambda: service.create_case(
            session, principal, _field(form, "title"),
            assignee=_field(form, "assignee"), deadline=read_deadline(_field(form, "deadline")),
            report_codes=[code] if code else [], campaign_uids=campaigns,
        )
    )  # fmt: skip
    return _to_case(case.id)


@pages.get("/cases/add", response_class=HTMLResponse)
def add_to_case_page(
    request: Request,
    principal: Staff,
    session: DbSession,
    report: OptionalId = None,
    campaign: OptionalUid = None,
) -> HTMLResponse:
    """The open cases a report (`?report=<id>`, from its page) or a campaign
    (`?campaign=<uid>`) may join, and a form to open a new one."""
    choice = service.merge_choice(session, principal, report, campaign)
    values = {"choice": choice, "report_code": choice.report_code, "campaign": choice.campaign}
    return render_workspace(request, "cases/add.html", "cases", values, principal)


@pages.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(
    request: Request,
    case_id: CaseId,
    principal: Staff,
    session: DbSession,
    done: Annotated[str, Query(max_length=40)] = "",
    error: Annotated[str, Query(max_length=40)] = "",
    typed: Annotated[str, Query(max_length=MAX_TYPED)] = "",
) -> HTMLResponse:
    notice = translator(request)(f"cases.done.{done}") if done in DONE else None
    form_error = _form_error(request, error, typed)
    return _case_page(request, session, principal, case_id, notice, form_error)


@pages.post("/cases/{case_id}/reports")
async def add_report(
    case_id: CaseId, principal: Staff, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    """Add a report by its tracking code (the code every page shows)."""
    code = _field(form, "code")[:40]

    def change() -> object:
        return service.add_report_by_code(session, case_id, code, principal)

    return await _change(session, case_id, change, "report_added", ("code", code))


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
    return _to_case(case_id, "report_removed")


@pages.post("/cases/{case_id}/campaigns")
async def add_campaign(
    case_id: CaseId, principal: Staff, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    """Add a campaign by its identifier or the address of its page."""
    typed = _field(form, "campaign_uid")[:200]

    def change() -> object:
        return service.add_campaign(session, case_id, read_campaign_uid(typed), principal)

    return await _change(session, case_id, change, "campaign_added", ("campaign_uid", typed))


@pages.post("/cases/{case_id}/campaigns/{uid}/remove")
async def remove_campaign(
    request: Request,
    case_id: CaseId,
    uid: UUID,
    principal: Staff,
    session: DbSession,
    form: VerifiedForm,
) -> RedirectResponse:
    await run_in_threadpool(service.remove_campaign, session, case_id, uid, principal)
    return _to_case(case_id, "campaign_removed")


@pages.post("/cases/{case_id}/notes")
async def add_note(
    request: Request, case_id: CaseId, principal: Staff, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    text = _field(form, "text")
    await run_in_threadpool(service.add_note, session, case_id, text, principal)
    return _to_case(case_id, "note_added")


@pages.post("/cases/{case_id}/assign")
async def assign(
    request: Request, case_id: CaseId, principal: Staff, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    assignee, deadline = _field(form, "assignee"), read_deadline(_field(form, "deadline"))
    await run_in_threadpool(service.assign, session, case_id, assignee, deadline, principal)
    return _to_case(case_id, "assigned")


@pages.post("/cases/{case_id}/status")
async def change_status(
    request: Request, case_id: CaseId, principal: Staff, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    status = _field(form, "status")
    await run_in_threadpool(service.change_status, session, case_id, status, principal)
    return _to_case(case_id, "status_changed")


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
            campaign_uid=c.linked_uid,
            current_campaign_uid=c.current.uid if c.current else None,
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
        **base, report_ids=[r.id for r in view.reports],
        report_codes=[r.code for r in view.reports], campaigns=campaigns, notes=notes,
        evidence=evidence,
    )  # fmt: skip


@router.get("", response_model=CasePage)
def list_cases_api(
    principal: Staff,
    session: DbSession,
    status: Annotated[str | None, Query(max_length=16)] = None,
    assignee: Annotated[str | None, Query(max_length=100)] = None,
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=200)] = service.PAGE_SIZE,
) -> CasePage:
    """Cases, overdue first, filtered by status and assignee, one keyset page at a time."""
    listing = service.list_cases(session, principal, status, assignee, cursor, size=limit)
    return CasePage(
        items=[_read(row.case) for row in listing.rows], total=listing.total,
        next_cursor=listing.next_cursor, previous_cursor=listing.previous_cursor,
    )  # fmt: skip


@router.post("", response_model=CaseDetail, status_code=201)
def create_case_api(body: CaseCreate, principal: Staff, session: DbSession) -> CaseDetail:
    case = service.create_case(
        session, principal, body.title, assignee=body.assignee, deadline=body.deadline,
        report_ids=body.report_ids, report_codes=body.report_codes,
        campaign_uids=body.campaign_uids,
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
    """Add a report by its tracking code (`code`) or its id (`report_id`)."""
    if body.code is not None:
        return _read(service.add_report_by_code(session, case_id, body.code, principal))
    assert body.report_id is not None  # the schema asks for one of the two
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
    """Add a campaign by its identifier (a retired one adds the campaign that absorbed it)."""
    return _read(service.add_campaign(session, case_id, body.campaign_uid, principal))


@router.delete("/{case_id}/campaigns/{uid}", status_code=204)
def remove_campaign_api(
    case_id: CaseId, uid: UUID, principal: Staff, session: DbSession
) -> Response:
    """Take a campaign out of the case, by the identifier it was added by or the one that
    names it now."""
    service.remove_campaign(session, case_id, uid, principal)
    return Response(status_code=204)


@router.post("/{case_id}/notes", response_model=NoteRead, status_code=201)
def add_note_api(
    case_id: CaseId, body: NoteCreate, principal: Staff, session: DbSession
) -> NoteRead:
    note = service.add_note(session, case_id, body.text, principal)
    return NoteRead(id=note.id, author=note.author, text=note.text, created_at=note.created_at)
