"""The dashboard's aggregate queries: one GROUP BY each, over the reports of a period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.orm import Session

from tipline.campaigns.models import CampaignReport
from tipline.dashboard.core import Period
from tipline.indicators.models import IndicatorRecord, ReportIndicator
from tipline.principals import Caller
from tipline.reports.models import Report
from tipline.reports.repository import report_scope
from tipline.vocabulary import QUEUE_POSITION


def _in_period(caller: Caller, period: Period, category: str | None) -> ColumnElement[bool]:
    """The reports of the period (and category) that the caller may read: every figure counts
    only those (for staff the scope is `true`, which SQL leaves out)."""
    condition = and_(
        report_scope(caller),
        Report.created_at >= period.starts_at,
        Report.created_at < period.ends_before,
    )
    return and_(condition, Report.category == category) if category else condition


def _vietnam_day(session: Session) -> ColumnElement[Any]:
    """The report's calendar day in Vietnam (UTC+7), as the database computes it."""
    if session.get_bind().dialect.name == "sqlite":
        return func.date(Report.created_at, "+7 hours")
    return func.date(func.timezone("Asia/Ho_Chi_Minh", Report.created_at))


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _grouped(
    session: Session,
    caller: Caller,
    column: Any,
    period: Period,
    category: str | None,
    missing: object,
) -> list[Any]:
    """(value, reports) of the period's reports; `missing` stands for NULL in the answer."""
    # Without a category, SQLite counts along the queue's index that starts with `column` (a
    # few range scans, no table). With one, that index would read the whole period's rows of
    # every category from the table: grouping by an expression (which no index gives) lets it
    # walk the period by time instead, three to four times faster at 1,000,000 reports.
    key = func.coalesce(column, missing) if category else column
    statement: Select[Any] = (
        select(key, func.count()).where(_in_period(caller, period, category)).group_by(key)
    )
    return [tuple(row) for row in session.execute(statement)]


def reports_per_category(
    session: Session, caller: Caller, period: Period, category: str | None
) -> list[Any]:
    return _grouped(session, caller, Report.category, period, category, "")


def reports_per_urgency(
    session: Session, caller: Caller, period: Period, category: str | None
) -> list[Any]:
    # By `urgency_rank`, which leads the queue's index: a few range scans of an index, no table.
    urgency_of = {rank: urgency for urgency, rank in QUEUE_POSITION.items()}
    rows = _grouped(session, caller, Report.urgency_rank, period, category, 2)
    return [(urgency_of.get(rank, "normal"), n) for rank, n in rows]


def reports_per_province(
    session: Session, caller: Caller, period: Period, category: str | None
) -> list[Any]:
    rows = _grouped(session, caller, Report.province, period, category, "")
    return [(province or None, n) for province, n in rows]


def losses(
    session: Session, caller: Caller, period: Period, category: str | None
) -> list[tuple[str, str, Decimal, int]]:
    """(category, currency, total, reports) of the reports of the period that state a loss."""
    # Grouped by currency first: grouped by category first, SQLite walks the queue's category
    # index and reads the table in random order (6x slower at 1,000,000 reports).
    statement = (
        select(Report.loss_currency, Report.category, func.sum(Report.loss_amount), func.count())
        .where(
            _in_period(caller, period, category),
            Report.loss_amount > 0,
            Report.loss_currency.is_not(None),
        )
        .group_by(Report.loss_currency, Report.category)
    )
    rows: list[Any] = list(session.execute(statement))
    return [(cat, cur or "", Decimal(total or 0), n) for cur, cat, total, n in rows]


def top_indicators(
    session: Session, caller: Caller, period: Period, category: str | None, limit: int
) -> list[tuple[str, str, int]]:
    """The `limit` indicators named by the most reports of the period, allowlisted ones left out.

    Counted by indicator id alone, then the few leaders are looked up: grouping by the
    indicator's kind and value would carry long strings through the sort of every link.
    Allowlisted indicators are dropped after the count; when they crowd the leaders, more
    leaders are asked for.
    """
    reports = func.count().label("reports")
    wanted = limit * 3
    while True:
        leaders = (
            select(ReportIndicator.indicator_id, reports)
            .join(Report, Report.id == ReportIndicator.report_id)
            .where(_in_period(caller, period, category))
            .group_by(ReportIndicator.indicator_id)
            .order_by(reports.desc(), ReportIndicator.indicator_id)
            .limit(wanted)
            .subquery()
        )
        statement = (
            select(IndicatorRecord.kind, IndicatorRecord.value, IndicatorRecord.allowlisted,
                   leaders.c.reports)
            .join(leaders, leaders.c.indicator_id == IndicatorRecord.id)
            .order_by(leaders.c.reports.desc(), IndicatorRecord.id)
        )  # fmt: skip
        rows = session.execute(statement).all()
        kept = [(kind, value, n) for kind, value, allowlisted, n in rows if not allowlisted]
        if len(kept) >= limit or len(rows) < wanted:
            return kept[:limit]
        wanted *= 4


def reports_and_campaigns_per_day(
    session: Session, caller: Caller, period: Period, category: str | None
) -> list[tuple[date, int, int]]:
    """(Vietnam day, reports received, campaigns begun) for each day of the period with reports.

    A campaign (two or more reports) begins with its first report, whose id is the campaign's
    (the smallest report id: ids and `created_at` both grow as reports arrive). One pass over the
    period's reports, one index probe each into the campaigns, never a scan of every campaign.
    """
    day = _vietnam_day(session)
    begins_campaign = (
        select(CampaignReport.report_id)
        .where(CampaignReport.campaign_id == Report.id, CampaignReport.report_id != Report.id)
        .exists()
    )
    statement = (
        select(day, func.count(), func.sum(case((begins_campaign, 1), else_=0)))
        .where(_in_period(caller, period, category))
        .group_by(day)
    )
    return [(_as_date(d), n, int(c or 0)) for d, n, c in session.execute(statement)]
