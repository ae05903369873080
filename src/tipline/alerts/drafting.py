"""The staff pages of alerts: the list, drafting one from a campaign's page, the form an
analyst edits, and the steps of the review (submit; a supervisor publishes or sends back; a
supervisor withdraws). Thin: the rules are the service's and core's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from tipline.access import Lead, Staff
from tipline.alerts import core, service
from tipline.alerts.models import Alert
from tipline.alerts.schemas import AlertEdit, AlertValue
from tipline.dependencies import DbSession
from tipline.errors import NotFound, TiplineError
from tipline.html.protection import VerifiedForm
from tipline.html.rendering import render_workspace
from tipline.indicators.accounts import shown_value
from tipline.principals import LEAD_ROLES, Principal

drafting = APIRouter(include_in_schema=False)


def _uid(text: str, name: str) -> UUID:
    try:
        return UUID(text)
    except ValueError:
        raise NotFound("no such alert or campaign", field=name) from None


def _alert_uid(alert_uid: Annotated[str, Path(max_length=100)]) -> UUID:
    return _uid(alert_uid, "alert_uid")


def _campaign_uid(uid: Annotated[str, Path(max_length=100)]) -> UUID:
    return _uid(uid, "uid")


AlertUid = Annotated[UUID, Depends(_alert_uid)]
CampaignUid = Annotated[UUID, Depends(_campaign_uid)]


def _steps(alert: Alert, principal: Principal) -> tuple[list[str], bool]:
    """The review steps this caller may take now, and whether she wrote or changed it (then
    someone else publishes)."""
    state = core.working_state(alert.status, alert.pending)
    lead = principal.role in LEAD_ROLES
    own = core.username(principal.actor) in (
        core.username(alert.author), core.username(alert.editor)
    )  # fmt: skip
    steps = ["submit"] if state == core.DRAFT else []
    if state == core.IN_REVIEW and lead:
        steps += ["return"] if own else ["publish", "return"]
    if alert.status == core.PUBLISHED and lead:
        steps.append("withdraw")
    return steps, own and state == core.IN_REVIEW


def _edit_page(
    request: Request, session: Session, principal: Principal, alert: Alert, **extra: Any
) -> HTMLResponse:
    steps, own = _steps(alert, principal)
    values = {
        "alert": alert, "steps": steps, "own_work": own, "limits": core.LIMITS,
        "candidates": service.candidates_of(session, principal, alert),
        "added": service.new_values(session, principal, alert) if alert.status == "published"
        else [],
        "chosen": {f"{v['kind']}|{v['value']}" for v in alert.indicators},
        "texts": alert.texts, "error": None, "shown": shown_value,
    } | extra  # fmt: skip
    status = 422 if values["error"] else 200
    return render_workspace(request, "alerts/edit.html", "campaigns", values, principal, status)


@drafting.get("/alerts/manage", response_class=HTMLResponse)
def manage_page(request: Request, principal: Staff, session: DbSession) -> HTMLResponse:
    alerts = service.staff_alerts(session, principal)
    values = {"alerts": alerts}
    return render_workspace(request, "alerts/manage.html", "campaigns", values, principal)


@drafting.post("/campaigns/{uid}/alerts")
async def draft_page(
    principal: Staff, uid: CampaignUid, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    """Draft an alert from the campaign's page; its form follows."""
    alert = await run_in_threadpool(service.draft_alert, session, principal, uid)
    return RedirectResponse(f"/alerts/{alert.uid}/edit", status_code=303)


@drafting.get("/alerts/{alert_uid}/edit", response_class=HTMLResponse)
def edit_page(
    request: Request, principal: Staff, alert_uid: AlertUid, session: DbSession
) -> HTMLResponse:
    alert = service.staff_alert(session, principal, alert_uid)
    return _edit_page(request, session, principal, alert)


def _edit_of(form: VerifiedForm) -> AlertEdit:
    texts = {
        language: {name: str(form.get(f"{language}.{name}") or "") for name in core.FIELDS}
        for language in ("vi", "en")
    }
    values = [str(v).partition("|") for v in form.getlist("value")]
    return AlertEdit(
        texts=texts, indicators=[AlertValue(kind=k, value=v) for k, _, v in values][:100]
    )


@drafting.post("/alerts/{alert_uid}/edit", response_class=HTMLResponse, response_model=None)
async def save_page(
    request: Request, principal: Staff, alert_uid: AlertUid, session: DbSession, form: VerifiedForm
) -> HTMLResponse | RedirectResponse:
    edit = _edit_of(form)
    try:
        await run_in_threadpool(service.edit_alert, session, principal, alert_uid, edit)
    except TiplineError as error:
        session.rollback()
        alert = service.staff_alert(session, principal, alert_uid)
        return _edit_page(request, session, principal, alert, error=error.message,
                          texts=edit.texts)  # fmt: skip
    return RedirectResponse(f"/alerts/{alert_uid}/edit", status_code=303)


Step = Callable[[Session, Principal, UUID], Alert]


async def _step(step: Step, principal: Principal, uid: UUID, session: Session) -> RedirectResponse:
    await run_in_threadpool(step, session, principal, uid)
    return RedirectResponse(f"/alerts/{uid}/edit", status_code=303)


@drafting.post("/alerts/{alert_uid}/submit")
async def submit_page(
    principal: Staff, alert_uid: AlertUid, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    return await _step(service.submit_alert, principal, alert_uid, session)


@drafting.post("/alerts/{alert_uid}/publish")
async def publish_page(
    principal: Lead, alert_uid: AlertUid, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    return await _step(service.publish_alert, principal, alert_uid, session)


@drafting.post("/alerts/{alert_uid}/return")
async def return_page(
    principal: Lead, alert_uid: AlertUid, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    return await _step(service.return_alert, principal, alert_uid, session)


@drafting.post("/alerts/{alert_uid}/withdraw")
async def withdraw_page(
    principal: Lead, alert_uid: AlertUid, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    return await _step(service.withdraw_alert, principal, alert_uid, session)
