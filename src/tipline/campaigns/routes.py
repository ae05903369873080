"""Campaign pages for staff (`/campaigns`, `/campaigns/{id}`) and the graph API they draw from."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from tipline.accounts.access import Staff
from tipline.campaigns.schemas import CampaignGraphRead
from tipline.campaigns.service import graph_of_campaign, list_campaigns, view_campaign
from tipline.dependencies import DbSession
from tipline.web.rendering import render_workspace

pages = APIRouter(include_in_schema=False)
router = APIRouter(prefix="/campaigns", tags=["campaigns"])

PageNumber = Annotated[int, Query(ge=1, le=100_000)]


@pages.get("/campaigns", response_class=HTMLResponse)
def campaigns_page(
    request: Request,
    principal: Staff,
    session: DbSession,
    page: PageNumber = 1,
    sort: Annotated[str, Query(pattern="^(largest|newest)$")] = "largest",
) -> HTMLResponse:
    listing = list_campaigns(session, principal, sort, page)
    values = {"listing": listing}
    return render_workspace(request, "workspace/campaigns.html", "campaigns", values, principal)


@pages.get("/campaigns/{campaign_id}", response_class=HTMLResponse)
def campaign_page(
    request: Request, campaign_id: int, principal: Staff, session: DbSession, page: PageNumber = 1
) -> HTMLResponse:
    view = view_campaign(session, principal, campaign_id, page)
    values = {"view": view, "campaign_id": campaign_id}
    return render_workspace(request, "workspace/campaign.html", "campaigns", values, principal)


@router.get("/{campaign_id}/graph")
def campaign_graph(campaign_id: int, principal: Staff, session: DbSession) -> CampaignGraphRead:
    """The campaign's reports and indicators as graph nodes, its links as edges (capped)."""
    return graph_of_campaign(session, principal, campaign_id)
