"""Requests to organisations: the API under /api/v1/requests and the pages under /requests.

Staff draft, send and cancel; an organisation's users and tokens (role `platform`) read their
own organisation's requests and answer them. Who reads which request is decided in the
repository's query: a request that is not the caller's answers 404, as one that does not exist.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, TypeVar
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from tipline.access import STAFF_ROLES, Principal, Role, Staff, allow
from tipline.db_types import utc_now
from tipline.dependencies import DbSession
from tipline.errors import InvalidInput, error_responses
from tipline.evidence.service import Upload
from tipline.evidence.store import chunks_of
from tipline.html.protection import VerifiedForm, check_form
from tipline.html.rendering import render_workspace
from tipline.orgrequests import service
from tipline.orgrequests.core import LINE_OUTCOMES, OUTCOMES, REQUEST_TYPES, STATUSES
from tipline.orgrequests.outcomes import organisation_figures
from tipline.orgrequests.schemas import (
    AnswerCreate,
    OrganisationFigures,
    RequestCreate,
    RequestDetail,
    RequestPage,
)
from tipline.orgrequests.views import detail_of, read_of
from tipline.ratelimits.dependencies import limited
from tipline.settings import Settings

_Shape = TypeVar("_Shape", bound=BaseModel)

pages = APIRouter(include_in_schema=False)
router = APIRouter(
    prefix="/requests", tags=["requests"], responses=error_responses(401, 403, 404, 409, 422)
)
# The routes an organisation's token calls: counted per token (per address for a session).
LIMITED = [limited("public")]
_ASKED = allow(*STAFF_ROLES, Role.PLATFORM)
_ORGANISATION = allow(Role.PLATFORM)
Asked = Annotated[Principal, Depends(_ASKED)]  # staff, and the organisation asked
OrgUser = Annotated[Principal, Depends(_ORGANISATION)]
Reference = Annotated[str, Path(min_length=1, max_length=32)]
StatusFilter = Annotated[
    str, Query(max_length=16, pattern="^(|draft|sent|seen|answered|cancelled|overdue)$")
]
OptionalId = Annotated[int | None, Query(ge=1, le=2**62)]
MAX_ANSWER_FILES = 5
ANSWER_FIELDS = 10 + 3 * 1000  # the answer's, and three a line (a request has up to 1,000)


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


# --- API ---------------------------------------------------------------------------------------


@router.get("", dependencies=LIMITED, responses=error_responses(429))
def list_requests_api(
    principal: Asked, session: DbSession, status: StatusFilter = "",
    organisation_id: OptionalId = None,
) -> RequestPage:  # fmt: skip
    """The caller's requests (an organisation's: its own, never a draft), tipline's drafts
    first; `status=overdue` for those past due."""
    rows = service.list_requests(session, principal, status or None, organisation_id)
    return RequestPage(items=[read_of(*row) for row in rows])


@router.post("", status_code=201)
def create_request_api(principal: Staff, session: DbSession, data: RequestCreate) -> RequestDetail:
    """Draft a request from a report, a campaign or a case (the organisation proposed from the
    first indicator; with a bank and no indicators: every account of the source at that bank)."""
    request = service.draft_request(session, principal, data)
    return detail_of(service.view_request(session, principal, request.reference))


# The dashboard's window: requests sent in the last `days` days (by default the last 90).
Days = Annotated[int, Query(ge=1, le=3650, description="Requests sent in the last N days.")]
DEFAULT_DAYS = 90


def _since(days: int) -> datetime:
    return utc_now() - timedelta(days=days)


@router.get("/figures")
def figures_api(
    principal: Staff, session: DbSession, days: Days = DEFAULT_DAYS
) -> list[OrganisationFigures]:
    """Who answers how fast: per organisation, over the requests sent in the last `days` days,
    response times and amounts frozen (aggregated in the database)."""
    return organisation_figures(session, since=_since(days))


@router.get("/{reference}", dependencies=LIMITED, responses=error_responses(429))
def request_api(reference: Reference, principal: Asked, session: DbSession) -> RequestDetail:
    """One request with its lines, history and files; the organisation reading it marks it seen."""
    return detail_of(service.view_request(session, principal, reference))


@router.post("/{reference}/send")
def send_api(reference: Reference, principal: Staff, session: DbSession) -> RequestDetail:
    service.send_request(session, principal, reference)
    return detail_of(service.view_request(session, principal, reference))


@router.post("/{reference}/cancel")
def cancel_api(reference: Reference, principal: Staff, session: DbSession) -> RequestDetail:
    service.cancel_request(session, principal, reference)
    return detail_of(service.view_request(session, principal, reference))


def answerable(reference: Reference, principal: OrgUser, session: DbSession) -> str:
    """The reference of a request the caller's organisation may answer: 404 before its body
    is read, so that a request not theirs is answered alike whatever they sent."""
    return service.find(session, principal, reference).reference


@router.post("/{reference}/answer", dependencies=LIMITED, responses=error_responses(429))
def answer_api(
    reference: Annotated[str, Depends(answerable)], principal: OrgUser, session: DbSession,
    answer: AnswerCreate,
) -> RequestDetail:  # fmt: skip
    """The organisation's answer: done, partly done, refused or not ours, with its reference,
    the amount frozen and what it preserved (its files: `…/files`, one a call)."""
    service.answer_request(session, principal, reference, answer)
    return detail_of(service.view_request(session, principal, reference))


@router.post("/{reference}/files", dependencies=LIMITED, responses=error_responses(429))
async def add_file_api(
    request: Request, reference: Annotated[str, Depends(answerable)], principal: OrgUser,
    session: DbSession,
) -> RequestDetail:  # fmt: skip
    """A file of the organisation's answer (multipart, field `file`), kept as evidence."""
    form = await request.form(max_files=1, max_fields=2)
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("choose a file to upload", field="file")
        kept = Upload(chunks_of(upload.file), upload.filename, upload.content_type)
        await run_in_threadpool(
            service.add_answer_file, session, principal, reference, kept, _settings(request)
        )
    finally:
        await form.close()
    return await run_in_threadpool(_detail, session, principal, reference)


