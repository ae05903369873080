"""Alerts: the public JSON API (`/api/v1/alerts`), the Atom feed (`/alerts.atom`), the public
pages, and the staff pages where an analyst drafts and a supervisor reviews.

Anyone reads published alerts (rate limited like every public door); staff draft, edit, submit;
supervisors and admins publish, send back and withdraw.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query, Request

from tipline.access import PUBLIC
from tipline.alerts.schemas import AlertPageRead, AlertRead
from tipline.alerts.service import PAGE_SIZE, alerts_page, public_read, published_alert
from tipline.dependencies import DbSession
from tipline.errors import NotFound, error_responses
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
