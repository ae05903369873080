"""A campaign as a graph for the browser: its reports, the indicators they name, the links.

Capped so a browser stays usable: reports first (oldest first), then indicators by how many of
the campaign's reports name them; links only between nodes kept. Labels are plain text (the
graph library draws them on a canvas; nothing here is ever HTML).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

DEFAULT_NODE_CAP = 2000
LABEL_LENGTH = 48


@dataclass(frozen=True, slots=True)
class ReportNode:
    id: int
    code: str
    category: str
    excerpt: str  # the start of the narrative, shown as text when the node is picked


@dataclass(frozen=True, slots=True)
class IndicatorNode:
    id: int
    kind: str
    value: str
    hub: bool


@dataclass(frozen=True, slots=True)
class Graph:
    nodes: list[dict[str, object]]
    edges: list[dict[str, str]]
    total_nodes: int
    total_edges: int

    @property
    def truncated(self) -> bool:
        return len(self.nodes) < self.total_nodes


def short(text: str, length: int = LABEL_LENGTH) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def campaign_graph(
    reports: Sequence[ReportNode],
    indicators: Sequence[IndicatorNode],
    links: Sequence[tuple[int, int]],
    cap: int = DEFAULT_NODE_CAP,
    parts: Mapping[tuple[str, int], int] | None = None,
    bridges: Collection[int] = (),
) -> Graph:
    """Nodes `r<id>` (reports) and `i<id>` (indicators), edges per (report, indicator) link.

    `parts`: the part of each node once the campaign's main `bridges` are taken out (see
    `tipline.campaigns.bridges`); the browser groups the nodes of a part, and draws the
    bridges between the groups."""
    part = parts or {}
    kept_reports = sorted(reports, key=lambda r: r.id)[:cap]
    report_ids = {r.id for r in kept_reports}
    named = Counter(indicator for report, indicator in links if report in report_ids)
    room = cap - len(kept_reports)
    ranked = sorted((i for i in indicators if named[i.id]), key=lambda i: (-named[i.id], i.id))[
        : max(room, 0)
    ]
    indicator_ids = {i.id for i in ranked}
    nodes: list[dict[str, object]] = [
        {"id": f"r{r.id}", "label": r.code, "kind": "report", "category": r.category,
         "excerpt": r.excerpt, "href": f"/reports/{r.id}", "part": part.get(("r", r.id))}
        for r in kept_reports
    ]  # fmt: skip
    nodes += [
        {"id": f"i{i.id}", "label": short(i.value), "kind": "indicator",
         "indicator_kind": i.kind, "hub": i.hub, "reports": named[i.id],
         "part": part.get(("i", i.id)), "bridge": i.id in bridges}
        for i in ranked
    ]  # fmt: skip
    edges = [
        {"id": f"e{report}-{indicator}", "source": f"r{report}", "target": f"i{indicator}"}
        for report, indicator in links
        if report in report_ids and indicator in indicator_ids
    ]
    total_indicators = len({indicator for _, indicator in links})
    return Graph(nodes, edges, len(reports) + total_indicators, len(links))
