"""The dashboard's use case: the figures of a period, and their CSV."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from tipline.audit.service import record
from tipline.dashboard import repository
from tipline.dashboard.core import (
    FIGURE_NAMES,
    TOP_N,
    Figures,
    Loss,
    Period,
    TopIndicator,
    currency_totals,
    figure_table,
    ranked,
    read_period,
    urgency_mix,
    zero_filled,
)
from tipline.db_types import utc_now
from tipline.errors import InvalidInput, NotFound
from tipline.principals import Caller, Principal
from tipline.spreadsheets import spreadsheet_csv
from tipline.vocabulary import CATEGORIES


def read_filter(
    days: str | None, first: str | None, last: str | None, category: str | None,
    now: datetime | None = None,
) -> tuple[Period, str | None]:  # fmt: skip
    """The period and category a dashboard request asks for (InvalidInput when unreadable)."""
    try:
        period = read_period(days, first, last, now or utc_now())
    except ValueError as error:
        raise InvalidInput(f"Unreadable period: {error}.") from None
    if category and category not in CATEGORIES:
        raise InvalidInput("Unknown category.")
    return period, category or None


def dashboard_figures(
    session: Session, caller: Caller, period: Period, category: str | None = None
) -> Figures:
    """Every figure of the dashboard for `period` (and one category when given), counted over
    the reports the caller may read."""
    by_category = [
        Loss(currency, total, n, cat)
        for cat, currency, total, n in repository.losses(session, caller, period, category)
    ]
    days = repository.reports_and_campaigns_per_day(session, caller, period, category)
    return Figures(
        period=period,
        category=category,
        total_reports=sum(n for _, n, _ in days),
        per_day=zero_filled(period, ((day, n) for day, n, _ in days)),
        per_category=ranked(repository.reports_per_category(session, caller, period, category)),
        losses=currency_totals(by_category),
        losses_by_category=sorted(by_category, key=lambda x: (x.category or "", x.currency)),
        urgency=urgency_mix(repository.reports_per_urgency(session, caller, period, category)),
        provinces=ranked(repository.reports_per_province(session, caller, period, category), TOP_N),
        indicators=[
            TopIndicator(kind, value, n)
            for kind, value, n in repository.top_indicators(
                session, caller, period, category, TOP_N
            )
        ],
        new_campaigns=zero_filled(period, ((day, begun) for day, _, begun in days)),
    )


def figure_csv(
    session: Session, caller: Principal, name: str, period: Period, category: str | None,
    now: datetime | None = None,
) -> str:  # fmt: skip
    """One figure as CSV text (recorded in the audit log: data leaves the system)."""
    if name not in FIGURE_NAMES:
        raise NotFound(f"No figure named {name!r}.")
    header, rows = figure_table(dashboard_figures(session, caller, period, category), name)
    text = spreadsheet_csv(header, rows)
    details = {"figure": name, "first": period.first.isoformat(), "last": period.last.isoformat(),
               "category": category, "rows": len(rows)}  # fmt: skip
    record(session, caller.actor, "dashboard.export", "figure", name, details, now=now)
    session.commit()
    return text
