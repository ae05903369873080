"""Cooperation pages (`/cooperation`, `/cooperation/new`, `/cooperation/overview`,
`/cooperation/{reference}`), for staff only: they do what the API does, nothing more."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from tipline.access import Principal, Staff
from tipline.cooperation import core, service
from tipline.cooperation.repository import Filters
from tipline.cooperation.service import Draft
from tipline.dependencies import DbSession
from tipline.errors import InvalidInput, TiplineError
from tipline.html.protection import VerifiedForm
from tipline.html.rendering import render_workspace, translator

pages = APIRouter(include_in_schema=False)

Reference = Annotated[str, Path(min_length=1, max_length=40)]
Choice = Annotated[str, Query(max_length=24)]
# The form's boxes of things asked for, one value a line, by the kind of each line.
LINE_FIELDS = (("accounts", "account"), ("numbers", "number"), ("domains", "domain"))
DONE = ("created", "status", "extended")
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
    cursor: Annotated[str | None, Query(max_length=100)] = None,
) -> HTMLResponse:
    filters = Filters(direction or None, type or None, status or None)
    listing = service.list_requests(session, principal, filters, cursor)
    values = {
        "listing": listing, "today": service.today(), "types": core.TYPES,
        "directions": core.DIRECTIONS, "statuses": core.STATUSES,
    }  # fmt: skip
    return render_workspace(request, "cooperation/list.html", "cooperation", values, principal)


@pages.get("/cooperation/new", response_class=HTMLResponse)
def new_page(request: Request, principal: Staff, session: DbSession) -> HTMLResponse:
    return _new_page(request, session, principal, {"direction": "outgoing"}, "")


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


@pages.get("/cooperation/{reference}", response_class=HTMLResponse)
def request_page(
    request: Request,
    reference: Reference,
    principal: Staff,
    session: DbSession,
    done: Annotated[str, Query(max_length=16)] = "",
) -> HTMLResponse:
    view = service.view_request(session, principal, reference)
    notice = translator(request)(f"coop.done.{done}") if done in DONE else None
    values = {"view": view, "r": view.request, "notice": notice}
    return render_workspace(request, "cooperation/request.html", "cooperation", values, principal)


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
