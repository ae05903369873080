"""The campaign graph as the API answers it (the browser's campaign-graph.js reads it)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


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


class GraphEdge(BaseModel):
    id: str
    source: str
    target: str


class CampaignGraphRead(BaseModel):
    campaign_id: int
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool  # more nodes than the cap: the first reports and top indicators are shown
    total_nodes: int
    total_edges: int
