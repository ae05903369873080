"""A campaign's name: the one an analyst gives it, cleaned, or the one suggested from what it is
(the dominant category, the indicator that links most of its reports, the months it spans)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tipline.campaigns.summary import CampaignSummary
from tipline.errors import InvalidInput
from tipline.indicators.accounts import shown_linking_value

NAME_LENGTH = 120


@dataclass(frozen=True, slots=True)
class Suggestion:
    category: str | None
    indicator: str | None
    first: datetime | None
    last: datetime | None

    def as_text(self) -> str:
        """Language-neutral: category code, indicator value, months (`2025-03 – 2026-11`)."""
        parts = [part for part in (self.category, self.indicator) if part]
        if self.first and self.last:
            first, last = f"{self.first:%Y-%m}", f"{self.last:%Y-%m}"
            parts.append(first if first == last else f"{first} – {last}")
        return " · ".join(parts)


def suggest(summary: CampaignSummary, linking_values: Sequence[str]) -> Suggestion:
    """From the campaign's figures and the values of its linking indicators, most reports
    first."""
    common = summary.categories.most_common(1)
    return Suggestion(
        category=common[0][0] if common else None,
        indicator=shown_linking_value(linking_values[0]) if linking_values else None,
        first=summary.first_occurred,
        last=summary.last_occurred,
    )


def clean_name(raw: str | None) -> str | None:
    """The name as stored: spaces collapsed, control and format characters gone (no bidi
    overrides in an analyst's list); empty means "no name"."""
    text = "".join(
        " " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c
        for c in unicodedata.normalize("NFC", raw or "")
        if unicodedata.category(c) != "Cf"
    )
    name = " ".join(text.split())
    if len(name) > NAME_LENGTH:
        raise InvalidInput(f"a name has at most {NAME_LENGTH} characters", field="name")
    return name or None
