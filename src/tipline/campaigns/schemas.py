"""The campaigns API's shapes: the list, one campaign with its reports and indicators, and the
campaign graph (the browser's campaign-graph.js reads it)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field


class GraphNode(BaseModel):
    id: str  # r<report id> or i<indicator id>
    label: str  # plain text: a report's tracking code, an indicator's value (shortened)
    kind: Literal["report", "indicator"]
    category: str | None = None  # reports
    excerpt: str | None = None  # reports: the start of the narrative
    href: str | None = None  # reports: the report view
    indicator_kind: str | None = None  # indicators: phone, bank_account, url…
    hub: bool = False  # indicators named by too many reports to link them
    reports: int | None = None  # indicators: the campaign's reports naming it
    part: int | None = None  # the part of the campaign once its main bridges are taken out
    bridge: bool = False  # indicators: a bridge whose removal splits the campaign


class GraphEdge(BaseModel):
    id: str
    source: str
    target: str


class CampaignGraphRead(BaseModel):
    uid: UUID
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool  # more nodes than the cap: the first reports and top indicators are shown
    total_nodes: int
    total_edges: int


class LossRead(BaseModel):
    """Losses reported in one currency, summed (`XXX`: reports that named no currency)."""

    currency: str
    amount: Decimal


class CampaignRead(BaseModel):
    """A campaign's figures: `victims` counts distinct contacts, and each report without one.

    `uid` is the campaign's stable identifier: it survives merges and splits, and an identifier
    retired by a merge still resolves (`GET /api/v1/campaigns/{uid}` answers 308 to the
    campaign that absorbed it)."""

    uid: UUID
    name: str | None  # what analysts call it; None: see `suggested_name` (one campaign)
    reports: int
    victims: int
    losses: list[LossRead]
    first_occurred: datetime | None
    last_occurred: datetime | None
    categories: dict[str, int]


class CampaignPageRead(BaseModel):
    """Campaigns of more than one report, one keyset page of them, largest (then newest) or
    newest (then largest) first; `total` counts them all. The cursors are opaque: pass one back
    as `cursor`, with the same `sort`, for the page it names; null when there is no such page."""

    items: list[CampaignRead]
    total: int
    sort: Literal["largest", "newest"]
    next_cursor: str | None
    previous_cursor: str | None


class CampaignReportRead(BaseModel):
    """A report of the campaign; `excerpt` is the start of its narrative (personal data)."""

    id: int
    code: str
    created_at: datetime
    category: str
    urgency: str
    loss_amount: Decimal | None
    loss_currency: str | None
    province: str | None
    excerpt: str


class CampaignIndicatorRead(BaseModel):
    """An indicator the campaign's reports name, and how many of them."""

    id: int
    kind: str
    value: str
    reports: int
    hub: bool
    allowlisted: bool


class BridgeRead(BaseModel):
    """Indicators whose removal would split the campaign (most often one; several when named by
    exactly the same reports, as a link and its domain), and the report counts of the parts
    they would leave (largest first). Marking one a hub marks them all and splits the
    campaign so."""

    indicators: list[CampaignIndicatorRead]
    parts: list[int]


class CampaignDetail(CampaignRead):
    """One campaign: its figures, a page of its reports (newest first), its top indicators
    (allowlisted values left out: they link nothing), and its bridges."""

    suggested_name: str  # dominant category · main linking indicator · months it spans
    report_list: list[CampaignReportRead]
    indicators: list[CampaignIndicatorRead]
    bridges: list[BridgeRead]
    page: int
    pages: int


class CampaignRename(BaseModel):
    """A campaign's new name; null or blank: back to the suggested one."""

    name: str | None = Field(default=None, max_length=1000)


class HubMark(BaseModel):
    """An indicator of the campaign to mark a hub: it links nothing from now on."""

    indicator_id: int = Field(ge=1)


class HubMarked(BaseModel):
    """The campaigns of more than one report the former campaign's reports are in now,
    largest first (the first keeps the identifier)."""

    campaigns: list[UUID]
