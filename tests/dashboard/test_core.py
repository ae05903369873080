"""The dashboard's pure shaping: periods in Vietnam time, zero-filled days, ranking, CSV cells."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tipline.dashboard.core import (
    Count,
    Figures,
    Loss,
    Period,
    TopIndicator,
    figure_table,
    figures_json,
    last_days,
    ranked,
    read_period,
    urgency_mix,
    vietnam_day,
    zero_filled,
)

# 2026-11-23 16:59 UTC is 23:59 in Vietnam; a minute later it is already the 24th there.
LATE_EVENING = datetime(2026, 11, 23, 16, 59, tzinfo=UTC)
AFTER_MIDNIGHT = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)


def test_vietnam_day_turns_at_17_00_utc() -> None:
    assert vietnam_day(LATE_EVENING) == date(2026, 11, 23)
    assert vietnam_day(AFTER_MIDNIGHT) == date(2026, 11, 24)


def test_period_bounds_are_vietnam_midnights_in_utc() -> None:
    period = Period(date(2026, 11, 1), date(2026, 11, 7))
    assert period.starts_at == datetime(2026, 10, 31, 17, 0, tzinfo=UTC)
    assert period.ends_before == datetime(2026, 11, 7, 17, 0, tzinfo=UTC)
    assert len(period.days) == 7
    assert period.days[0] == date(2026, 11, 1)
    assert period.days[-1] == date(2026, 11, 7)


def test_last_days_ends_on_today_in_vietnam() -> None:
    assert last_days(7, LATE_EVENING) == Period(date(2026, 11, 17), date(2026, 11, 23))
    assert last_days(7, AFTER_MIDNIGHT) == Period(date(2026, 11, 18), date(2026, 11, 24))
    assert last_days(1, AFTER_MIDNIGHT).days == [date(2026, 11, 24)]
    with pytest.raises(ValueError, match="at least one day"):
        last_days(0, AFTER_MIDNIGHT)


def test_read_period_from_days_or_dates() -> None:
    assert read_period(None, None, None, LATE_EVENING) == last_days(30, LATE_EVENING)
    assert read_period("90", None, None, LATE_EVENING) == last_days(90, LATE_EVENING)
    assert read_period("", "2026-01-01", "2026-01-31", LATE_EVENING) == Period(
        date(2026, 1, 1), date(2026, 1, 31)
    )
    assert read_period(None, "2026-11-01", None, LATE_EVENING) == Period(
        date(2026, 11, 1), date(2026, 11, 23)
    )


@pytest.mark.parametrize(
    ("days", "first", "last", "reason"),
    [
        ("8", None, None, "one of 7, 30, 90, 365"),
        ("-7", None, None, "one of"),
        (None, "2026-02-30", None, "YYYY-MM-DD"),
        (None, "2026-11-10", "2026-11-01", "starts after it ends"),
        (None, "2020-01-01", "2026-01-01", "at most 731 days"),
        (None, "1970-01-01", "1970-01-02", "starts on 2000-01-01 or later"),
    ],
)
def test_read_period_refuses_unreadable_filters(
    days: str | None, first: str | None, last: str | None, reason: str
) -> None:
    with pytest.raises(ValueError, match=reason):
        read_period(days, first, last, LATE_EVENING)


def test_zero_filled_has_every_day_and_drops_outsiders() -> None:
    period = Period(date(2026, 11, 1), date(2026, 11, 4))
    counts = [(date(2026, 11, 2), 5), (date(2026, 11, 4), 1), (date(2026, 10, 31), 9)]
    assert zero_filled(period, counts) == [
        Count("2026-11-01", 0),
        Count("2026-11-02", 5),
        Count("2026-11-03", 0),
        Count("2026-11-04", 1),
    ]
    assert [c.count for c in zero_filled(period, [])] == [0, 0, 0, 0]


def test_ranked_largest_first_ties_by_label_unknown_as_dash() -> None:
    rows = [("Huế", 2), (None, 3), ("Hà Nội", 7), ("Đà Nẵng", 2)]
    assert ranked(rows) == [Count("Hà Nội", 7), Count("—", 3), Count("Huế", 2), Count("Đà Nẵng", 2)]
    assert ranked(rows, limit=1) == [Count("Hà Nội", 7)]


def test_urgency_mix_keeps_every_level_in_order() -> None:
    assert urgency_mix([("low", 4), ("critical", 1)]) == [
        Count("critical", 1), Count("high", 0), Count("normal", 0), Count("low", 4),
    ]  # fmt: skip


def _figures() -> Figures:
    period = Period(date(2026, 11, 1), date(2026, 11, 2))
    return Figures(
        period=period, category=None, total_reports=3,
        per_day=[Count("2026-11-01", 1), Count("2026-11-02", 2)],
        per_category=[Count("fraud.investment", 3)],
        losses=[Loss("VND", Decimal("2500000.00"), 2)],
        losses_by_category=[Loss("VND", Decimal("2500000.00"), 2, "fraud.investment")],
        urgency=urgency_mix([("high", 3)]), provinces=[Count("Hà Nội", 3)],
        indicators=[TopIndicator("phone", "+84912345678", 3)],
        new_campaigns=[Count("2026-11-01", 1), Count("2026-11-02", 0)],
    )  # fmt: skip


def test_figure_tables_and_json_carry_the_same_numbers() -> None:
    figures = _figures()
    assert figure_table(figures, "losses_by_category") == (
        ["category", "currency", "total", "reports"],
        [("fraud.investment", "VND", Decimal("2500000.00"), 2)],
    )
    assert figure_table(figures, "indicators")[1] == [("phone", "+84912345678", 3)]
    assert figure_table(figures, "provinces")[0] == ["province", "count"]
    as_json = figures_json(figures)
    assert as_json["losses"] == [["VND", "2500000.00", 2]]
    assert as_json["per_day"] == [["2026-11-01", 1], ["2026-11-02", 2]]
    assert as_json["period"] == {"first": "2026-11-01", "last": "2026-11-02"}
    with pytest.raises(ValueError, match="no figure"):
        figure_table(figures, "narratives")
