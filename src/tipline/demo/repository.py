"""The demo's queries: which indicators of the generated reports an analyst would confirm, and
which campaigns she turns into alerts."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from tipline.alerts.models import Alert
from tipline.campaigns.models import Campaign, CampaignReport
from tipline.indicators.models import IndicatorRecord, ReportIndicator
from tipline.reports.models import Report
from tipline.sharing.models import SharedObject


def ring_indicators(
    session: Session, source: str, categories: Sequence[str], kinds: Sequence[str], limit: int
) -> list[tuple[int, str]]:
    """(id, kind) of the `limit` indicators of these kinds named by the most reports of `source`
    in these categories (not allowlisted, not the reporter's own): a ring's phones and sites."""
    reports = func.count(ReportIndicator.report_id)
    stmt = (
        select(IndicatorRecord.id, IndicatorRecord.kind)
        .join(ReportIndicator, ReportIndicator.indicator_id == IndicatorRecord.id)
        .join(Report, Report.id == ReportIndicator.report_id)
        .where(
            Report.source == source,
            Report.category.in_(categories),
            IndicatorRecord.kind.in_(kinds),
            IndicatorRecord.allowlisted.is_(False),
            ReportIndicator.reporter_own.is_(False),
        )
        .group_by(IndicatorRecord.id, IndicatorRecord.kind)
        .order_by(reports.desc(), IndicatorRecord.id)
        .limit(limit)
    )
    return [(ident, kind) for ident, kind in session.execute(stmt)]


def newest_reports_naming(
    session: Session, indicator_id: int, source: str, categories: Sequence[str], limit: int
) -> list[int]:
    """The newest `limit` reports of `source` in these categories that name the indicator."""
    stmt = (
        select(Report.id)
        .join(ReportIndicator, ReportIndicator.report_id == Report.id)
        .where(
            ReportIndicator.indicator_id == indicator_id,
            ReportIndicator.reporter_own.is_(False),
            Report.source == source,
            Report.category.in_(categories),
        )
        .order_by(Report.created_at.desc(), Report.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def published_objects(session: Session) -> int:
    """How many STIX objects are published and not revoked."""
    stmt = select(func.count()).where(SharedObject.revoked.is_(False))
    return session.scalar(stmt) or 0


def largest_campaign(session: Session, source: str, category: str) -> UUID | None:
    """The identifier of the campaign of `source` with the most reports in `category`, among
    those where most reports are of it (an alert speaks of its campaign's dominant category);
    a report alone is no campaign: it has no identifier."""
    of_category = func.sum(case((Report.category == category, 1), else_=0))
    stmt = (
        select(Campaign.uid)
        .join(CampaignReport, Campaign.label == CampaignReport.campaign_id)
        .join(Report, Report.id == CampaignReport.report_id)
        .where(Report.source == source)
        .group_by(Campaign.uid)
        .having(of_category * 2 > func.count())
        .order_by(of_category.desc(), Campaign.uid)
        .limit(1)
    )
    return session.scalar(stmt)


def alerts_exist(session: Session) -> bool:
    """Whether any alert, in any state, is stored."""
    return session.scalar(select(Alert.id).limit(1)) is not None
