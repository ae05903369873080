"""Campaign use cases: rebuild every campaign from the stored links, and sum one up."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from tipline.campaigns import repository
from tipline.campaigns.core import DEFAULT_HUB_THRESHOLD, rebuild, report_counts
from tipline.campaigns.summary import CampaignSummary, summarise
from tipline.db_types import utc_now
from tipline.errors import NotFound


@dataclass(frozen=True)
class RebuildOutcome:
    reports: int
    links: int
    campaigns: int
    linked_campaigns: int  # campaigns of more than one report
    hubs: int


def rebuild_campaigns(
    session: Session, hub_threshold: int = DEFAULT_HUB_THRESHOLD
) -> RebuildOutcome:
    """Recompute every report's campaign from all non-allowlisted links, and store it."""
    reports, indicators = repository.merging_links(session)
    partition = rebuild(
        reports, indicators, hub_threshold=hub_threshold,
        lone_report_ids=repository.report_ids(session),
    )  # fmt: skip
    counts = report_counts(reports, indicators, partition.hubs)
    repository.replace_campaigns(session, partition, counts, utc_now())
    sizes = partition.campaign_sizes()
    return RebuildOutcome(
        reports=int(partition.report_ids.size),
        links=int(reports.size),
        campaigns=int(sizes.size),
        linked_campaigns=int((sizes > 1).sum()),
        hubs=len(partition.hubs),
    )


def campaign_summary(session: Session, report_id: int) -> CampaignSummary:
    """The figures of the campaign a report belongs to."""
    campaign_id = repository.campaign_of(session, report_id)
    if campaign_id is None:
        raise NotFound("this report is in no campaign yet (run a rebuild)", field="report_id")
    return summarise(repository.campaign_facts(session, [campaign_id]))[campaign_id]
