"""The trends' use cases: the weekly view of a week, and one of its figures as CSV."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from tipline.audit.service import record
from tipline.dashboard.core import vietnam_day
from tipline.db_types import utc_now
from tipline.errors import InvalidInput, NotFound
from tipline.principals import Caller, Principal
from tipline.spreadsheets import spreadsheet_csv
from tipline.trends import repository
from tipline.trends.core import (
    FIGURE_NAMES,
    RULE,
    Rule,
    Trend,
    trend_table,
    trends_of,
    week_of,
    week_starts,
    weekly_series,
)
from tipline.vocabulary import EARLIEST_DATE, VIETNAM_TIME

SHOWN = 15  # scripts shown (the rising ones first); categories and kinds are few
BEHIND = 3  # campaigns suggested for an alert behind a rising category


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A rising category or script and the campaigns behind it (those with the most of its
    reports this week), from which an analyst may draft an alert."""

    category: str  # a category, or a script's id when `script` is set
    campaigns: list[tuple[str, str | None, int]]  # (uid, name, reports this week)
    script: bool = False


@dataclass(frozen=True, slots=True)
class WeeklyTrends:
    week: date  # its Monday
    weeks: list[date]  # the weeks compared, oldest first; the last is `week`
    figures: dict[str, list[Trend]]
    suggestions: list[Suggestion] = field(default_factory=list)
    words: dict[str, list[str]] = field(default_factory=dict)  # each script's label


def _instant(day: date) -> datetime:
    return datetime.combine(day, time(0), VIETNAM_TIME)


def read_week(text: str | None, now: datetime | None = None) -> date:
    """The Monday of the week asked for (any day of it, YYYY-MM-DD); else the last whole week."""
    today = vietnam_day(now or utc_now())
    if not text:
        return week_of(today) - timedelta(weeks=1)
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("Unreadable week: write a day of it as YYYY-MM-DD.") from None
    if not EARLIEST_DATE <= day <= today:
        raise InvalidInput(f"A week falls between {EARLIEST_DATE} and today.")
    return week_of(day)


def weekly_trends(session: Session, caller: Caller, week: date, rule: Rule = RULE) -> WeeklyTrends:
    """Categories, scripts (clusters of similar narratives) and indicator kinds of `week`
    against the weeks before, counted over the reports the caller may read."""
    weeks = week_starts(week, rule.weeks)
    starts_at, ends_before = _instant(weeks[0]), _instant(week + timedelta(weeks=1))
    counts = {
        "categories": repository.per_category(session, caller, starts_at, ends_before),
        "scripts": repository.per_script(session, caller, starts_at, ends_before),
        "kinds": repository.per_kind(session, caller, starts_at, ends_before),
    }
    figures = {
        name: trends_of(weekly_series(rows, weeks), rule, SHOWN if name == "scripts" else None)
        for name, rows in counts.items()
    }
    # A series with nothing this week is not a trend of this week.
    figures = {name: [t for t in trends if t.count] for name, trends in figures.items()}
    words = repository.script_words(session, [int(t.key) for t in figures["scripts"]])
    suggestions = _suggestions(session, caller, figures, _instant(week), ends_before)
    return WeeklyTrends(week, weeks, figures, suggestions, {str(k): v for k, v in words.items()})


def _suggestions(
    session: Session,
    caller: Caller,
    figures: dict[str, list[Trend]],
    week_from: datetime,
    week_to: datetime,
) -> list[Suggestion]:
    """Each rising category and script with the campaigns behind it this week."""
    found = [
        Suggestion(t.key, repository.campaigns_behind(
            session, caller, t.key, week_from, week_to, BEHIND))
        for t in figures["categories"] if t.rising
    ]  # fmt: skip
    found += [
        Suggestion(t.key, repository.campaigns_in_script(
            session, caller, int(t.key), week_from, week_to, BEHIND), script=True)
        for t in figures["scripts"] if t.rising
    ]  # fmt: skip
    return found


def trend_csv(
    session: Session, caller: Principal, name: str, week: date, now: datetime | None = None
) -> str:
    """One figure of the week as CSV text (recorded in the audit log: data leaves the system)."""
    if name not in FIGURE_NAMES:
        raise NotFound(f"No figure named {name!r}.")
    view = weekly_trends(session, caller, week)
    header, rows = trend_table(view.figures[name])
    if name == "scripts":  # with each script's label (k-anonymous words only)
        header = [*header, "words"]
        rows = [(*row, " ".join(view.words.get(str(row[0]), []))) for row in rows]
    text = spreadsheet_csv(header, rows)
    details = {"figure": name, "week": week.isoformat(), "rows": len(rows)}
    record(session, caller.actor, "trends.export", "figure", name, details, now=now)
    session.commit()
    return text
