"""The administration of partner agencies (admins only): the partners with their policies and
credentials, adding one, editing its sharing policy; and the analyst's TLP on an indicator
(`PATCH /api/v1/indicators/{id}`, and the control on the report view; staff). And the TAXII 2.1
server, mounted at /taxii2 as its own application (`protocol`, `tipline.sharing.taxii.app`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from tipline.access import Admin, Principal, Staff
from tipline.dependencies import DbSession
from tipline.errors import TiplineError, error_responses
from tipline.html.protection import VerifiedForm
from tipline.html.rendering import render_workspace, translator
from tipline.partners.service import add_partner
from tipline.server.protocols import ProtocolMount
from tipline.sharing import policies
from tipline.sharing.markings import IndicatorMarking, set_indicator_tlp
from tipline.sharing.policy import KINDS, SharingPolicy
from tipline.sharing.schemas import IndicatorTlpChange, IndicatorTlpRead
from tipline.sharing.taxii.app import BODY_LIMIT, build
from tipline.sharing.tlp import TLPS
from tipline.vocabulary import CATEGORIES

pages = APIRouter(include_in_schema=False)
router = APIRouter(
    prefix="/indicators", tags=["indicators"], responses=error_responses(401, 403, 404, 422)
)
protocol = ProtocolMount("/taxii2", build, body_limit=BODY_LIMIT)

PartnerId = Annotated[int, Path(ge=1, le=2**62)]
IndicatorId = Annotated[int, Path(ge=1, le=2**63 - 1)]
ReportId = Annotated[int, Path(ge=1, le=2**63 - 1)]
PARTNERS = "/admin/partners"
DONE = ("added", "policy")
# What a form says when what was typed cannot be stored, by the error and its field.
FORM_ERRORS = {
    ("invalid_input", "name"): "sharing.error.name",
    ("conflict", "name"): "sharing.error.name_taken",
    ("invalid_input", "country"): "sharing.error.country",
    ("invalid_input", "contacts"): "sharing.error.contacts",
    ("invalid_input", "max_tlp"): "sharing.error.max_tlp",
    ("invalid_input", "categories"): "sharing.error.categories",
    ("invalid_input", "kinds"): "sharing.error.kinds",
}


def _text(form: FormData, name: str, limit: int = 200) -> str:
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


def _error_key(exc: TiplineError) -> str:
    key = FORM_ERRORS.get((exc.code, exc.field or ""))
    if key is None:
        raise exc
    return key


def _kind_label(request: Request) -> Callable[[str], str]:
    t = translator(request)
    return lambda kind: t(f"kind.{kind}")


def _partners_page(
    request: Request,
    session: Session,
    principal: Principal,
    notice: str | None = None,
    error: str | None = None,
    typed: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    values = {
        "partners": policies.partners_with_access(session),
        "all_categories": set(CATEGORIES), "all_kinds": set(KINDS),
        "kind_label": _kind_label(request),
        "notice": notice, "form_error": error,
        "form": typed or {"name": "", "country": "", "contacts": ""},
    }  # fmt: skip
    return render_workspace(request, "sharing/partners.html", "partners", values, principal, status)


@pages.get(PARTNERS, response_class=HTMLResponse)
def partners_page(
    request: Request, principal: Admin, session: DbSession, done: str = ""
) -> HTMLResponse:
    notice = translator(request)(f"sharing.done.{done}") if done in DONE else None
    return _partners_page(request, session, principal, notice)


@pages.post(PARTNERS, response_class=HTMLResponse)
def partners_add(
    request: Request, principal: Admin, session: DbSession, form: VerifiedForm
) -> Response:
    typed = {"name": _text(form, "name"), "country": _text(form, "country", 8),
             "contacts": _text(form, "contacts", 2001)}  # fmt: skip
    try:
        add_partner(session, principal.actor, typed["name"], typed["country"], typed["contacts"])
    except TiplineError as exc:
        key = _error_key(exc)
        session.rollback()
        error = translator(request)(key)
        return _partners_page(request, session, principal, None, error, typed, 422)
    return RedirectResponse(f"{PARTNERS}?done=added", status_code=303)


def _shown(policy: SharingPolicy) -> dict[str, Any]:
    """A policy as the form shows it (as typed, when it was refused)."""
    return {"max_tlp": policy.max_tlp.value, "categories": policy.categories,
            "kinds": policy.kinds, "campaigns": policy.campaigns}  # fmt: skip


def _policy_page(
    request: Request,
    principal: Principal,
    access: policies.PartnerAccess,
    shown: dict[str, Any],
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    values = {
        "partner": access.partner, "policy": shown, "form_error": error,
        "tlps": TLPS, "categories": CATEGORIES, "kinds": KINDS,
        "kind_label": _kind_label(request),
    }  # fmt: skip
    return render_workspace(request, "sharing/policy.html", "partners", values, principal, status)


@pages.get(PARTNERS + "/{partner_id}/policy", response_class=HTMLResponse)
def policy_page(
    request: Request, partner_id: PartnerId, principal: Admin, session: DbSession
) -> HTMLResponse:
    access = policies.partner_access(session, partner_id)
    return _policy_page(request, principal, access, _shown(access.policy))


@pages.post(PARTNERS + "/{partner_id}/policy", response_class=HTMLResponse)
def policy_change(
    request: Request, partner_id: PartnerId, principal: Admin, session: DbSession,
    form: VerifiedForm,
) -> Response:  # fmt: skip
    access = policies.partner_access(session, partner_id)
    change = policies.PolicyChange(
        max_tlp=_text(form, "max_tlp", 20),
        categories=[c for c in form.getlist("categories") if isinstance(c, str)],
        kinds=[k for k in form.getlist("kinds") if isinstance(k, str)],
        campaigns=form.get("campaigns") == "1",
    )
    try:
        policies.set_policy(session, principal.actor, access.partner.name, change)
    except TiplineError as exc:
        key = _error_key(exc)
        session.rollback()
        typed = {"max_tlp": change.max_tlp, "categories": set(change.categories or ()),
                 "kinds": set(change.kinds or ()), "campaigns": change.campaigns}  # fmt: skip
        error = translator(request)(key)
        return _policy_page(request, principal, access, typed, error, 422)
    return RedirectResponse(f"{PARTNERS}?done=policy", status_code=303)


# --- the analyst's TLP on an indicator (staff) -------------------------------------------------


def _marked(
    request: Request, session: Session, principal: Principal, indicator_id: int, tlp: str | None
) -> IndicatorMarking:
    settings = request.app.state.settings
    return set_indicator_tlp(session, principal, indicator_id, tlp, settings)


@router.patch("/{indicator_id}", response_model=IndicatorTlpRead)
def mark_indicator(
    request: Request,
    indicator_id: IndicatorId,
    change: IndicatorTlpChange,
    principal: Staff,
    session: DbSession,
) -> IndicatorTlpRead:
    """Set the TLP an indicator is shared at (`null`: the instance's default, amber unless
    configured); audited, and its published objects follow."""
    marking = _marked(request, session, principal, indicator_id, change.tlp)
    return IndicatorTlpRead(
        id=indicator_id,
        tlp=None if marking.tlp is None else marking.tlp.value,
        effective_tlp=marking.effective.value,
    )


@pages.post("/reports/{report_id}/indicators/{indicator_id}/tlp")
def mark_indicator_on_report(
    request: Request,
    report_id: ReportId,
    indicator_id: IndicatorId,
    principal: Staff,
    session: DbSession,
    form: VerifiedForm,
) -> RedirectResponse:
    """The TLP control of an indicator on the report view: back to the report's indicators."""
    _marked(request, session, principal, indicator_id, _text(form, "tlp", 20))
    return RedirectResponse(f"/reports/{report_id}#indicators", status_code=303)
