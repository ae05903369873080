"""Pure shaping of the dashboard's figures: periods in Vietnam time, zero-filled days, tables.

No database here: the repository answers aggregate rows, these functions turn them into the
figures the page, the JSON API and the CSV exports share.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from tipline.vocabulary import EARLIEST_DATE, URGENCIES_FIRST, VIETNAM_TIME

PERIOD_DAYS = (7, 30, 90, 365)
DEFAULT_DAYS = 30
MAX_RANGE_DAYS = 731  # two years of days: the per-day figures stay a few hundred points
TOP_N = 10


@dataclass(frozen=True, slots=True)
class Period:
    """Whole days in Vietnam time, `first` to `last` inclusive, and the UTC instants around them."""

    first: date
    last: date

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.first, time(0), VIETNAM_TIME).astimezone(UTC)

    @property
    def ends_before(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(0), VIETNAM_TIME).astimezone(
            UTC
        )

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=k) for k in range((self.last - self.first).days + 1)]


def vietnam_day(instant: datetime) -> date:
    """The calendar day in Vietnam of an aware instant."""
    return instant.astimezone(VIETNAM_TIME).date()


def last_days(days: int, now: datetime) -> Period:
    """The last `days` days up to and including today in Vietnam."""
    if days < 1:
        raise ValueError("a period has at least one day")
    today = vietnam_day(now)
    return Period(today - timedelta(days=days - 1), today)


def read_period(days: str | None, first: str | None, last: str | None, now: datetime) -> Period:
    """The period a filter asks for: `from`–`to` dates when given, else the last `days` days.

    Raises ValueError (with a message for the analyst) on anything else.
    """
    if first or last:
        try:
            start = date.fromisoformat(first) if first else None
            end = date.fromisoformat(last) if last else vietnam_day(now)
        except ValueError:
            raise ValueError("dates are written YYYY-MM-DD") from None
        start = start or end - timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            raise ValueError("the period starts after it ends")
        if start < EARLIEST_DATE:
            raise ValueError(f"a period starts on {EARLIEST_DATE} or later")
        if (end - start).days + 1 > MAX_RANGE_DAYS:
            raise ValueError(f"a period is at most {MAX_RANGE_DAYS} days")
        return Period(start, end)
    if days in (None, ""):
        return last_days(DEFAULT_DAYS, now)
    if not days.isdigit() or int(days) not in PERIOD_DAYS:
        raise ValueError(f"days is one of {', '.join(map(str, PERIOD_DAYS))}")
    return last_days(int(days), now)


@dataclass(frozen=True, slots=True)
class Count:
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class Loss:
    currency: str
    total: Decimal
    reports: int
    category: str | None = None


@dataclass(frozen=True, slots=True)
class TopIndicator:
    kind: str
    value: str
    reports: int


@dataclass(frozen=True, slots=True)
class Figures:
    """Everything the dashboard shows for one period (and category, when filtered)."""

    period: Period
    category: str | None
    total_reports: int
    per_day: list[Count]
    per_category: list[Count]
    losses: list[Loss]
    losses_by_category: list[Loss]
    urgency: list[Count]
    provinces: list[Count]
    indicators: list[TopIndicator]
    new_campaigns: list[Count]
    notes: list[str] = field(default_factory=list)


def zero_filled(period: Period, counts: Iterable[tuple[date, int]]) -> list[Count]:
    """One count per day of the period, 0 on days with none; days outside are dropped."""
    by_day: dict[date, int] = {}
    for day, count in counts:
        by_day[day] = by_day.get(day, 0) + count
    return [Count(day.isoformat(), by_day.get(day, 0)) for day in period.days]


def ranked(rows: Iterable[tuple[str | None, int]], limit: int | None = None) -> list[Count]:
    """Counts, largest first (ties by label), unknown labels as "—"."""
    counts = sorted(((label or "—", count) for label, count in rows), key=lambda r: (-r[1], r[0]))
    return [Count(label, count) for label, count in counts[:limit]]


def urgency_mix(rows: Iterable[tuple[str, int]]) -> list[Count]:
    """Counts in urgency order (critical first), every level present."""
    counts = dict(rows)
    return [Count(level, counts.get(level, 0)) for level in URGENCIES_FIRST]


def currency_totals(losses: Iterable[Loss]) -> list[Loss]:
    """Losses added up per currency, the currency of the most reports first."""
    totals: dict[str, tuple[Decimal, int]] = {}
    for loss in losses:
        total, reports = totals.get(loss.currency, (Decimal(0), 0))
        totals[loss.currency] = (total + loss.total, reports + loss.reports)
    ordered = sorted(totals.items(), key=lambda item: (-item[1][1], item[0]))
    return [Loss(currency, total, reports) for currency, (total, reports) in ordered]


FIGURE_NAMES = (
    "per_day", "per_category", "losses", "losses_by_category", "urgency", "provinces",
    "indicators", "new_campaigns",
)  # fmt: skip


def figure_table(figures: Figures, name: str) -> tuple[list[str], list[Sequence[object]]]:
    """One figure as a header and rows (for CSV and the page's tables)."""
    if name in ("per_day", "new_campaigns"):
        return ["day", "count"], [(c.label, c.count) for c in getattr(figures, name)]
    if name in ("per_category", "urgency", "provinces"):
        return [{"per_category": "category", "urgency": "urgency", "provinces": "province"}[name],
                "count"], [(c.label, c.count) for c in getattr(figures, name)]  # fmt: skip
    if name == "losses":
        return ["currency", "total", "reports"], [
            (x.currency, x.total, x.reports) for x in figures.losses
        ]
    if name == "losses_by_category":
        return ["category", "currency", "total", "reports"], [
            (x.category, x.currency, x.total, x.reports) for x in figures.losses_by_category
        ]
    if name == "indicators":
        return ["kind", "value", "reports"], [
            (i.kind, i.value, i.reports) for i in figures.indicators
        ]
    raise ValueError(f"no figure named {name!r}")


def figures_json(figures: Figures) -> dict[str, object]:
    """The figures as plain JSON values (amounts as strings, so no precision is lost)."""
    return {
        "period": {
            "first": figures.period.first.isoformat(),
            "last": figures.period.last.isoformat(),
        },
        "category": figures.category,
        "total_reports": figures.total_reports,
        "per_day": [[c.label, c.count] for c in figures.per_day],
        "per_category": [[c.label, c.count] for c in figures.per_category],
        "losses": [[x.currency, str(x.total), x.reports] for x in figures.losses],
        "losses_by_category": [
            [x.category, x.currency, str(x.total), x.reports] for x in figures.losses_by_category
        ],
        "urgency": [[c.label, c.count] for c in figures.urgency],
        "provinces": [[c.label, c.count] for c in figures.provinces],
        "indicators": [[i.kind, i.value, i.reports] for i in figures.indicators],
        "new_campaigns": [[c.label, c.count] for c in figures.new_campaigns],
    }