def _detail(session: Session, principal: Principal, reference: str) -> RequestDetail:
    return detail_of(service.view_request(session, principal, reference))


# --- pages -------------------------------------------------------------------------------------


@pages.get("/requests", response_class=HTMLResponse)
def requests_page(
    request: Request, principal: Asked, session: DbSession, status: StatusFilter = "",
) -> HTMLResponse:  # fmt: skip
    rows = service.list_requests(session, principal, status or None)
    values = {"rows": rows, "status": status, "statuses": (*STATUSES, "overdue")}
    return render_workspace(request, "orgrequests/list.html", "requests", values, principal)


@pages.get("/requests/new", response_class=HTMLResponse)
def new_request_page(
    request: Request, principal: Staff, session: DbSession, report: OptionalId = None,
    campaign: Annotated[UUID | None, Query()] = None, case: OptionalId = None,
) -> HTMLResponse:  # fmt: skip
    """What a report, campaign or case names, grouped by the organisation to ask."""
    source = _source(report, campaign, case)
    groups = service.proposal_groups(service.proposals(session, principal, source))
    values = {"groups": groups, "source": source, "types": REQUEST_TYPES}
    return render_workspace(request, "orgrequests/new.html", "requests", values, principal)


def _source(report: int | None, campaign: UUID | None, case: int | None) -> RequestCreate:
    try:
        return RequestCreate(report_id=report, campaign_uid=campaign, case_id=case)
    except ValidationError as exc:
        raise InvalidInput("ask from one report, one campaign or one case", field="source") from exc


