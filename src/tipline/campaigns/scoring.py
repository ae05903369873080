"""How well campaigns match known groups: B-cubed precision and recall (Bagga and Baldwin, 1998).

For each report, precision is the share of its campaign that belongs to its true group, and
recall the share of its true group that is in its campaign; both are averaged over the reports.
A group split in two loses recall, two groups merged lose precision, and both are 1.0 exactly
when the campaigns are the groups.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from tipline.campaigns.core import DEFAULT_HUB_THRESHOLD, rebuild


@dataclass(frozen=True, slots=True)
class BCubed:
    precision: float
    recall: float
    split_groups: int  # true groups spread over more than one campaign
    mixed_campaigns: int  # campaigns holding reports of more than one true group

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def b_cubed(truth: Mapping[int, Hashable], campaigns: Mapping[int, Hashable]) -> BCubed:
    """B-cubed scores of `campaigns` ({report: campaign}) against `truth` ({report: group}),
    over the reports of `truth` (each must have a campaign: a lone report is its own)."""
    if not truth:
        return BCubed(1.0, 1.0, 0, 0)
    pairs = Counter((truth[report], campaigns[report]) for report in truth)
    group_size = Counter(truth.values())
    campaign_size = Counter(campaigns[report] for report in truth)
    precision = recall = 0.0
    for (group, campaign), both in pairs.items():
        precision += both * both / campaign_size[campaign]
        recall += both * both / group_size[group]
    split = Counter(group for group, _ in pairs)
    mixed = Counter(campaign for _, campaign in pairs)
    return BCubed(
        precision=precision / len(truth),
        recall=recall / len(truth),
        split_groups=sum(1 for n in split.values() if n > 1),
        mixed_campaigns=sum(1 for n in mixed.values() if n > 1),
    )


def campaigns_of(
    values: Sequence[Iterable[Hashable]], hub_threshold: int = DEFAULT_HUB_THRESHOLD
) -> dict[int, int]:
    """{report number: campaign id} of reports numbered by their place in `values`, each with the
    indicators that may link it (not allowlisted), linked as the service links stored reports:
    `tipline.campaigns.core.rebuild`, hub rule included."""
    ids: dict[Hashable, int] = {}
    report_ids: list[int] = []
    indicator_ids: list[int] = []
    for number, report_values in enumerate(values):
        for value in report_values:
            report_ids.append(number)
            indicator_ids.append(ids.setdefault(value, len(ids)))
    partition = rebuild(
        report_ids, indicator_ids, hub_threshold=hub_threshold, lone_report_ids=range(len(values))
    )
    return partition.as_dict()
