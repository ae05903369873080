"""What a campaign view adds up: victims, losses per currency, time span, categories."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

# ISO 4217's code for "no currency": a loss reported without one is summed apart, never mixed in.
NO_CURRENCY = "XXX"


@dataclass(frozen=True)
class ReportFacts:
    """The figures of one report that a campaign view sums."""

    campaign_id: int
    loss_amount: Decimal | None
    currency: str | None
    category: str
    occurred_at: datetime | None
    contact: str | None = None  # the reporter's contact, only to count distinct victims


@dataclass
class CampaignSummary:
    """One campaign's figures.

    `victims` counts distinct contacts where reporters left one (a victim who reported twice is
    one victim), and each report without a contact as one victim.
    """

    campaign_id: int
    reports: int = 0
    contacts: set[str] = field(default_factory=set, repr=False)
    uncontacted: int = 0
    losses: dict[str, Decimal] = field(default_factory=dict)
    first_occurred: datetime | None = None
    last_occurred: datetime | None = None
    categories: Counter[str] = field(default_factory=Counter)

    @property
    def span(self) -> timedelta | None:
        """From the first to the last reported incident, when any report gave a date."""
        if self.first_occurred is None or self.last_occurred is None:
            return None
        return self.last_occurred - self.first_occurred

    @property
    def victims(self) -> int:
        return len(self.contacts) + self.uncontacted

    def add(self, facts: ReportFacts) -> None:
        self.add_reports(facts.category, 1, facts.occurred_at, facts.occurred_at)
        self.add_contact(facts.contact, 1)
        self.add_loss(facts.currency, facts.loss_amount)

    def add_reports(
        self, category: str, count: int, first: datetime | None, last: datetime | None
    ) -> None:
        """`count` reports of one category, whose incidents span `first` to `last`."""
        self.reports += count
        self.categories[category] += count
        if first is not None and (self.first_occurred is None or first < self.first_occurred):
            self.first_occurred = first
        if last is not None and (self.last_occurred is None or last > self.last_occurred):
            self.last_occurred = last

    def add_contact(self, contact: str | None, reports: int) -> None:
        """`reports` reports left this contact (or none)."""
        normalised = (contact or "").strip().casefold()
        if normalised:
            self.contacts.add(normalised)
        else:
            self.uncontacted += reports

    def add_loss(self, currency: str | None, amount: Decimal | None) -> None:
        if amount is not None and amount > 0:
            code = (currency or NO_CURRENCY).upper()
            self.losses[code] = self.losses.get(code, Decimal(0)) + amount


def summarise(rows: Iterable[ReportFacts]) -> dict[int, CampaignSummary]:
    """Per campaign id, the sum of its reports' figures."""
    summaries: dict[int, CampaignSummary] = {}
    for facts in rows:
        summary = summaries.get(facts.campaign_id)
        if summary is None:
            summary = summaries[facts.campaign_id] = CampaignSummary(facts.campaign_id)
        summary.add(facts)
    return summaries


@dataclass(frozen=True)
class ReportTotal:
    """Reports of one campaign sharing a category, a currency and a contact, summed."""

    campaign_id: int
    category: str
    currency: str | None
    contact: str | None
    reports: int
    loss: Decimal | None  # of the reports that gave one
    first_occurred: datetime | None
    last_occurred: datetime | None


def summarise_totals(rows: Iterable[ReportTotal]) -> dict[int, CampaignSummary]:
    """Per campaign id, its figures from sums a database made (the same as `summarise`)."""
    summaries: dict[int, CampaignSummary] = {}
    for row in rows:
        summary = summaries.get(row.campaign_id)
        if summary is None:
            summary = summaries[row.campaign_id] = CampaignSummary(row.campaign_id)
        summary.add_reports(row.category, row.reports, row.first_occurred, row.last_occurred)
        summary.add_contact(row.contact, row.reports)
        summary.add_loss(row.currency, row.loss)
    return summaries
