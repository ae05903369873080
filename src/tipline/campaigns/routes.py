"""Campaign pages for staff (`/campaigns`, `/campaigns/{uid}`), the graph API they draw from, and
the API doing what they do (the list, one campaign with its reports, indicators and losses).

A campaign is addressed by its stable identifier (`tipline.campaigns.identity`). An identifier
retired by a merge redirects to the campaign that absorbed it: the page with 301 (Moved
Permanently), the API with 308 (Permanent Redirect), the query string kept.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from tipline.access import Staff
from tipline.campaigns.schemas import (
    CampaignDetail,
    CampaignGraphRead,
    CampaignPageRead,
    CampaignRename,
    HubMark,
    HubMarked,
)
from tipline.campaigns.service import (
    PAGE_SIZE,
    campaign_detail,
    campaigns_read,
    current_uid,
    graph_of_campaign,
    list_campaigns,
    mark_hub,
    rename_campaign,
    view_campaign,
)
from tipline.dependencies import DbSession
from tipline.errors import InvalidInput, NotFound, error_responses
from tipline.html.protection import VerifiedForm
from tipline.html.rendering import render_workspace
from tipline.indicators.accounts import shown_value

pages = APIRouter(include_in_schema=False)
router = APIRouter(
    prefix="/campaigns", tags=["campaigns"], responses=error_responses(401, 403, 422)
)


def _campaign_uid(uid: Annotated[str, Path(max_length=100)]) -> UUID:
    """The campaign an address names: one that is not a campaign's uid at all (`/campaigns/37`,
    a label typed as an address) is a campaign not found, like an unknown uid, never an invalid
    request."""
    try:
        return UUID(uid)
    except ValueError:
        raise NotFound("no campaign has this uid", field="uid") from None


CampaignUid = Annotated[UUID, Depends(_campaign_uid)]
PageNumber = Annotated[int, Query(ge=1, le=100_000)]
Cursor = Annotated[str | None, Query(max_length=100)]
Sort = Annotated[str, Query(pattern="^(largest|newest)$")]
NOT_FOUND = error_responses(404)
MOVED: dict[int | str, dict[str, Any]] = {
    308: {"description": "A retired identifier: redirected to the campaign that absorbed it"}
}


def _moved(request: Request, current: UUID, status: int) -> RedirectResponse:
    """The same request, addressed to the identifier that names the campaign now."""
    written = f"/{request.path_params['uid']}"  # as the client spelled it
    path = request.url.path.replace(written, f"/{current}", 1)
    query = request.url.query
    return RedirectResponse(f"{path}?{query}" if query else path, status_code=status)


@pages.get("/campaigns", response_class=HTMLResponse)
def campaigns_page(
    request: Request,
    principal: Staff,
    session: DbSession,
    cursor: Cursor = None,
    sort: Sort = "largest",
) -> HTMLResponse:
    listing = list_campaigns(session, principal, sort, cursor)
    values = {"listing": listing}
    return render_workspace(request, "campaigns/campaigns.html", "campaigns", values, principal)


@pages.get("/campaigns/{uid}", response_class=HTMLResponse, response_model=None)
def campaign_page(
    request: Request,
    principal: Staff,
    uid: CampaignUid,
    session: DbSession,
    page: PageNumber = 1,
    split: Annotated[int | None, Query(ge=0, le=100_000)] = None,
) -> HTMLResponse | RedirectResponse:
    current = current_uid(session, uid)
    if current != uid:
        return _moved(request, current, 301)
    view = view_campaign(session, principal, uid, page)
    values = {"view": view, "campaign_id": view.summary.campaign_id, "request_split": split}
    values["shown"] = shown_value  # an account as its digits and bank
    return render_workspace(request, "campaigns/campaign.html", "campaigns", values, principal)


def _form_text(form: VerifiedForm, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _form_id(form: VerifiedForm, name: str) -> int:
    text = _form_text(form, name).strip()
    if not text.isdigit() or len(text) > 18:
        raise InvalidInput("not an indicator of this campaign", field=name)
    return int(text)


@pages.post("/campaigns/{uid}/name")
async def rename_page(
    principal: Staff, uid: CampaignUid, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    name = _form_text(form, "name")
    await run_in_threadpool(rename_campaign, session, principal, uid, name)
    return RedirectResponse(f"/campaigns/{uid}", status_code=303)


@pages.post("/campaigns/{uid}/hubs")
async def mark_hub_page(
    principal: Staff, uid: CampaignUid, session: DbSession, form: VerifiedForm
) -> RedirectResponse:
    """Mark a bridge a hub: the campaign splits, and the page of its largest part follows."""
    indicator_id = _form_id(form, "indicator_id")
    parts = await run_in_threadpool(mark_hub, session, principal, uid, indicator_id)
    target = parts[0] if parts else uid
    return RedirectResponse(f"/campaigns/{target}?split={len(parts)}", status_code=303)


@router.get("", response_model=CampaignPageRead)
def campaigns_api(
    principal: Staff,
    session: DbSession,
    sort: Sort = "largest",
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=200)] = PAGE_SIZE,
) -> CampaignPageRead:
    """Campaigns of more than one report with their figures and losses by currency, one keyset
    page at a time."""
    return campaigns_read(session, principal, sort, cursor, limit)


@router.get("/{uid}", response_model=CampaignDetail, responses={**NOT_FOUND, **MOVED})
def campaign_api(
    request: Request, principal: Staff, uid: CampaignUid, session: DbSession, page: PageNumber = 1
) -> CampaignDetail | RedirectResponse:
    """One campaign: its figures and losses, a page of its reports, its top indicators."""
    current = current_uid(session, uid)
    if current != uid:
        return _moved(request, current, 308)
    return campaign_detail(session, principal, uid, page)


@router.get("/{uid}/graph", response_model=CampaignGraphRead, responses={**NOT_FOUND, **MOVED})
def campaign_graph(
    request: Request, principal: Staff, uid: CampaignUid, session: DbSession
) -> CampaignGraphRead | RedirectResponse:
    """The campaign's reports and indicators as graph nodes, its links as edges (capped)."""
    current = current_uid(session, uid)
    if current != uid:
        return _moved(request, current, 308)
    return graph_of_campaign(session, principal, uid)


@router.patch("/{uid}", response_model=CampaignDetail, responses=NOT_FOUND)
def rename_api(
    principal: Staff, uid: CampaignUid, body: CampaignRename, session: DbSession
) -> CampaignDetail:
    """Name the campaign (null or blank: back to the suggested name); audited."""
    rename_campaign(session, principal, uid, body.name)
    return campaign_detail(session, principal, uid, 1)


@router.post(
    "/{uid}/hubs", response_model=HubMarked, responses={**NOT_FOUND, **error_responses(409)}
)
def mark_hub_api(
    principal: Staff, uid: CampaignUid, body: HubMark, session: DbSession
) -> HubMarked:
    """Mark an indicator of the campaign a hub (a bank's real hotline, a marketplace's link):
    it links nothing from now on, and the campaign splits where it was a bridge; audited."""
    return HubMarked(campaigns=mark_hub(session, principal, uid, body.indicator_id))