@pages.post("/requests")
async def create_request_page(
    principal: Staff, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    data = _draft_of(form)
    created = await run_in_threadpool(service.draft_request, session, principal, data)
    return RedirectResponse(f"/requests/{created.reference}", status_code=303)


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _draft_of(form: FormData) -> RequestCreate:
    values: dict[str, Any] = {
        name: _field(form, name) or None for name in ("report_id", "campaign_uid", "case_id")
    }
    values |= {
        "organisation_id": _field(form, "organisation_id") or None,
        "type": _field(form, "type") or None,
        "indicator_ids": [v for v in form.getlist("indicator_ids") if isinstance(v, str)],
        "legal_basis": _field(form, "legal_basis"), "details": _field(form, "details"),
    }  # fmt: skip
    return _validated(RequestCreate, values)


@pages.get("/requests/dashboard", response_class=HTMLResponse)
def figures_page(
    request: Request, principal: Staff, session: DbSession, days: Days = DEFAULT_DAYS
) -> HTMLResponse:
    values = {"figures": organisation_figures(session, since=_since(days)), "days": days}
    return render_workspace(request, "orgrequests/figures.html", "requests", values, principal)


@pages.get("/requests/{reference}", response_class=HTMLResponse)
def request_page(
    request: Request, reference: Reference, principal: Asked, session: DbSession
) -> HTMLResponse:
    view = service.view_request(session, principal, reference)
    values = {"view": view, "r": view.request, "outcomes": OUTCOMES,
              "line_outcomes": LINE_OUTCOMES}  # fmt: skip
    return render_workspace(request, "orgrequests/request.html", "requests", values, principal)


STEPS = {"send": service.send_request, "cancel": service.cancel_request}


@pages.post("/requests/{reference}/send")
@pages.post("/requests/{reference}/cancel")
async def step_page(
    request: Request, reference: Reference, principal: Staff, session: DbSession,
    form: VerifiedForm,
) -> RedirectResponse:  # fmt: skip
    """One click: send a draft (it is on the organisation's screen at once), or cancel."""
    step = STEPS[request.url.path.rsplit("/", 1)[1]]
    await run_in_threadpool(step, session, principal, reference)
    return RedirectResponse(f"/requests/{reference}", status_code=303)


@pages.post("/requests/{reference}/answer")
async def answer_page(
    request: Request, reference: Reference, principal: OrgUser, session: DbSession
) -> Response:
    """The organisation's answer form, with up to five files (kept as evidence)."""
    form = await request.form(max_files=MAX_ANSWER_FILES, max_fields=ANSWER_FIELDS)
    try:
        check_form(request, form)
        await run_in_threadpool(service.find, session, principal, reference)  # 404 first
        answer = _answer_of(form)
        uploads = [
            Upload(chunks_of(f.file), f.filename, f.content_type)
            for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename
        ]  # fmt: skip
        await run_in_threadpool(
            service.answer_request, session, principal, reference, answer, uploads,
            _settings(request),
        )  # fmt: skip
    finally:
        await form.close()
    return RedirectResponse(f"/requests/{reference}", status_code=303)


def _validated(model: type[_Shape], values: dict[str, Any]) -> _Shape:
    """A form's values as the API's shape; what does not fit is invalid input (422)."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"]) or "form"
        raise InvalidInput(error["msg"], field=field) from exc


def _amount(form: FormData, name: str) -> Decimal | None:
    amount = _field(form, name).replace(".", "").replace(",", "").strip()
    try:
        return Decimal(amount) if amount else None
    except InvalidOperation as exc:
        raise InvalidInput("the amount is a number of đồng", field=name) from exc


def _line_answers(form: FormData) -> list[dict[str, Any]]:
    """The form's per-line outcomes (`line-<id>-outcome`, `-amount`, `-note`); a line whose
    outcome is left empty is not answered."""
    found = []
    for key in form:
        ident = key.removeprefix("line-").removesuffix("-outcome")
        if key.startswith("line-") and key.endswith("-outcome") and ident.isdigit():
            outcome = _field(form, key)
            if outcome:
                found.append({"line_id": int(ident), "outcome": outcome,
                              "amount_frozen": _amount(form, f"line-{ident}-amount"),
                              "note": _field(form, f"line-{ident}-note")})  # fmt: skip
    return found


def _answer_of(form: FormData) -> AnswerCreate:
    return _validated(AnswerCreate, {
        "outcome": _field(form, "outcome"), "org_reference": _field(form, "org_reference"),
        "amount_frozen": _amount(form, "amount_frozen"), "preserved": _field(form, "preserved"),
        "note": _field(form, "note"), "lines": _line_answers(form),
    })  # fmt: skip
