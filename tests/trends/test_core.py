"""The rising rule by hand: Poisson tails and bounds, weeks, and the verdict on a series."""

from __future__ import annotations

import math
from datetime import date

import pytest

from tipline.trends.core import (
    Rule,
    assess,
    poisson_bound,
    poisson_tail,
    trend_table,
    trends_of,
    week_of,
    week_starts,
    weekly_series,
)


def test_poisson_tail_by_hand() -> None:
    # P(X >= 5 | 2) = 1 - e^-2 (1 + 2 + 2 + 4/3 + 2/3) = 1 - 7 e^-2
    assert poisson_tail(5, 2.0) == pytest.approx(1 - 7 * math.exp(-2), rel=1e-12)
    assert poisson_tail(1, 1.0) == pytest.approx(1 - math.exp(-1), rel=1e-12)
    assert poisson_tail(0, 3.0) == 1.0
    assert poisson_tail(3, 0.0) == 0.0


def test_poisson_tail_stays_finite_for_large_means() -> None:
    assert poisson_tail(100, 1000.0) == pytest.approx(1.0)
    assert 0 < poisson_tail(1200, 1000.0) < 1e-9


def test_poisson_bound_by_hand() -> None:
    # Poisson(1): P(X >= 5) = 1 - e^-1 (1 + 1 + 1/2 + 1/6 + 1/24) = 0.00366 > 0.001, while
    # P(X >= 6) = 0.000594 <= 0.001: the alarm starts at 6.
    assert poisson_bound(1.0, 0.001) == 6
    assert poisson_bound(1.0, 0.01) == 5


# The hand-computed cases below use round parameters; the shipped rule is tested apart.
ROUND = Rule(alpha=0.001, min_count=5)


def test_the_shipped_rule_by_hand() -> None:
    # Poisson(1): P(X >= 6) = 0.000594 > 0.0005, P(X >= 7) = 0.0000832: the alarm starts at 7.
    assert assess("x", [1] * 8 + [7]).rising is True
    assert assess("x", [1] * 8 + [6]).rising is False
    # No history: λ = 0.5; P(X >= 4) = 0.00175, P(X >= 5) = 0.000172: 5, above the minimum 3.
    assert assess("x", [0] * 8 + [5]).bound == 5


def test_a_rise_above_the_bound_is_rising() -> None:
    trend = assess("fraud.investment", [1] * 8 + [6], ROUND)
    assert (trend.count, trend.mean, trend.bound, trend.rising) == (6, 1.0, 6, True)
    assert trend.history == (1,) * 8
    assert trend.tail == pytest.approx(
        1 - math.exp(-1) * (1 + 1 + 1 / 2 + 1 / 6 + 1 / 24 + 1 / 120)
    )
    assert assess("fraud.investment", [1] * 8 + [5], ROUND).rising is False


def test_a_new_series_needs_the_minimum_count() -> None:
    # No history: λ is floored at 0.5; Poisson alone would alarm at 5 (P(X>=4|0.5) = 0.00175).
    assert assess("x", [0] * 8 + [4], ROUND).rising is False
    assert assess("x", [0] * 8 + [5], ROUND).rising is True
    strict = Rule(min_count=10)
    assert assess("x", [0] * 8 + [9], strict).bound == 10


def test_only_the_last_weeks_count() -> None:
    # 20 a week long ago, then 1 a week for 8 weeks: the old weeks are outside the window.
    assert assess("x", [20, 20] + [1] * 8 + [6]).mean == 1.0


def test_weeks_start_on_monday() -> None:
    assert week_of(date(2026, 11, 5)) == date(2026, 11, 2)
    assert week_of(date(2026, 11, 2)) == date(2026, 11, 2)
    assert week_starts(date(2026, 11, 4), 2) == [
        date(2026, 10, 19), date(2026, 10, 26), date(2026, 11, 2)
    ]  # fmt: skip


def test_weekly_series_folds_days_and_drops_outside() -> None:
    weeks = week_starts(date(2026, 11, 2), 1)
    rows = [
        (date(2026, 10, 27), "a", 2),
        (date(2026, 11, 1), "a", 1),
        (date(2026, 11, 8), "a", 4),
        (date(2026, 11, 9), "a", 100),  # the week after: not in the window
        (date(2026, 11, 3), "b", 1),
    ]
    assert weekly_series(rows, weeks) == {"a": [3, 4], "b": [0, 1]}


def test_trends_rising_first_then_by_count() -> None:
    series = {"calm": [9] * 9, "rise": [1] * 8 + [6], "small": [0] * 8 + [1]}
    ordered = trends_of(series, ROUND)
    assert [t.key for t in ordered] == ["rise", "calm", "small"]
    header, rows = trend_table(ordered)
    assert header == ["key", "count", "mean", "bound", "tail", "rising"]
    assert rows[0][0] == "rise"
    assert rows[0][5] is True
