"""Alerts: the public JSON API (`/api/v1/alerts`), the Atom feed (`/alerts.atom`), the public
pages, and the staff pages where an analyst drafts and a supervisor reviews.

Anyone reads published alerts (rate limited like every public door); staff draft, edit, submit;
supervisors and admins publish, send back and withdraw.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from tipline.access import PUBLIC
from tipline.alerts.drafting import drafting
from tipline.alerts.feed import atom_feed, shown_values
from tipline.alerts.schemas import AlertPageRead, AlertRead
from tipline.alerts.service import (
    PAGE_SIZE,
    alerts_page,
    public_read,
    published_alert,
    published_alerts,
)
from tipline.dependencies import DbSession
from tipline.errors import NotFound, error_responses
from tipline.html.rendering import render, translator
from tipline.ratelimits.dependencies import limited

router = APIRouter(prefix="/alerts", tags=["alerts"], responses=error_responses(422, 429))
OPEN = [Depends(PUBLIC), limited("public")]


def _alert_uid(alert_uid: Annotated[str, Path(max_length=100)]) -> UUID:
    """An address that is no alert's uid is an alert not found, never an invalid request."""
    try:
        return UUID(alert_uid)
    except ValueError:
        raise NotFound("no alert has this uid", field="alert_uid") from None


AlertUid = Annotated[UUID, Depends(_alert_uid)]


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("", response_model=AlertPageRead, dependencies=OPEN)
def alerts_api(
    request: Request,
    session: DbSession,
    limit: Annotated[int, Query(ge=1, le=100)] = PAGE_SIZE,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> AlertPageRead:
    """Published alerts, newest first: each in Vietnamese and English, with the values to avoid
    and the campaign's figures. For news sites, banks' apps and partners' channels."""
    return alerts_page(session, None, base_url(request), limit, offset)


@router.get(
    "/{alert_uid}", response_model=AlertRead, dependencies=OPEN, responses=error_responses(404)
)
def alert_api(request: Request, alert_uid: AlertUid, session: DbSession) -> AlertRead:
    """One published alert (a draft or a withdrawn alert is not found)."""
    return public_read(published_alert(session, None, alert_uid), base_url(request))


pages = APIRouter(include_in_schema=False)
pages.include_router(drafting)  # first: `/alerts/manage` before `/alerts/{alert_uid}`
FEED_SIZE = 50
FEED_HEADERS = {"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"}


@pages.get("/alerts", response_class=HTMLResponse, dependencies=[Depends(PUBLIC)])
def alerts_list_page(request: Request, session: DbSession) -> HTMLResponse:
    base = base_url(request)
    alerts = [public_read(a, base) for a in published_alerts(session, None, FEED_SIZE)]
    return render(request, "alerts/list.html", "alerts", {"alerts": alerts})


@pages.get("/alerts.atom", dependencies=OPEN)
def alerts_feed(request: Request, session: DbSession) -> Response:
    """The published alerts as an Atom feed, in the reader's language (`?lang=en`)."""
    base = base_url(request)
    alerts = [public_read(a, base) for a in published_alerts(session, None, FEED_SIZE)]
    body = atom_feed(request, alerts, base, translator(request).language)
    return Response(body, media_type="application/atom+xml; charset=utf-8", headers=FEED_HEADERS)


@pages.get("/alerts/{alert_uid}", response_class=HTMLResponse, dependencies=[Depends(PUBLIC)])
def alert_page(request: Request, alert_uid: AlertUid, session: DbSession) -> HTMLResponse:
    alert = public_read(published_alert(session, None, alert_uid), base_url(request))
    language = translator(request).language
    text = alert.texts.get(language) or alert.texts["vi"]
    values = {"alert": alert, "text": text, "values": shown_values(alert)}
    return render(request, "alerts/alert.html", "alerts", values)
