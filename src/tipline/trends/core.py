"""The rising rule, pure: weeks in Vietnam time, weekly series, and a Poisson upper bound.

The rule (docs/trends.md): a series (one category, one campaign, one indicator kind) is rising in
a week when its count there is at least `min_count` and, with λ the mean of its counts over the
`weeks` weeks before (floored at `floor`, so a series new this week is judged against a small
λ rather than zero), a Poisson(λ) count would reach it with probability at most `alpha`:
P(X ≥ count | λ) ≤ alpha. `bound` is the smallest count that would be an alarm.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

FIGURE_NAMES = ("categories", "scripts", "kinds")


@dataclass(frozen=True, slots=True)
class Rule:
    """The rule's parameters: chosen by bench/trends.py on the demo generator's seed 1 (20,000
    reports, ~130 a week), measured on seed 2 (docs/trends.md)."""

    weeks: int = 8
    alpha: float = 0.0005
    min_count: int = 3
    floor: float = 0.5


RULE = Rule()


@dataclass(frozen=True, slots=True)
class Trend:
    """One series in the chosen week: its count, its past, and the rule's verdict."""

    key: str
    count: int
    history: tuple[int, ...]  # the `weeks` weeks before, oldest first
    mean: float
    bound: int
    tail: float  # P(X >= count) under Poisson(mean)
    rising: bool


def week_of(day: date) -> date:
    """The Monday that starts the week of `day`."""
    return day - timedelta(days=day.weekday())


def week_starts(week: date, weeks: int) -> list[date]:
    """The Mondays of the `weeks` weeks before `week` and of `week` itself, oldest first."""
    monday = week_of(week)
    return [monday - timedelta(weeks=k) for k in range(weeks, -1, -1)]


def poisson_tail(count: int, mean: float) -> float:
    """P(X >= count) for X ~ Poisson(mean), summed from `count` upward (exact for small tails)."""
    if count <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    total, i = 0.0, count
    while True:
        term = math.exp(-mean + i * math.log(mean) - math.lgamma(i + 1))
        total += term
        if i > mean and term < total * 1e-16:
            return min(total, 1.0)
        i += 1


def poisson_bound(mean: float, alpha: float) -> int:
    """The smallest count c with P(X >= c) <= alpha under Poisson(mean)."""
    count = max(1, math.floor(mean))
    while poisson_tail(count, mean) > alpha:
        count += 1
    while count > 1 and poisson_tail(count - 1, mean) <= alpha:
        count -= 1
    return count


def assess(key: str, series: list[int], rule: Rule = RULE) -> Trend:
    """The verdict on the last count of `series` against the `rule.weeks` counts before it."""
    count, history = series[-1], tuple(series[:-1][-rule.weeks :])
    mean = max(sum(history) / rule.weeks, rule.floor)
    bound = max(poisson_bound(mean, rule.alpha), rule.min_count)
    tail = poisson_tail(count, mean)
    return Trend(key, count, history, round(mean, 2), bound, tail, count >= bound)


def weekly_series(rows: Iterable[tuple[date, str, int]], weeks: list[date]) -> dict[str, list[int]]:
    """(day, key, count) rows folded into one count per week of `weeks` for each key."""
    index = {monday: k for k, monday in enumerate(weeks)}
    series: dict[str, list[int]] = {}
    for day, key, count in rows:
        k = index.get(week_of(day))
        if k is not None:
            series.setdefault(key, [0] * len(weeks))[k] += count
    return series


def trends_of(
    series: dict[str, list[int]], rule: Rule = RULE, limit: int | None = None
) -> list[Trend]:
    """Every series assessed: rising first, then by this week's count (ties by key)."""
    assessed = [assess(key, counts, rule) for key, counts in series.items()]
    assessed.sort(key=lambda t: (not t.rising, -t.count, t.key))
    return assessed[:limit]


def trend_table(trends: list[Trend]) -> tuple[list[str], list[tuple[object, ...]]]:
    """The trends as a header and rows (for the page's tables and the CSV)."""
    header = ["key", "count", "mean", "bound", "tail", "rising"]
    rows: list[tuple[object, ...]] = [
        (t.key, t.count, t.mean, t.bound, f"{t.tail:.2g}", t.rising) for t in trends
    ]
    return header, rows
