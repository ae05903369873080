"""Campaign pages for staff (`/campaigns`, `/campaigns/{id}`), the graph API they draw from, and
the API doing what they do (the list, one campaign with its reports, indicators and losses)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from tipline.accounts.access import Staff
from tipline.campaigns.schemas import CampaignDetail, CampaignGraphRead, CampaignPageRead
from tipline.campaigns.service import (
    campaign_detail,
    campaigns_read,
    graph_of_campaign,
    list_campaigns,
    view_campaign,
)
from tipline.dependencies import DbSession
from tipline.errors import error_responses
from tipline.html.rendering import render_workspace

pages = APIRouter(include_in_schema=False)
router = APIRouter(
    prefix="/campaigns", tags=["campaigns"], responses=error_responses(401, 403, 422)
)

PageNumber = Annotated[int, Query(ge=1, le=100_000)]
CampaignId = Annotated[int, Path(ge=1, le=2**63 - 1)]
Sort = Annotated[str, Query(pattern="^(largest|newest)$")]
NOT_FOUND = error_responses(404)


@pages.get("/campaigns", response_class=HTMLResponse)
def campaigns_page(
    request: Request,
    principal: Staff,
    session: DbSession,
    page: PageNumber = 1,
    sort: Sort = "largest",
) -> HTMLResponse:
    listing = list_campaigns(session, principal, sort, page)
    values = {"listing": listing}
    return render_workspace(request, "campaigns/campaigns.html", "campaigns", values, principal)


@pages.get("/campaigns/{campaign_id}", response_class=HTMLResponse)
def campaign_page(
    request: Request,
    campaign_id: CampaignId,
    principal: Staff,
    session: DbSession,
    page: PageNumber = 1,
) -> HTMLResponse:
    view = view_campaign(session, principal, campaign_id, page)
    values = {"view": view, "campaign_id": campaign_id}
    return render_workspace(request, "campaigns/campaign.html", "campaigns", values, principal)


@router.get("", response_model=CampaignPageRead)
def campaigns_api(
    principal: Staff, session: DbSession, page: PageNumber = 1, sort: Sort = "largest"
) -> CampaignPageRead:
    """Campaigns of more than one report with their figures and losses by currency."""
    return campaigns_read(session, principal, sort, page)


@router.get("/{campaign_id}", response_model=CampaignDetail, responses=NOT_FOUND)
def campaign_api(
    campaign_id: CampaignId, principal: Staff, session: DbSession, page: PageNumber = 1
) -> CampaignDetail:
    """One campaign: its figures and losses, a page of its reports, its top indicators."""
    return campaign_detail(session, principal, campaign_id, page)


@router.get("/{campaign_id}/graph", responses=NOT_FOUND)
def campaign_graph(
    campaign_id: CampaignId, principal: Staff, session: DbSession
) -> CampaignGraphRead:
    """The campaign's reports and indicators as graph nodes, its links as edges (capped)."""
    return graph_of_campaign(session, principal, campaign_id)
