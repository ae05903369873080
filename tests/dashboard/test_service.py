"""The dashboard's figures from a real database (SQLite, or PostgreSQL when configured)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.principals import staff

from tipline.audit.models import AuditEntry
from tipline.dashboard.core import Count, Loss, Period, TopIndicator, last_days
from tipline.dashboard.service import dashboard_figures, figure_csv, read_filter
from tipline.errors import InvalidInput, NotFound
from tipline.indicators.models import IndicatorRecord
from tipline.reports.models import Report

ReportAt = Callable[..., Report]
IndicatorMaker = Callable[..., IndicatorRecord]
CampaignMaker = Callable[[list[Report]], int]
WEEK = Period(date(2026, 11, 1), date(2026, 11, 7))  # Vietnam days: 2026-10-31 17:00 UTC onwards


def utc(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def test_reports_per_day_follow_vietnam_days(db_session: Session, report_at: ReportAt) -> None:
    report_at(utc(31, 16, 59, month=10))  # 23:59 on 31 Oct in Vietnam: before the week
    report_at(utc(31, 17, 0, month=10))  # 00:00 on 1 Nov in Vietnam
    report_at(utc(4, 17, 30))  # 00:30 on 5 Nov in Vietnam, still the 4th in UTC
    report_at(utc(7, 16, 59))  # 23:59 on 7 Nov
    report_at(utc(7, 17, 0))  # 8 Nov in Vietnam: after the week
    figures = dashboard_figures(db_session, staff("analyst:lan"), WEEK)
    assert figures.total_reports == 3
    assert [c.count for c in figures.per_day] == [1, 0, 0, 0, 1, 0, 1]
    assert figures.per_day[4] == Count("2026-11-05", 1)


def test_categories_urgency_provinces_and_losses(db_session: Session, report_at: ReportAt) -> None:
    report_at(utc(2, 3), category="fraud.investment", urgency="critical", loss="15000000")
    report_at(utc(2, 4), category="fraud.investment", urgency="high", loss="5000000.50")
    report_at(utc(3, 4), category="fraud.loan", province="Đà Nẵng", loss="200", currency="USD")
    report_at(utc(3, 5), category="fraud.loan", province=None, urgency="low")
    report_at(utc(20, 5), category="fraud.loan", loss="999")  # outside the week
    figures = dashboard_figures(db_session, staff("analyst:lan"), WEEK)
    assert figures.per_category == [Count("fraud.investment", 2), Count("fraud.loan", 2)]
    assert figures.urgency == [
        Count("critical", 1), Count("high", 1), Count("normal", 1), Count("low", 1),
    ]  # fmt: skip
    assert figures.provinces == [Count("Hà Nội", 2), Count("Đà Nẵng", 1), Count("—", 1)]
    assert figures.losses == [
        Loss("VND", Decimal("20000000.50"), 2), Loss("USD", Decimal("200.00"), 1),
    ]  # fmt: skip
    assert figures.losses_by_category == [
        Loss("VND", Decimal("20000000.50"), 2, "fraud.investment"),
        Loss("USD", Decimal("200.00"), 1, "fraud.loan"),
    ]


def test_category_filter_applies_to_every_figure(
    db_session: Session, report_at: ReportAt, campaign_of: CampaignMaker
) -> None:
    loan = [report_at(utc(2, 3), category="fraud.loan", loss="100") for _ in range(2)]
    others = [report_at(utc(2, 3), category="fraud.investment", loss="7") for _ in range(2)]
    campaign_of(loan)
    campaign_of(others)
    figures = dashboard_figures(db_session, staff("analyst:lan"), WEEK, "fraud.loan")
    assert figures.total_reports == 2
    assert figures.per_category == [Count("fraud.loan", 2)]
    assert figures.losses == [Loss("VND", Decimal("200.00"), 2)]
    assert sum(c.count for c in figures.new_campaigns) == 1


def test_top_indicators_count_the_period_and_leave_out_allowlisted(
    db_session: Session, report_at: ReportAt, indicator_in: IndicatorMaker
) -> None:
    inside = [report_at(utc(2, 3)) for _ in range(3)]
    outside = [report_at(utc(20, 3)) for _ in range(5)]
    indicator_in("+84912345678", [*inside, *outside])
    indicator_in("=cmd|' /C calc'!A0", inside[:2], kind="url")
    indicator_in("facebook.com", inside, kind="domain", allowlisted=True)
    assert dashboard_figures(db_session, staff("analyst:lan"), WEEK).indicators == [
        TopIndicator("phone", "+84912345678", 3),
        TopIndicator("url", "=cmd|' /C calc'!A0", 2),
    ]


def test_new_campaigns_counted_on_the_day_of_their_first_report(
    db_session: Session, report_at: ReportAt, campaign_of: CampaignMaker
) -> None:
    # Begins 00:30 on 3 Nov in Vietnam (the 2nd in UTC), grows on the 6th: one new campaign.
    campaign_of([report_at(utc(2, 17, 30)), report_at(utc(5, 20))])
    campaign_of([report_at(utc(4, 3))])  # a single report is not a campaign
    campaign_of([report_at(utc(29, 3, month=10)), report_at(utc(4, 3))])  # began before the week
    figures = dashboard_figures(db_session, staff("analyst:lan"), WEEK)
    assert [c.count for c in figures.new_campaigns] == [0, 0, 1, 0, 0, 0, 0]
    assert figures.new_campaigns[2].label == "2026-11-03"


def test_an_empty_period_has_zeros_on_every_day(db_session: Session) -> None:
    figures = dashboard_figures(db_session, staff("analyst:lan"), WEEK)
    assert figures.total_reports == 0
    assert [c.count for c in figures.per_day] == [0] * 7
    assert [c.count for c in figures.new_campaigns] == [0] * 7
    assert figures.losses == figures.indicators == figures.provinces == []


def test_reports_made_through_the_service_are_counted(
    db_session: Session, make_report: Callable[..., Any]
) -> None:
    make_report()
    make_report(loss_amount=Decimal("15000000"), loss_currency="VND", province="Hà Nội")
    figures = dashboard_figures(db_session, staff("analyst:lan"), last_days(7, datetime.now(UTC)))
    assert figures.total_reports == 2
    assert sum(c.count for c in figures.per_day) == 2
    assert figures.losses == [Loss("VND", Decimal("15000000.00"), 1)]
    assert figures.indicators
    assert figures.indicators[0].reports == 2


def test_figure_csv_has_a_bom_neutralises_formulas_and_is_audited(
    db_session: Session, report_at: ReportAt
) -> None:
    report_at(utc(2, 3), province='=HYPERLINK("http://evil","x")')
    report_at(utc(2, 4), province="+84 Hà Nội")
    text = figure_csv(db_session, staff("analyst:lan"), "provinces", WEEK, None, now=utc(8, 1))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == ["province", "count"]
    assert sorted(rows[1:]) == [["'+84 Hà Nội", "1"], ['\'=HYPERLINK("http://evil","x")', "1"]]
    entry = db_session.scalars(select(AuditEntry).order_by(AuditEntry.sequence.desc())).first()
    assert entry is not None
    assert (entry.actor, entry.action, entry.target_type, entry.target_id) == (
        "analyst:lan", "dashboard.export", "figure", "provinces",
    )  # fmt: skip


def test_figure_csv_of_an_unknown_figure_is_not_found(db_session: Session) -> None:
    with pytest.raises(NotFound):
        figure_csv(db_session, staff("analyst:lan"), "narratives", WEEK, None)


def test_read_filter_refuses_unknown_categories_and_periods() -> None:
    now = utc(23, 1)
    assert read_filter("7", None, None, "fraud.loan", now) == (last_days(7, now), "fraud.loan")
    assert read_filter(None, None, None, "", now) == (last_days(30, now), None)
    with pytest.raises(InvalidInput, match="category"):
        read_filter("7", None, None, "<script>", now)
    with pytest.raises(InvalidInput, match="period"):
        read_filter("1000", None, None, None, now)
    assert timedelta(days=6) == last_days(7, now).last - last_days(7, now).first
