"""What the check API and service give: a verdict on one value as a person typed it."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from tipline.vocabulary import MAX_BULK_VALUES

Verdict = Literal["reported", "not_reported", "allowlisted"]


class AccountReports(BaseModel):
    """The reports of a checked bank account at one bank (`UNKNOWN`: reported with no bank)."""

    value: str
    bank: str
    report_count: int


class FeedAttribution(BaseModel):
    """A feed that lists the value."""

    source: str
    category: str
    first_seen: datetime
    last_seen: datetime


class CheckResult(BaseModel):
    """The answer to "has anyone reported this?".

    `not_reported` does not mean safe: only that no report or feed here names the value.
    `categories` counts reports by triage category, plus one for each feed's category.
    `allowlisted`: a known legitimate host or service (its official site, a big platform).
    Reports that name it are not counted against it ("he called me on Zalo" says nothing about
    zalo.me): its verdict is `allowlisted`, with no report counts, unless a feed lists it.
    `reported_host`: for a link that nothing names itself, the domain (or IP) of it that reports
    or feeds name; the counts, sources and dates are then that host's.
    `accounts`: for a bank account, where its digits were reported: at each bank (a bare number
    as a transfer slip prints it is found at every bank), or with no bank named (found by a
    check that names one). The counts and categories above are theirs together.
    """

    input: str
    kind: str
    value: str
    verdict: Verdict
    confirmed: bool
    allowlisted: bool
    report_count: int
    categories: dict[str, int]
    sources: list[str]
    feeds: list[FeedAttribution]
    first_seen: datetime | None
    last_seen: datetime | None
    reported_host: str | None = None
    accounts: list[AccountReports] = Field(default_factory=list)
    # Published alerts naming the value (the single check only; empty in a bulk check).
    alerts: list[AlertMention] = Field(default_factory=list)


class AlertMention(BaseModel):
    """A published alert that names the checked value: its page says what the scam is."""

    uid: str
    title: str
    url: str


class CheckRejected(BaseModel):
    """A value in a bulk check that is none of the indicator kinds."""

    input: str
    error: str


class BulkCheckRequest(BaseModel):
    values: list[str] = Field(max_length=MAX_BULK_VALUES)


class BulkCheckResponse(BaseModel):
    results: list[CheckResult | CheckRejected]


class IndicatorRead(BaseModel):
    """An indicator as stored: `report_count` reports name it between its first and last
    sighting (a feed's listing counts as a sighting)."""

    id: int
    kind: str
    value: str
    allowlisted: bool
    first_seen: datetime
    last_seen: datetime
    report_count: int


class IndicatorPageRead(BaseModel):
    """Indicators by id; pass `next_cursor` back as `cursor` for the next page."""

    items: list[IndicatorRead]
    next_cursor: str | None


class IndicatorReportRead(BaseModel):
    id: int
    code: str
    category: str
    urgency: str
    status: str
    created_at: datetime
    confirmed: bool


class IndicatorDetail(IndicatorRead):
    """An indicator with one keyset page of the reports naming it (newest first) and the feeds
    that list it; `reports_total` counts every report naming it. Pass `next_cursor` back as
    `cursor` for the next page of reports (null: the last)."""

    reports: list[IndicatorReportRead]
    reports_total: int
    next_cursor: str | None
    sightings: list[FeedAttribution]
