"""Every query on campaigns: the links that may merge, and the stored campaign of each report."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import numpy as np
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from tipline.campaigns.core import IdArray, Partition
from tipline.campaigns.models import CampaignHub, CampaignReport
from tipline.campaigns.summary import ReportFacts
from tipline.indicators.models import IndicatorRecord, ReportIndicator
from tipline.reports.models import Report

BATCH = 10_000


def merging_links(session: Session) -> tuple[IdArray, IdArray]:
    """(report ids, indicator ids) of every link that may merge: any but allowlisted ones."""
    stmt = (
        select(ReportIndicator.report_id, ReportIndicator.indicator_id)
        .join(IndicatorRecord, IndicatorRecord.id == ReportIndicator.indicator_id)
        .where(IndicatorRecord.allowlisted.is_(False))
        .order_by(ReportIndicator.report_id)
    )
    rows = session.execute(stmt).all()
    pairs = np.array(rows, dtype=np.int64).reshape(-1, 2)
    return pairs[:, 0].copy(), pairs[:, 1].copy()


def report_ids(session: Session) -> IdArray:
    return np.array(session.scalars(select(Report.id)).all(), dtype=np.int64)


def replace_campaigns(
    session: Session, partition: Partition, hub_counts: dict[int, int], flagged_at: datetime
) -> None:
    """Store a rebuild: every report's campaign and the hub list, replacing what was there."""
    session.execute(delete(CampaignReport))
    rows = zip(partition.report_ids.tolist(), partition.campaign_ids.tolist(), strict=True)
    _insert_batches(session, CampaignReport, ({"report_id": r, "campaign_id": c} for r, c in rows))
    session.execute(delete(CampaignHub))
    hubs = (
        {"indicator_id": i, "report_count": n, "flagged_at": flagged_at}
        for i, n in sorted(hub_counts.items())
    )
    _insert_batches(session, CampaignHub, hubs)


def _insert_batches(
    session: Session,
    model: type[CampaignReport] | type[CampaignHub],
    rows: Iterable[dict[str, object]],
) -> None:
    batch: list[dict[str, object]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            session.execute(insert(model), batch)
            batch = []
    if batch:
        session.execute(insert(model), batch)


def campaign_of(session: Session, report_id: int) -> int | None:
    return session.scalar(
        select(CampaignReport.campaign_id).where(CampaignReport.report_id == report_id)
    )


def hub_ids(session: Session) -> list[int]:
    return list(
        session.scalars(select(CampaignHub.indicator_id).order_by(CampaignHub.indicator_id))
    )


def campaign_facts(session: Session, campaign_ids: Sequence[int]) -> list[ReportFacts]:
    """The figures of every report of these campaigns."""
    stmt = (
        select(
            CampaignReport.campaign_id,
            Report.loss_amount,
            Report.loss_currency,
            Report.category,
            Report.occurred_at,
        )
        .join(Report, Report.id == CampaignReport.report_id)
        .where(CampaignReport.campaign_id.in_(campaign_ids))
    )
    return [ReportFacts(*row) for row in session.execute(stmt)]
