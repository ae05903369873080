"""Cooperation pages (`/cooperation`, `/cooperation/new`, `/cooperation/overview`,
`/cooperation/{reference}`), for staff only: they do what the API does, nothing more."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from tipline.access import Principal, Staff
from tipline.cooperation import core, service
from tipline.cooperation.links import LINK_KINDS, LinkTarget, add_link, remove_link
from tipline.cooperation.repository import Filters
from tipline.cooperation.service import Draft
from tipline.dependencies import DbSession
from tipline.errors import InvalidInput, TiplineError
from tipline.html.protection import VerifiedForm
from tipline.html.rendering import render_workspace, translator

pages = APIRouter(include_in_schema=False)

Reference = Annotated[str, Path(min_length=1, max_length=40)]
Choice = Annotated[str, Query(max_length=24)]
CaseId = Annotated[int | None, Query(ge=1, le=2**62)]
# The form's boxes of things asked for, one value a line, by the kind of each line.
LINE_FIELDS = (("accounts", "account"), ("numbers", "number"), ("domains", "domain"))
DONE = ("created", "status", "extended", "linked", "unlinked")
# What a link form that failed says, by the error's field and code (in the reader's language).
LINK_ERRORS = {
    ("report_code", "not_found"): "coop.link_error.report",
    ("campaign_uid", "not_found"): "coop.link_error.campaign",
    ("campaign_uid", "invalid_input"): "coop.link_error.campaign",
    ("indicator", "not_found"): "coop.link_error.indicator",
    ("indicator", "invalid_input"): "coop.link_error.unreadable",
    ("link", "conflict"): "coop.link_error.already",
    ("link", "invalid_input"): "coop.link_error.empty",
    ("status", "conflict"): "coop.link_error.closed",
}
FORM_TEXT = (
    "direction", "type", "partner_id", "requesting_authority", "requested_authority",
    "their_reference", "legal_basis", "offences", "accounts", "numbers", "domains",
    "range_from", "range_to", "facts", "confidentiality", "data_conditions", "deadline",
    "case_id",
)  # fmt: skip


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _number(text: str, name: str) -> int | None:
    if not text.strip():
        return None
    if not text.strip().isdigit() or not 0 < int(text) <= 2**62:
        raise InvalidInput(f"{name} is a number", field=name)
    return int(text)


def _day(text: str, name: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError as exc:
        raise InvalidInput(f"{name} is a date (YYYY-MM-DD)", field=name) from exc


def _lines(form: FormData) -> list[dict[str, object]]:
    """The things asked for as lines: one value a line in each box, and the time range."""
    lines: list[dict[str, object]] = [
        {"kind": kind, "value": value.strip()}
        for name, kind in LINE_FIELDS
        for value in _field(form, name).splitlines()
        if value.strip()
    ]
    start, end = _field(form, "range_from"), _field(form, "range_to")
    if start or end:
        lines.append({"kind": "time_range", "from": start, "to": end})
    return lines


def draft_of_form(form: FormData) -> Draft:
    """The request the new-request form describes."""
    text = {name: _field(form, name) for name in FORM_TEXT}
    return Draft(
        direction=text["direction"], type=text["type"],
        requesting_authority=text["requesting_authority"],
        requested_authority=text["requested_authority"],
        partner_id=_number(text["partner_id"], "partner_id"),
        their_reference=text["their_reference"] or None, legal_basis=text["legal_basis"],
        offences=text["offences"], data_requested=_lines(form), facts=text["facts"],
        confidentiality=text["confidentiality"], data_conditions=text["data_conditions"],
        deadline=_day(text["deadline"], "deadline"), case_id=_number(text["case_id"], "case_id"),
    )  # fmt: skip


def _new_page(
    request: Request, session: Session, principal: Principal, typed: dict[str, str], error: str
) -> HTMLResponse:
    values = {
        "partners": service.partners(session), "legal_bases": core.LEGAL_BASES,
        "types": core.TYPES, "directions": core.DIRECTIONS, "error": error,
        "typed": dict.fromkeys(FORM_TEXT, "") | typed,
    }  # fmt: skip
    status = 422 if error else 200
    page = "cooperation"
    return render_workspace(request, "cooperation/new.html", page, values, principal, status)


@pages.get("/cooperation", response_class=HTMLResponse)
def list_page(
    request: Request,
    principal: Staff,
    session: DbSession,
    direction: Choice = "",
    type: Choice = "",
    status: Choice = "",
    case: CaseId = None,
    cursor: Annotated[str | None, Query(max_length=100)] = None,
) -> HTMLResponse:
    filters = Filters(direction or None, type or None, status or None, case_id=case)
    listing = service.list_requests(session, principal, filters, cursor)
    values = {
        "listing": listing, "today": service.today(), "types": core.TYPES,
        "directions": core.DIRECTIONS, "statuses": core.STATUSES,
    }  # fmt: skip
    return render_workspace(request, "cooperation/list.html", "cooperation", values, principal)


@pages.get("/cooperation/new", response_class=HTMLResponse)
def new_page(
    request: Request, principal: Staff, session: DbSession, case: CaseId = None
) -> HTMLResponse:
    """The form; from a case's page (`case`), with that case filled in."""
    typed = {"direction": "outgoing", "case_id": str(case) if case else ""}
    return _new_page(request, session, principal, typed, "")


