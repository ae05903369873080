"""Campaign use cases: link new reports as they arrive, rebuild every campaign, sum one up."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any
from uuid import UUID

import numpy as np
from sqlalchemy.orm import Session

from tipline.access import Principal
from tipline.audit.service import record
from tipline.campaigns import repository
from tipline.campaigns.bridges import find_bridges, parts_without, same_reports
from tipline.campaigns.graph import DEFAULT_NODE_CAP, IndicatorNode, campaign_graph
from tipline.campaigns.identity import Former, Identities, carry_identities
from tipline.campaigns.linking import LinkPlan, Tally, plan_links
from tipline.campaigns.naming import Suggestion, clean_name, suggest
from tipline.campaigns.schemas import (
    BridgeRead,
    CampaignDetail,
    CampaignGraphRead,
    CampaignIndicatorRead,
    CampaignPageRead,
    CampaignRead,
    CampaignReportRead,
    LossRead,
)
from tipline.campaigns.summary import CampaignSummary, summarise, summarise_totals
from tipline.cursors import make_cursor, read_keyset, window
from tipline.db_types import utc_now
from tipline.errors import Conflict, InvalidInput, NotFound


def configured_hub_threshold() -> int:
    """`TIPLINE_CAMPAIGN_HUB_REPORTS`: above this many reports an indicator is a hub."""
    from tipline.settings import get_settings

    return get_settings().campaign_hub_reports


@dataclass(frozen=True)
class LinkOutcome:
    placements: dict[int, int]  # new report -> campaign
    merged: int  # stored campaigns merged into another
    new_hubs: tuple[int, ...]


def link_new_reports(
    session: Session, report_ids: Sequence[int], hub_threshold: int | None = None
) -> LinkOutcome:
    """Put reports just stored (with their links) into campaigns, in the caller's transaction.

    Merges the campaigns they bridge into the one with the smallest id, and flags an indicator
    that passes the hub threshold (see `tipline.campaigns.linking`).
    """
    if not report_ids:
        return LinkOutcome({}, 0, ())
    threshold = hub_threshold or configured_hub_threshold()
    new = sorted(set(report_ids))
    repository.lock_campaigns(session)
    links = repository.new_report_links(session, new)
    hub_mentions = Counter(indicator for _, indicator, hub in links if hub)
    open_links = [(report, indicator) for report, indicator, hub in links if not hub]
    tallies = repository.indicator_tallies(session, sorted({i for _, i in open_links}))
    stored = repository.campaigns_of(session, new)
    plan = plan_links(new, stored, open_links, tallies, threshold)
    repository.count_hub_reports(session, hub_mentions)
    if plan.new_hubs:
        return _split_for_new_hubs(session, new, plan)
    # Campaigns that only gain reports and had two already keep their identifier as it is.
    kept = _identified(open_links, tallies).difference(plan.merges, plan.merges.values())
    settled = kept.union(set(new).difference(stored))
    formers = _joined_formers(session, plan, settled)  # read before the merge
    repository.merge_campaigns(session, plan.merges)
    repository.place_reports(session, plan.placements)
    grown = _grown(plan, settled).difference(kept)
    _store_identities(session, carry_identities(formers, grown))
    return LinkOutcome(plan.placements, len(plan.merges), ())


def _identified(open_links: list[tuple[int, int]], tallies: dict[int, Tally]) -> set[int]:
    """Stored campaigns with two reports or more naming one indicator that new reports name:
    each has an identifier already (every campaign of more than one report has one), and
    knowing it needs no query. A rebuild gives one to a campaign that lacks it."""
    new_mentions = Counter(indicator for _, indicator in set(open_links))
    return {
        t.campaign
        for indicator, t in tallies.items()
        if t.campaign is not None and t.reports - new_mentions[indicator] >= 2
    }


def _grown(plan: LinkPlan, settled: set[int]) -> set[int]:
    """The labels of the campaigns of more than one report that a link plan leaves (`settled`
    holds the new reports that had no campaign): a lone new report is not a campaign yet, and
    gets no identifier (it is listed nowhere)."""
    joined = Counter(plan.placements.values())
    grown = {label for label, n in joined.items() if n > 1 or label not in settled}
    return grown.union(plan.merges.values())


def _joined_formers(session: Session, plan: LinkPlan, settled: set[int]) -> list[Former]:
    """The stored campaigns (with an identifier) a link plan grows or merges, each moving whole,
    but for the `settled` labels (new reports, campaigns known to keep their identifier).

    Sizes decide only between identifiers arriving in one campaign: they are counted for those
    alone (see `repository.capped_sizes`), and a campaign joined by new reports only, or merged
    with campaigns that have no identifier yet (lone reports), is never counted.
    """
    labels = set(plan.merges).union(plan.merges.values(), plan.placements.values()) - settled
    found = repository.identities(session, sorted(labels)) if labels else []
    destination = {i.uid: plan.merges.get(i.label, i.label) for i in found}
    arrivals = Counter(destination.values())
    contested = [i.label for i in found if arrivals[destination[i.uid]] > 1]
    sizes = repository.capped_sizes(session, contested) if contested else {}
    return [
        Former(i.uid, i.label, i.created_at, {destination[i.uid]: sizes.get(i.label, 1)})
        for i in found
    ]


def _store_identities(session: Session, changes: Identities) -> None:
    repository.store_identities(session, changes, utc_now())


def _formers(
    session: Session, moves: Iterable[tuple[int, int]], labels: Sequence[int] | None
) -> list[Former]:
    """The stored campaigns with these labels (all: None), with where `moves` (former label,
    new label, one per report) put their reports."""
    shares: dict[int, Counter[int]] = {}
    for old, new in moves:
        shares.setdefault(old, Counter())[new] += 1
    return [
        Former(i.uid, i.label, i.created_at, shares.get(i.label, {}))
        for i in repository.identities(session, labels)
    ]


def _split_for_new_hubs(session: Session, new: list[int], plan: LinkPlan) -> LinkOutcome:
    """Re-partition the campaigns a new hub touched, from their links without any hub."""
    repository.flag_hubs(session, plan.new_hubs, utc_now())
    members = set(repository.members_of(session, sorted(plan.relink))).union(new)
    labels = _repartition(session, sorted(members))
    return LinkOutcome({r: labels[r] for r in new}, 0, tuple(sorted(plan.new_hubs)))


def _repartition(session: Session, members: list[int]) -> dict[int, int]:
    """Recompute the campaigns of `members` (a closed set: whole campaigns) from their links."""
    from tipline.campaigns.core import rebuild  # scipy: loaded when needed

    reports, indicators = repository.open_links(session, members)
    former = repository.campaigns_of(session, members)
    # Hubs are already left out of these links: no count may make another one here.
    partition = rebuild(reports, indicators, hub_threshold=sys.maxsize, lone_report_ids=members)
    repository.replace_placements(session, members, partition)
    labels = partition.as_dict()
    moves = ((old, labels[report]) for report, old in former.items())
    formers = _formers(session, moves, sorted(set(former.values())))
    grown = [label for label, n in Counter(labels.values()).items() if n > 1]
    _store_identities(session, carry_identities(formers, grown))
    return labels


def relink_campaigns_of(session: Session, report_ids: Sequence[int]) -> dict[int, int]:
    """Recompute the campaigns of these reports after links were taken away (an analyst
    rejected an indicator of one): a campaign may split. Returns {report: campaign}."""
    repository.lock_campaigns(session)
    campaigns = set(repository.campaigns_of(session, sorted(set(report_ids))).values())
    members = set(repository.members_of(session, sorted(campaigns))).union(report_ids)
    return _repartition(session, sorted(members))


@dataclass(frozen=True)
class RebuildOutcome:
    reports: int
    links: int
    campaigns: int
    linked_campaigns: int  # campaigns of more than one report
    hubs: int


def rebuild_campaigns(session: Session, hub_threshold: int | None = None) -> RebuildOutcome:
    """Recompute every report's campaign from all links that may merge, and store it."""
    from tipline.campaigns.core import rebuild, report_counts  # scipy: loaded when needed

    hub_threshold = hub_threshold or configured_hub_threshold()
    repository.lock_campaigns(session)
    reports, indicators = repository.merging_links(session)
    partition = rebuild(
        reports, indicators, hub_threshold=hub_threshold,
        lone_report_ids=repository.report_ids(session),
    )  # fmt: skip
    counts = report_counts(reports, indicators, partition.hubs)
    placed, former = repository.stored_placements(session)
    repository.replace_campaigns(session, partition, counts, utc_now())
    # Every report placed before is in the partition (a deleted report's placement goes too).
    now = partition.campaign_ids[np.searchsorted(partition.report_ids, placed)]
    formers = _formers(session, zip(former.tolist(), now.tolist(), strict=True), None)
    labels, sizes = np.unique(partition.campaign_ids, return_counts=True)
    _store_identities(session, carry_identities(formers, labels[sizes > 1].tolist()))
    sizes = partition.campaign_sizes()
    return RebuildOutcome(
        reports=int(partition.report_ids.size),
        links=int(reports.size),
        campaigns=int(sizes.size),
        linked_campaigns=int((sizes > 1).sum()),
        hubs=len(partition.hubs),
    )


