"""Campaigns kept up to date as reports arrive: a disjoint-set forest over reports.

Each report is a node; an indicator joins the reports that name it by a union with its *anchor*
(the first report that named it), so one link costs one union: O(α(n)) amortised with path
compression and union by size. Each root keeps its component's members (merged small into
large) and its label, the smallest report id, as `tipline.campaigns.core.rebuild` labels it.

The hub rule of `tipline.campaigns.core` holds here too. When an indicator's report count
crosses `hub_threshold` it has already joined its reports, and a disjoint-set forest cannot
undo a union; so the one component that holds its reports is split again: its members are reset
and re-joined through their non-hub links. That component is closed (every non-hub indicator of
a member has all its reports inside it), so nothing outside it changes, and the result is the
partition a full rebuild gives. Splits happen once per hub, so their cost is rare.

Links are only added here; removing one (a rejected indicator, a deleted report) calls for a
rebuild.
"""

from __future__ import annotations

from collections.abc import Iterable

from numpy.typing import ArrayLike

from tipline.campaigns.core import (
    DEFAULT_HUB_THRESHOLD,
    Partition,
    check_hub_threshold,
    distinct_links,
    rebuild,
)


class CampaignForest:
    """The campaign of every report seen, updated one report at a time."""

    def __init__(self, hub_threshold: int = DEFAULT_HUB_THRESHOLD) -> None:
        check_hub_threshold(hub_threshold)
        self.hub_threshold = hub_threshold
        self.hubs: set[int] = set()
        self._parent: dict[int, int] = {}
        self._members: dict[int, list[int]] = {}  # root -> reports of its component
        self._label: dict[int, int] = {}  # root -> smallest report id of its component
        self._links: dict[int, list[int]] = {}  # report -> distinct indicators it names
        self._report_count: dict[int, int] = {}  # indicator -> distinct reports naming it
        self._anchor: dict[int, int] = {}  # non-hub indicator -> first report naming it

    @classmethod
    def from_links(
        cls,
        report_ids: ArrayLike,
        indicator_ids: ArrayLike,
        *,
        hub_threshold: int = DEFAULT_HUB_THRESHOLD,
        lone_report_ids: ArrayLike = (),
    ) -> CampaignForest:
        """A forest seeded by one full rebuild, ready for incremental updates."""
        forest = cls(hub_threshold)
        partition = rebuild(
            report_ids, indicator_ids, hub_threshold=hub_threshold, lone_report_ids=lone_report_ids
        )
        forest._seed_components(partition)
        forest._seed_links(report_ids, indicator_ids)
        return forest

    def _seed_components(self, partition: Partition) -> None:
        self.hubs = set(partition.hubs)
        reports = partition.report_ids.tolist()
        labels = partition.campaign_ids.tolist()
        # The label is a member, so it serves as the root: every other report points at it.
        self._parent = dict(zip(reports, labels, strict=True))
        members = self._members
        for report, label in zip(reports, labels, strict=True):
            group = members.get(label)
            if group is None:
                members[label] = [report]
            else:
                group.append(report)
        self._label = {label: label for label in members}

    def _seed_links(self, report_ids: ArrayLike, indicator_ids: ArrayLike) -> None:
        links = distinct_links(report_ids, indicator_ids)
        by_report = self._links
        counts = self._report_count
        anchors = self._anchor
        hubs = self.hubs
        for report, indicator in zip(
            links.report_ids.tolist(), links.indicator_ids.tolist(), strict=True
        ):
            known = by_report.get(report)
            if known is None:
                by_report[report] = [indicator]
            else:
                known.append(indicator)
            counts[indicator] = counts.get(indicator, 0) + 1
            if indicator not in hubs and indicator not in anchors:
                anchors[indicator] = report

    def __len__(self) -> int:
        return len(self._parent)

    def __contains__(self, report_id: object) -> bool:
        return report_id in self._parent

    def find(self, report_id: int) -> int:
        """The root of the report's component (path compression on the way)."""
        parent = self._parent
        root = report_id
        while parent[root] != root:
            root = parent[root]
        while parent[report_id] != root:
            parent[report_id], report_id = root, parent[report_id]
        return root

    def campaign_of(self, report_id: int) -> int:
        """The campaign id of a report: the smallest report id of its campaign."""
        return self._label[self.find(report_id)]

    def campaign_size(self, report_id: int) -> int:
        return len(self._members[self.find(report_id)])

    def campaign_members(self, report_id: int) -> list[int]:
        """The reports of the report's campaign, sorted."""
        return sorted(self._members[self.find(report_id)])

    def report_count(self, indicator_id: int) -> int:
        return self._report_count.get(indicator_id, 0)

    def _add_report(self, report_id: int) -> None:
        if report_id not in self._parent:
            self._parent[report_id] = report_id
            self._members[report_id] = [report_id]
            self._label[report_id] = report_id

    def _union(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return
        members_a, members_b = self._members[root_a], self._members[root_b]
        if len(members_a) < len(members_b):
            root_a, root_b, members_a, members_b = root_b, root_a, members_b, members_a
        self._parent[root_b] = root_a
        members_a.extend(members_b)
        del self._members[root_b]
        self._label[root_a] = min(self._label[root_a], self._label.pop(root_b))

    def _split(self, root: int) -> None:
        """Re-join the component of `root` through non-hub links only (after a new hub)."""
        members = self._members.pop(root)
        del self._label[root]
        for report in members:
            self._parent[report] = report
            self._members[report] = [report]
            self._label[report] = report
        for report in members:
            for indicator in self._links.get(report, ()):
                if indicator not in self.hubs:
                    self._union(report, self._anchor[indicator])

    def _link(self, report_id: int, indicator_id: int) -> None:
        known = self._links.setdefault(report_id, [])
        if indicator_id in known:
            return
        known.append(indicator_id)
        count = self._report_count.get(indicator_id, 0) + 1
        self._report_count[indicator_id] = count
        if indicator_id in self.hubs:
            return
        anchor = self._anchor.setdefault(indicator_id, report_id)
        if count > self.hub_threshold:
            self.hubs.add(indicator_id)
            del self._anchor[indicator_id]
            self._split(self.find(anchor))
        elif anchor != report_id:
            self._union(report_id, anchor)

    def link_report(self, report_id: int, indicator_ids: Iterable[int] = ()) -> int:
        """Add a report (or more links of a known one); returns its campaign id."""
        self._add_report(report_id)
        for indicator_id in indicator_ids:
            self._link(report_id, indicator_id)
        return self.campaign_of(report_id)

    def labels(self) -> dict[int, int]:
        """{report id: campaign id} for every report seen."""
        return {report: self.campaign_of(report) for report in self._parent}