@pages.post("/cooperation", response_model=None)
async def create(
    request: Request, principal: Staff, session: DbSession, form: VerifiedForm
) -> HTMLResponse | RedirectResponse:
    """Record the request the form describes; the form again, saying what is wrong, if it
    cannot be."""
    try:
        draft = draft_of_form(form)
        made = await run_in_threadpool(service.create_request, session, principal, draft)
    except TiplineError as exc:
        session.rollback()
        typed = {name: _field(form, name) for name in FORM_TEXT}
        return _new_page(request, session, principal, typed, exc.message)
    return RedirectResponse(f"/cooperation/{made.reference}?done=created", status_code=303)


@pages.get("/cooperation/overview", response_class=HTMLResponse)
def overview_page(request: Request, principal: Staff, session: DbSession) -> HTMLResponse:
    values = {"overview": service.overview(session, principal)}
    return render_workspace(request, "cooperation/overview.html", "cooperation", values, principal)


def _request_page(
    request: Request,
    session: Session,
    principal: Principal,
    reference: str,
    notice: str | None = None,
    link_error: tuple[str, str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    """The request's page; with `link_error` (kind, value typed, what is wrong) after a link
    that could not be made."""
    view = service.view_request(session, principal, reference)
    values = {
        "view": view, "r": view.request, "notice": notice, "link_kinds": LINK_KINDS,
        "link_error": link_error,
    }  # fmt: skip
    page = "cooperation/request.html"
    return render_workspace(request, page, "cooperation", values, principal, status)


@pages.get("/cooperation/{reference}", response_class=HTMLResponse)
def request_page(
    request: Request,
    reference: Reference,
    principal: Staff,
    session: DbSession,
    done: Annotated[str, Query(max_length=16)] = "",
) -> HTMLResponse:
    notice = translator(request)(f"coop.done.{done}") if done in DONE else None
    return _request_page(request, session, principal, reference, notice)


def link_target(kind: str, text: str, *, adding: bool) -> LinkTarget:
    """What a link form names: a report by its tracking code, a campaign by its identifier (or
    its page's address), an indicator as typed (adding) or by its id (removing)."""
    text = text.strip()
    if kind == "report":
        return LinkTarget(report_code=text)
    if kind == "campaign":
        try:
            return LinkTarget(campaign_uid=UUID(text.rstrip("/").rsplit("/", 1)[-1]))
        except ValueError as exc:
            raise InvalidInput("a campaign's identifier", field="campaign_uid") from exc
    if kind == "indicator":
        if adding:
            return LinkTarget(indicator=text)
        return LinkTarget(indicator_id=_number(text, "indicator_id"))
    raise InvalidInput(f"kind must be one of {', '.join(LINK_KINDS)}", field="kind")


@pages.post("/cooperation/{reference}/links", response_model=None)
async def link(
    request: Request, reference: Reference, principal: Staff, session: DbSession, form: VerifiedForm
) -> HTMLResponse | RedirectResponse:
    """Link what the form names; the page again, saying what is wrong, if it cannot be."""
    kind, text = _field(form, "kind"), _field(form, "value")
    try:
        target = link_target(kind, text, adding=True)
        made = await run_in_threadpool(add_link, session, principal, reference, target)
    except TiplineError as exc:
        session.rollback()
        said = LINK_ERRORS.get((exc.field or "", exc.code), "coop.link_error.other")
        failed = (kind, text, said)
        return _request_page(request, session, principal, reference, None, failed, exc.status)
    return RedirectResponse(f"/cooperation/{made.reference}?done=linked", status_code=303)


@pages.post("/cooperation/{reference}/links/removal")
async def unlink(
    reference: Reference, principal: Staff, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    target = link_target(_field(form, "kind"), _field(form, "key"), adding=False)
    made = await run_in_threadpool(remove_link, session, principal, reference, target)
    return RedirectResponse(f"/cooperation/{made.reference}?done=unlinked", status_code=303)


@pages.post("/cooperation/{reference}/status")
async def change_status(
    reference: Reference, principal: Staff, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    status, note = _field(form, "status"), _field(form, "note")
    made = await run_in_threadpool(
        lambda: service.change_status(session, principal, reference, status, note=note)
    )
    return RedirectResponse(f"/cooperation/{made.reference}?done=status", status_code=303)


@pages.post("/cooperation/{reference}/extension")
async def extend(
    reference: Reference, principal: Staff, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    made = await run_in_threadpool(service.extend_preservation, session, principal, reference)
    return RedirectResponse(f"/cooperation/{made.reference}?done=extended", status_code=303)


@pages.get("/cooperation/{reference}/document")
def document_page(
    reference: Reference,
    principal: Staff,
    session: DbSession,
    lang: Annotated[str, Query(pattern="^(vi|en)$")] = "vi",
) -> Response:
    """The request as a PDF, to download from its page."""
    return pdf_response(*service.document(session, principal, reference, lang))


def pdf_response(name: str, pdf: bytes) -> Response:
    """A PDF to download, kept by no cache on the way."""
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return Response(pdf, media_type="application/pdf", headers=headers)