PAGE_SIZE = 50
REPORTS_PER_PAGE = 100
TOP_INDICATORS = 15
SORTS = ("largest", "newest")


BRIDGES_SHOWN = 10


@dataclass(frozen=True)
class CampaignListing:
    campaigns: list[tuple[CampaignSummary, repository.CampaignSize, UUID]]
    total: int
    sort: str
    previous_cursor: str | None
    next_cursor: str | None
    names: dict[UUID, str]
    suggestions: dict[UUID, Suggestion]


@dataclass(frozen=True)
class BridgeView:
    """A bridge of the campaign with its indicators (most often one), for the page."""

    indicators: tuple[IndicatorNode, ...]
    reports: int  # of the campaign's reports, those naming it
    parts: tuple[int, ...]

    @property
    def indicator(self) -> IndicatorNode:
        return self.indicators[0]


@dataclass(frozen=True)
class CampaignView:
    uid: UUID
    summary: CampaignSummary
    reports: list[repository.CampaignReportRow]
    top_indicators: list[repository.IndicatorTally]
    page: int
    pages: int
    name: str | None
    suggestion: Suggestion
    bridges: list[BridgeView]


def _pages(total: int, size: int) -> int:
    return max(1, -(-total // size))


def list_campaigns(
    session: Session, caller: Principal, sort: str, cursor: str | None, size: int = PAGE_SIZE
) -> CampaignListing:
    """Campaigns of more than one report, a keyset page at a time (the cursor names it: None
    for the first), with their figures (audited)."""
    if sort not in SORTS:
        raise InvalidInput(f"sort is one of {', '.join(SORTS)}", field="sort")
    newest_first = sort == "newest"
    page = read_keyset(cursor, size, 2)
    found, total = repository.linked_campaigns(session, caller, newest_first, page)
    shown = window(found, page)
    ids = [c.campaign_id for c in shown.rows]
    summaries = summarise_totals(repository.campaign_totals(session, caller, ids))
    uids = repository.uids_of(session, ids)
    details = {"sort": sort, "cursor": cursor}
    record(session, caller.actor, "campaign.list", "campaign", "*", details)
    session.commit()
    rows = [
        (summaries[c.campaign_id], c, uids[c.campaign_id])
        for c in shown.rows
        if c.campaign_id in summaries and c.campaign_id in uids
    ]
    names = repository.names_of(session, [uid for _, _, uid in rows])
    suggestions = {uid: suggest(summary, []) for summary, _, uid in rows}

    def cursor_at(direction: str, row: repository.CampaignSize) -> str:
        return make_cursor(direction, *repository.campaign_sort_key(row, newest_first))

    return CampaignListing(
        rows, total, sort,
        cursor_at("before", shown.rows[0]) if shown.has_previous else None,
        cursor_at("after", shown.rows[-1]) if shown.has_next else None,
        names, suggestions,
    )  # fmt: skip


def current_uid(session: Session, uid: UUID) -> UUID:
    """The identifier that names this campaign now: `uid` itself, or the one it was merged
    into (see `tipline.campaigns.identity`)."""
    found = repository.locate(session, uid)
    if found is None or found == (None, None):
        raise NotFound("no such campaign", field="uid")
    return found[1] or uid


def _label(session: Session, uid: UUID) -> int:
    """The internal label of the campaign a current identifier names."""
    found = repository.locate(session, uid)
    if found is None or found[0] is None:
        raise NotFound("no such campaign", field="uid")
    return found[0]


def campaign_uid_of(session: Session, report_id: int) -> UUID | None:
    """The identifier of the campaign a report is in (None before it is linked)."""
    label = repository.campaign_of(session, report_id)
    return None if label is None else repository.uids_of(session, [label]).get(label)


def view_campaign(session: Session, caller: Principal, uid: UUID, page: int) -> CampaignView:
    """One campaign's figures, a page of its reports and its top indicators (audited)."""
    campaign_id = _label(session, uid)
    size = repository.campaign_size(session, caller, campaign_id)
    if size == 0:
        raise NotFound("no such campaign", field="uid")
    totals = repository.campaign_totals(session, caller, [campaign_id])
    summary = summarise_totals(totals)[campaign_id]
    reports = repository.campaign_reports(
        session, caller, campaign_id, REPORTS_PER_PAGE, (page - 1) * REPORTS_PER_PAGE
    )
    top = repository.top_indicators(session, caller, campaign_id, TOP_INDICATORS)
    linking = [i.value for i in top if i.reports > 1 and not i.hub]
    bridges = _bridges(session, caller, campaign_id)[:BRIDGES_SHOWN]
    name = repository.names_of(session, [uid]).get(uid)
    record(session, caller.actor, "campaign.view", "campaign", str(uid), {"reports": size})
    session.commit()
    return CampaignView(
        uid, summary, reports, top, page, _pages(size, REPORTS_PER_PAGE),
        name, suggest(summary, linking), bridges,
    )  # fmt: skip


def _linking(
    session: Session, caller: Principal, campaign_id: int
) -> tuple[dict[int, IndicatorNode], list[tuple[int, int]]]:
    """The campaign's indicators and the links that hold it together (no hub, no allowlisted
    value, no rejected link), as the caller may see them."""
    indicators, links = repository.graph_links(session, caller, campaign_id)
    nodes = {i.id: i for i in indicators}
    return nodes, [(r, i) for r, i in links if not nodes[i].hub]


def _bridges(session: Session, caller: Principal, campaign_id: int) -> list[BridgeView]:
    nodes, links = _linking(session, caller, campaign_id)
    named = Counter(indicator for _, indicator in links)
    return [
        BridgeView(tuple(nodes[i] for i in b.indicator_ids), named[b.indicator_id], b.parts)
        for b in find_bridges(links)
    ]


def rename_campaign(session: Session, caller: Principal, uid: UUID, raw: str | None) -> str | None:
    """Give the campaign a name (None or blank: back to the suggested one); audited."""
    name = clean_name(raw)
    campaign_id = _label(session, uid)
    if repository.campaign_size(session, caller, campaign_id) == 0:
        raise NotFound("no such campaign", field="uid")
    repository.rename(session, uid, name)
    record(session, caller.actor, "campaign.rename", "campaign", str(uid), {"named": bool(name)})
    session.commit()
    return name


def mark_hub(session: Session, caller: Principal, uid: UUID, indicator_id: int) -> list[UUID]:
    """An analyst marks an indicator of the campaign a hub (a bank's real hotline, a shared
    marketplace link), with those named by exactly the same reports (a link and its domain): they
    link nothing from now on, and the campaign splits where they were the bridge. Returns the
    identifiers of the campaigns its reports are in now, largest first; audited with the sizes
    of the parts."""
    repository.lock_campaigns(session)
    campaign_id = _label(session, uid)
    nodes, links = _linking(session, caller, campaign_id)
    if indicator_id not in nodes:
        raise NotFound("this campaign names no such indicator", field="indicator_id")
    if nodes[indicator_id].hub:
        raise Conflict("this indicator is a hub already", field="indicator_id")
    marked = same_reports(links).get(indicator_id, (indicator_id,))
    bridge = next((b for b in find_bridges(links) if indicator_id in b.indicator_ids), None)
    counts = {i: repository.reports_naming(session, i) for i in marked if not nodes[i].hub}
    repository.flag_hubs(session, counts, utc_now())
    members = repository.members_of(session, [campaign_id])
    labels = _repartition(session, sorted(members))
    sizes = Counter(labels.values())
    uids = repository.uids_of(session, sorted(sizes))
    parts = [uids[label] for label, n in sizes.most_common() if n > 1 and label in uids]
    details = {
        "indicator_id": indicator_id,
        "with": [i for i in marked if i != indicator_id],
        "parts": list(bridge.parts) if bridge else [],
    }
    record(session, caller.actor, "campaign.hub", "campaign", str(uid), details)
    session.commit()
    return parts


def graph_of_campaign(
    session: Session, caller: Principal, uid: UUID, cap: int = DEFAULT_NODE_CAP
) -> CampaignGraphRead:
    """The campaign's reports, indicators and links for the browser's graph (audited)."""
    campaign_id = _label(session, uid)
    reports = repository.graph_reports(session, caller, campaign_id)
    if not reports:
        raise NotFound("no such campaign", field="uid")
    indicators, links = repository.graph_links(session, caller, campaign_id)
    hubs = {i.id for i in indicators if i.hub}
    linking = [(r, i) for r, i in links if i not in hubs]
    main = [b for b in find_bridges(linking)[:BRIDGES_SHOWN] if b.parts[1] > 1]
    shown = [indicator for b in main for indicator in b.indicator_ids]
    parts = parts_without(linking, shown) if shown else None
    graph = campaign_graph(reports, indicators, links, cap, parts, shown)
    details = {"nodes": len(graph.nodes)}
    record(session, caller.actor, "campaign.graph", "campaign", str(uid), details)
    session.commit()
    return CampaignGraphRead.model_validate(
        {
            "uid": uid,
            "nodes": graph.nodes,
            "edges": graph.edges,
            "truncated": graph.truncated,
            "total_nodes": graph.total_nodes,
            "total_edges": graph.total_edges,
        }
    )


def campaign_summary(session: Session, report_id: int) -> CampaignSummary:
    """The figures of the campaign a report belongs to."""
    campaign_id = repository.campaign_of(session, report_id)
    if campaign_id is None:
        raise NotFound("this report is in no campaign yet (run a rebuild)", field="report_id")
    return summarise(repository.campaign_facts(session, [campaign_id]))[campaign_id]


def _campaign_read(summary: CampaignSummary, uid: UUID, name: str | None) -> CampaignRead:
    return CampaignRead(
        uid=uid, name=name, reports=summary.reports, victims=summary.victims,
        losses=[LossRead(currency=c, amount=a) for c, a in sorted(summary.losses.items())],
        first_occurred=summary.first_occurred, last_occurred=summary.last_occurred,
        categories=dict(summary.categories.most_common()),
    )  # fmt: skip


def campaigns_read(
    session: Session, principal: Principal, sort: str, cursor: str | None, size: int
) -> CampaignPageRead:
    """A keyset page of the campaigns list as the API answers it (audited as the page is)."""
    listing = list_campaigns(session, principal, sort, cursor, size)
    return CampaignPageRead.model_validate(
        {
            "items": [
                _campaign_read(summary, uid, listing.names.get(uid))
                for summary, _, uid in listing.campaigns
            ],
            "total": listing.total,
            "sort": listing.sort,
            "next_cursor": listing.next_cursor,
            "previous_cursor": listing.previous_cursor,
        }  # fmt: skip
    )


def _report_read(row: dict[str, Any]) -> CampaignReportRead:
    row["excerpt"] = row.pop("narrative")  # the repository reads only the narrative's start
    return CampaignReportRead(**row)


def campaign_detail(session: Session, principal: Principal, uid: UUID, page: int) -> CampaignDetail:
    """One campaign as the API answers it: figures, a page of reports, top indicators."""
    view = view_campaign(session, principal, uid, page)
    reports = [_report_read(asdict(row)) for row in view.reports]
    indicators = [CampaignIndicatorRead(**asdict(i)) for i in view.top_indicators]
    return CampaignDetail(
        **_campaign_read(view.summary, view.uid, view.name).model_dump(), report_list=reports,
        indicators=indicators, page=view.page, pages=view.pages,
        suggested_name=view.suggestion.as_text(), bridges=[_bridge_read(b) for b in view.bridges],
    )  # fmt: skip


def _bridge_read(bridge: BridgeView) -> BridgeRead:
    indicators = [
        CampaignIndicatorRead(
            id=node.id,
            kind=node.kind,
            value=node.value,
            reports=bridge.reports,
            hub=False,
            allowlisted=False,
        )  # fmt: skip
        for node in bridge.indicators
    ]
    return BridgeRead(indicators=indicators, parts=list(bridge.parts))
