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


@dataclass
class CampaignSummary:
    """One campaign's figures. `victims` counts reports: each report is one victim's account."""

    campaign_id: int
    victims: int = 0
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

    def add(self, facts: ReportFacts) -> None:
        self.victims += 1
        self.categories[facts.category] += 1
        if facts.loss_amount is not None and facts.loss_amount > 0:
            currency = (facts.currency or NO_CURRENCY).upper()
            self.losses[currency] = self.losses.get(currency, Decimal(0)) + facts.loss_amount
        when = facts.occurred_at
        if when is not None:
            if self.first_occurred is None or when < self.first_occurred:
                self.first_occurred = when
            if self.last_occurred is None or when > self.last_occurred:
                self.last_occurred = when


def summarise(rows: Iterable[ReportFacts]) -> dict[int, CampaignSummary]:
    """Per campaign id, the sum of its reports' figures."""
    summaries: dict[int, CampaignSummary] = {}
    for facts in rows:
        summary = summaries.get(facts.campaign_id)
        if summary is None:
            summary = summaries[facts.campaign_id] = CampaignSummary(facts.campaign_id)
        summary.add(facts)
    return summaries
