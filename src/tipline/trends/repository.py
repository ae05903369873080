"""Weekly counts in SQL: reports per Vietnam day and category, campaign or indicator kind, over
a bounded window (the chosen week and the weeks before), counted over what the caller may read."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from tipline.campaigns.models import Campaign, CampaignReport
from tipline.indicators.models import IndicatorRecord, ReportIndicator
from tipline.principals import Caller
from tipline.reports.models import Report
from tipline.reports.repository import report_scope


def _day(session: Session) -> ColumnElement[Any]:
    """The report's calendar day in Vietnam (UTC+7), as the database computes it."""
    if session.get_bind().dialect.name == "sqlite":
        return func.date(Report.created_at, "+7 hours")
    return func.date(func.timezone("Asia/Ho_Chi_Minh", Report.created_at))


def _within(caller: Caller, starts_at: datetime, ends_before: datetime) -> ColumnElement[bool]:
    return and_(
        report_scope(caller), Report.created_at >= starts_at, Report.created_at < ends_before
    )


def _rows(session: Session, statement: Any) -> list[tuple[date, str, int]]:
    return [
        (d if isinstance(d, date) else date.fromisoformat(d), str(key), int(n))
        for d, key, n in session.execute(statement)
    ]


def per_category(
    session: Session, caller: Caller, starts_at: datetime, ends_before: datetime
) -> list[tuple[date, str, int]]:
    """(day, category, reports) of the window."""
    day = _day(session)
    statement = (
        select(day, Report.category, func.count())
        .where(_within(caller, starts_at, ends_before))
        .group_by(day, Report.category)
    )
    return _rows(session, statement)


def per_kind(
    session: Session, caller: Caller, starts_at: datetime, ends_before: datetime
) -> list[tuple[date, str, int]]:
    """(day, indicator kind, reports naming one) of the window: scammers' values only (never a
    reporter's own, never an allowlisted one)."""
    day = _day(session)
    statement = (
        select(day, IndicatorRecord.kind, func.count(func.distinct(Report.id)))
        .join(ReportIndicator, ReportIndicator.report_id == Report.id)
        .join(IndicatorRecord, IndicatorRecord.id == ReportIndicator.indicator_id)
        .where(
            _within(caller, starts_at, ends_before),
            ReportIndicator.reporter_own.is_(False),
            IndicatorRecord.allowlisted.is_(False),
        )
        .group_by(day, IndicatorRecord.kind)
    )
    return _rows(session, statement)


def per_campaign(
    session: Session, caller: Caller, starts_at: datetime, ends_before: datetime
) -> list[tuple[date, str, int]]:
    """(day, campaign uid, reports) of the window, for the reports in a campaign."""
    day = _day(session)
    statement = (
        select(day, Campaign.uid, func.count())
        .join(CampaignReport, CampaignReport.report_id == Report.id)
        .join(Campaign, Campaign.label == CampaignReport.campaign_id)
        .where(_within(caller, starts_at, ends_before))
        .group_by(day, Campaign.uid)
    )
    return _rows(session, statement)


def names_of(session: Session, uids: list[str]) -> dict[str, str]:
    """The names analysts gave these campaigns (by uid; those without one are left out)."""
    if not uids:
        return {}
    statement = select(Campaign.uid, Campaign.name).where(
        Campaign.uid.in_([UUID(uid) for uid in uids]), Campaign.name.is_not(None)
    )
    return {str(uid): name for uid, name in session.execute(statement) if name}


def campaigns_behind(
    session: Session,
    caller: Caller,
    category: str,
    starts_at: datetime,
    ends_before: datetime,
    limit: int,
) -> list[tuple[str, str | None, int]]:
    """(uid, name, reports) of the campaigns with the most reports of `category` in the week."""
    reports = func.count().label("reports")
    statement = (
        select(Campaign.uid, Campaign.name, reports)
        .join(CampaignReport, Campaign.label == CampaignReport.campaign_id)
        .join(Report, Report.id == CampaignReport.report_id)
        .where(_within(caller, starts_at, ends_before), Report.category == category)
        .group_by(Campaign.uid, Campaign.name)
        .order_by(reports.desc(), Campaign.uid)
        .limit(limit)
    )
    return [(str(uid), name, int(n)) for uid, name, n in session.execute(statement)]
