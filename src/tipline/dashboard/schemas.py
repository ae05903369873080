"""The dashboard's figures as the JSON API answers them (rows as arrays, amounts as strings)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel


class PeriodRead(BaseModel):
    first: date  # Vietnam days, both included
    last: date


class FiguresRead(BaseModel):
    """Every figure of one period: rows are [label, count] unless said otherwise."""

    period: PeriodRead
    category: str | None
    total_reports: int
    per_day: list[tuple[str, int]]
    per_category: list[tuple[str, int]]
    losses: list[tuple[str, str, int]]  # [currency, total (exact decimal text), reports]
    losses_by_category: list[tuple[str | None, str, str, int]]  # [category, currency, total, n]
    urgency: list[tuple[str, int]]
    provinces: list[tuple[str, int]]
    indicators: list[tuple[str, str, int]]  # [kind, value, reports]
    new_campaigns: list[tuple[str, int]]
