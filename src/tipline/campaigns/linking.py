"""Linking reports as they arrive: what changes in the stored campaigns when new reports come in.

The stored campaigns (`campaign_report`) are a partition that a full rebuild would give, so every
non-hub indicator has all its reports in one campaign. New reports, stored with their links,
change it locally: for each indicator a new report names, the database tells how many reports
name it and the one campaign its placed reports are in (a new report without a campaign yet
counts as its own). Then:

- an indicator that was a hub already is left out before this step (it links nothing);
- an indicator whose report count now passes the hub threshold becomes a hub. Its reports were
  all merged into one campaign, and merging cannot be undone by relabelling, so the campaigns
  touched are re-partitioned from their links (`LinkPlan.relink`): they form a closed set (every
  non-hub indicator of a member has all its reports inside), so nothing outside them changes;
- otherwise every indicator joins the campaigns it is seen in, and each joined group keeps the
  smallest campaign id, as a rebuild labels it (`LinkPlan.merges`, `LinkPlan.placements`).

The outcome is the partition `tipline.campaigns.core.rebuild` computes over all links, whatever
the order and the batching of the arrivals (tests/campaigns/test_incremental.py checks it).
"Links" are those that may merge: to an indicator that is not allowlisted, and not rejected by
an analyst. Taking links away (a rejection) can split a campaign: the service's
`relink_campaigns_of` re-partitions the campaigns concerned. A database whose reports were stored
before campaigns were kept incrementally needs one `tipline campaigns rebuild` first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from tipline.errors import InvalidInput


def check_hub_threshold(hub_threshold: int) -> None:
    """The hub rule's threshold (`tipline.campaigns.core`) must be at least one report."""
    if hub_threshold < 1:
        raise InvalidInput("hub_threshold must be at least 1", field="hub_threshold")


@dataclass(frozen=True, slots=True)
class Tally:
    """What the database says about an indicator a new report names."""

    reports: int  # distinct reports naming it, the new ones included
    campaign: int | None  # the campaign of its reports that have one (one only: see above)


@dataclass(frozen=True)
class LinkPlan:
    """The changes to store for a batch of new reports."""

    new_hubs: dict[int, int] = field(default_factory=dict)  # indicator -> reports naming it
    # With new hubs: the campaigns (and new reports) to re-partition from their links.
    relink: frozenset[int] = frozenset()
    merges: dict[int, int] = field(default_factory=dict)  # stored campaign -> campaign it joins
    placements: dict[int, int] = field(default_factory=dict)  # new report -> its campaign


class _Groups:
    """A small union–find over campaign labels, each group led by its smallest label."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, label: int) -> int:
        parent = self.parent
        parent.setdefault(label, label)
        root = label
        while parent[root] != root:
            root = parent[root]
        while parent[label] != root:
            parent[label], label = root, parent[label]
        return root

    def join(self, labels: Iterable[int]) -> None:
        roots = {self.find(label) for label in labels}
        if len(roots) > 1:
            smallest = min(roots)
            for root in roots:
                self.parent[root] = smallest


def plan_links(
    new_reports: Sequence[int],
    stored: Mapping[int, int],
    new_links: Iterable[tuple[int, int]],
    tallies: Mapping[int, Tally],
    hub_threshold: int,
) -> LinkPlan:
    """What to store for `new_reports`, whose current campaigns (if any) are in `stored`.

    `new_links` are their (report, indicator) links to indicators that are no hub yet, and
    `tallies` covers each of those indicators.
    """
    check_hub_threshold(hub_threshold)
    own = {report: stored.get(report, report) for report in new_reports}
    labels: dict[int, set[int]] = {}
    for report, indicator in new_links:
        labels.setdefault(indicator, set()).add(own[report])
    for indicator, tally in tallies.items():
        if tally.campaign is not None:
            labels.setdefault(indicator, set()).add(tally.campaign)
    new_hubs = {i: t.reports for i, t in tallies.items() if t.reports > hub_threshold}
    if new_hubs:
        touched = set(own.values()).union(*labels.values())
        return LinkPlan(new_hubs=new_hubs, relink=frozenset(touched))
    groups = _Groups()
    for campaigns in labels.values():
        groups.join(campaigns)
    unplaced = {report for report in new_reports if report not in stored}
    merges = {
        label: groups.find(label)
        for label in list(groups.parent)
        if label not in unplaced and groups.find(label) != label
    }
    placements = {report: groups.find(label) for report, label in own.items()}
    return LinkPlan(merges=merges, placements=placements)
